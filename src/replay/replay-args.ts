import { parseArgs } from 'node:util';
import { fail, ok, type Result } from '../errors/warden-error.ts';

interface CommonArgs {
  /** --policy; undefined = WARDEN_POLICY if set, else the built-in defaults. */
  policyPath: string | undefined;
  json: boolean;
}

export type ReplayArgs =
  | ({ source: 'file'; file: string } & CommonArgs)
  | ({ source: 'store'; fromMs: number; toMs: number; agentId: string | undefined } & CommonArgs)
  | { source: 'help' };

// A date, or a date and time with an explicit zone: a time without one would be read in the
// machine's zone, and a replay window an hour off finds other spans without saying so.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * `warden replay` arguments: `--file <otlp.json>`, or `--from <time> [--to <time>] [--agent
 * <id>]`, each with `[--policy <file>] [--json]`. --to defaults to nowMs.
 */
export function parseReplayArgs(argv: readonly string[], nowMs: number): Result<ReplayArgs> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        agent: { type: 'string' },
        policy: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail('WARDEN_REPLAY_USAGE', (error as Error).message);
  }
  if (values.help) return ok({ source: 'help' });
  for (const name of ['file', 'from', 'to', 'agent', 'policy'] as const) {
    if (values[name] !== undefined && values[name].trim() === '') return fail('WARDEN_REPLAY_USAGE', `--${name} needs a value`);
  }
  const common: CommonArgs = { policyPath: values.policy, json: values.json };

  if (values.file !== undefined) {
    const extra = (['from', 'to', 'agent'] as const).filter((name) => values[name] !== undefined);
    if (extra.length > 0) return fail('WARDEN_REPLAY_USAGE', `--file replays a file; ${flags(extra)} ${extra.length === 1 ? 'applies' : 'apply'} to stored spans only (--from)`);
    return ok({ source: 'file', file: values.file, ...common });
  }
  if (values.from === undefined) {
    const stray = (['to', 'agent'] as const).filter((name) => values[name] !== undefined);
    if (stray.length > 0) return fail('WARDEN_REPLAY_USAGE', `${flags(stray)} ${stray.length === 1 ? 'needs' : 'need'} --from`);
    return fail('WARDEN_REPLAY_USAGE', 'say what to replay: --file <otlp.json>, or --from <time> for stored spans');
  }
  const fromMs = parseTime('--from', values.from);
  if (!fromMs.ok) return fromMs;
  const toMs = values.to === undefined ? ok(nowMs) : parseTime('--to', values.to);
  if (!toMs.ok) return toMs;
  if (fromMs.value >= toMs.value) {
    return fail('WARDEN_REPLAY_USAGE', `--from ${values.from} is not before --to ${values.to ?? `(now, ${new Date(nowMs).toISOString()})`}`);
  }
  return ok({ source: 'store', fromMs: fromMs.value, toMs: toMs.value, agentId: values.agent, ...common });
}

function flags(names: readonly string[]): string {
  return names.map((name) => `--${name}`).join(' and ');
}

/** An ISO 8601 time as Unix ms: a date alone is midnight UTC; a time needs a zone. */
export function parseTime(flag: string, text: string): Result<number> {
  const match = ISO_TIME.exec(text.trim());
  const ms = Date.parse(text.trim());
  if (match === null || !Number.isFinite(ms) || !realDate(match)) {
    return fail('WARDEN_REPLAY_USAGE', `${flag} ${JSON.stringify(text)}: expected an ISO 8601 date or time with a zone, e.g. 2026-05-11 or 2026-05-11T10:00:00Z or 2026-05-11T12:00:00+02:00`);
  }
  return ok(ms);
}

// Date.parse rolls 2026-02-30 over into March instead of refusing it.
function realDate(match: RegExpExecArray): boolean {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
