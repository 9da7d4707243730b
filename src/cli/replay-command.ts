import { readFile } from 'node:fs/promises';
import type { WardenConfig } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { fail, ok, type Result, type WardenError } from '../errors/warden-error.ts';
import { builtInPolicySet, parsePolicy } from '../policy/parse-policy.ts';
import type { PolicySet } from '../policy/policy-set.ts';
import { openOtlpFile } from '../replay/otlp-file.ts';
import { openReplayStore } from '../replay/open-replay-store.ts';
import { createProgressReporter, type ProgressStream, type ProgressUpdate } from '../replay/progress-reporter.ts';
import { parseReplayArgs, type ReplayArgs } from '../replay/replay-args.ts';
import { replayOtlpFile } from '../replay/replay-file.ts';
import { formatReplayReport } from '../replay/replay-report.ts';
import { createReplaySession, type ReplaySession } from '../replay/replay-session.ts';
import { replayStoredSpans } from '../replay/replay-stored.ts';
import { createLogger } from '../telemetry/logger.ts';

export const REPLAY_USAGE = `usage: warden replay --file <otlp.json> [--policy <policy.yaml>] [--json]
       warden replay --from <time> [--to <time>] [--agent <id>] [--policy <policy.yaml>] [--json]

Runs the detectors over recorded traces with a policy and prints the alerts that would have
fired. Nothing is stored, sent or suspended.

  --file <path>     an OTLP/JSON traces export: one ExportTraceServiceRequest, or JSON Lines
                    of them (the Collector's file exporter); needs no ClickHouse
  --from <time>     stored spans starting at or after this time (ISO 8601: a date, or a time
                    with a zone, e.g. 2026-05-11T10:00:00Z), read from the store \`warden serve\`
                    writes to (WARDEN_DATA_DIR or WARDEN_CLICKHOUSE_URL)
  --to <time>       ... and before this time; default now
  --agent <id>      only this agent's spans
  --policy <path>   the policy to test; default WARDEN_POLICY, else the built-in defaults
  --json            print the alerts as a JSON array (stable order, no ids: diffable)

Exit status: 0 when the replay ran (whatever fired), 2 for bad flags, times, input file,
policy or configuration, 1 when the store could not be read.`;

export interface ReplayIo {
  stdout: { write(text: string): unknown };
  /** Progress, notes and errors; a bar when isTTY, else a line every 5 s. */
  stderr: ProgressStream;
  now?: () => number;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `warden replay`: the exit status. */
export async function replayCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: ReplayIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const now = io.now ?? Date.now;
  const problem = (error: WardenError, status: number, usage = false): number => {
    io.stderr.write(`warden replay: ${error.message} (${error.code})\n${usage ? 'usage: see `warden replay --help`\n' : ''}`);
    return status;
  };

  const parsed = parseReplayArgs(argv, now());
  if (!parsed.ok) return problem(parsed.error, 2, true);
  const args = parsed.value;
  if (args.source === 'help') {
    io.stdout.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const config = loadConfig(env);
  if (!config.ok) return problem(config.error, 2);
  const policy = await loadPolicy(args.policyPath ?? config.value.policyPath);
  if (!policy.ok) {
    io.stderr.write(`warden replay: invalid policy (${policy.error.code})\n${policy.error.message}\n`);
    return 2;
  }
  io.stderr.write(`policy: ${policy.value.describe()}\n`);

  // Progress owns stderr: only warnings and errors are logged, at most as verbose as configured.
  const level = LEVELS[Math.max(LEVELS.indexOf(config.value.logLevel), LEVELS.indexOf('warn'))] ?? 'warn';
  const logger = createLogger(level, { write: (line: string) => void io.stderr.write(line) });
  const session = createReplaySession({ policy: policy.value, logger });
  const progress = createProgressReporter({ stream: io.stderr, unit: args.source === 'file' ? 'bytes' : 'spans', now });

  const ran = args.source === 'file' ? await replayFile(args, config.value, session, io, progress.update) : await replayStore(args, config.value, session, io, progress.update);
  if (!ran.ok) {
    progress.clear();
    return problem(ran.error, args.source === 'file' ? 2 : 1);
  }
  const result = await session.finish();
  progress.finish(result.spans);
  if (result.spans === 0) io.stderr.write(`warden replay: no spans in ${ran.value}\n`);
  if (args.json) io.stdout.write(`${JSON.stringify(result.alerts, null, 2)}\n`);
  else io.stdout.write(formatReplayReport(result, { source: ran.value, policy: policy.value.describe() }));
  return 0;
}

type FileArgs = Extract<ReplayArgs, { source: 'file' }>;
type StoreArgs = Extract<ReplayArgs, { source: 'store' }>;
type OnProgress = (update: ProgressUpdate) => void;

/** ok with what was replayed, for the report. */
async function replayFile(args: FileArgs, config: WardenConfig, session: ReplaySession, io: ReplayIo, onProgress: OnProgress): Promise<Result<string>> {
  const file = await openOtlpFile(args.file);
  if (!file.ok) return file;
  const ran = await replayOtlpFile(file.value, session, { normalizer: config.normalizer, onProgress });
  if (!ran.ok) return ran;
  if (ran.value.skippedSpans > 0) io.stderr.write(`warden replay: ${ran.value.skippedSpans} spans without a valid trace or span id skipped (live Warden rejects them too)\n`);
  return ok(args.file);
}

async function replayStore(args: StoreArgs, config: WardenConfig, session: ReplaySession, io: ReplayIo, onProgress: OnProgress): Promise<Result<string>> {
  const store = openReplayStore(config.storage);
  if (!store.ok) return store;
  try {
    const range = { fromNs: BigInt(args.fromMs) * 1_000_000n, toNs: BigInt(args.toMs) * 1_000_000n, agentId: args.agentId };
    const ran = await replayStoredSpans(store.value.context, range, session, { onProgress });
    if (!ran.ok) return ran;
    if (ran.value.outOfOrder > 0) io.stderr.write(`warden replay: ${ran.value.outOfOrder} spans fed before their end time (too many spans open at once); alerts may differ slightly from live\n`);
    const agent = args.agentId === undefined ? '' : `, agent ${args.agentId}`;
    return ok(`${store.value.where} (spans starting ${new Date(args.fromMs).toISOString()} to ${new Date(args.toMs).toISOString()}${agent})`);
  } finally {
    await store.value.close();
  }
}

async function loadPolicy(path: string | undefined): Promise<Result<PolicySet>> {
  if (path === undefined || path === '') return ok(builtInPolicySet());
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return fail('WARDEN_POLICY_INVALID', `${path}: cannot read the policy file (${code ?? message})`);
  }
  return parsePolicy(text, path);
}
