import { parseArgs } from 'node:util';
import { DEFAULT_BATCH_ROWS } from '../src/store/batch-writer.ts';

export interface BenchParams {
  quick: boolean;
  seed: number;
  agents: number;
  services: number;
  spansPerRequest: number;
  payloads: number;
  /** Seconds of open-throttle load per transport. */
  windowSeconds: number;
  warmupSeconds: number;
  inFlight: number;
  pushbackPauseMs: number;
  /** Seconds each in-process limit is timed. */
  limitSeconds: number;
  insertRows: number;
  /** Rows per insert: Warden's storage.batchRows default. */
  insertBatchRows: number;
  insertSeconds: number;
  memoryAgents: number;
  injections: number;
  injectionSpacingMs: number;
  /** Background rate of the latency phase, as a fraction of the measured insert limit. */
  backgroundFraction: number;
  /** Only the warm-up and the latency phase, at a fixed background rate (A/B of latency work). */
  latencyOnly: boolean;
  /** Background spans/s of a --latency-only run (no insert limit is measured there). */
  backgroundRate: number;
  /** Seconds of open-throttle load (then drained) before a --latency-only phase: the state the
   *  full run's latency phase starts in (grown heap, engine parts merging). */
  preloadSeconds: number;
  /** WARDEN_MAX_QUEUED_SPANS for the Warden under test; undefined = Warden's default. */
  maxQueuedSpans: number | undefined;
  profile: boolean;
  /** Extra Node flags for the Warden process (experiments: --trace-gc, --max-semi-space-size=64). */
  wardenFlags: string[];
  /** Where to copy Warden's log lines; undefined = kept in memory only for error reports. */
  wardenLog: string | undefined;
  /** Extra WARDEN_* settings for the Warden under test (A/B runs, e.g. WARDEN_JOURNAL=false). */
  wardenEnv: Record<string, string>;
  out: string;
}

export const USAGE = `npm run bench -- [options]
  --quick                 short smoke run (~30 s)
  --window <s>            seconds of open-throttle load per transport (default 30, quick 3)
  --in-flight <n>         requests in flight (default 8)
  --agents <n>            distinct agents in the traffic (default 2000)
  --spans-per-request <n> (default 500)
  --injections <n>        loops injected in the latency phase (default 60, quick 8)
  --memory-agents <n>     agents for the detector memory figure (default 100000, quick 10000)
  --latency-only          warm-up and latency phase only (about 25 s + injections x spacing); prints
                          the latency figures, writes no results file
  --background-rate <n>   background spans/s of --latency-only (default 4600, 30 % of a typical (b))
  --preload <s>           open-throttle seconds before a --latency-only phase (default 0)
  --profile               run Warden with --cpu-prof and print where its time goes
  --warden-flags=<flags>  extra Node flags for Warden, e.g. --warden-flags="--trace-gc"
  --warden-log <file>     copy Warden's log (stdout and stderr) to a file
  --warden-env K=V        a WARDEN_* setting for Warden (repeatable), e.g. --warden-env WARDEN_JOURNAL=false
  --out <file>            results JSON (default bench/results/latest.json)
  --seed <n>              (default 1)`;

export function parseBenchArgs(argv: string[]): BenchParams {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      window: { type: 'string' },
      'in-flight': { type: 'string' },
      agents: { type: 'string' },
      'spans-per-request': { type: 'string' },
      injections: { type: 'string' },
      'memory-agents': { type: 'string' },
      'latency-only': { type: 'boolean', default: false },
      'background-rate': { type: 'string' },
      preload: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'warden-flags': { type: 'string' },
      'warden-log': { type: 'string' },
      'warden-env': { type: 'string', multiple: true },
      out: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const number = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const parsed = Number(text);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(text)}`);
    return parsed;
  };
  return {
    quick,
    seed: number(values.seed, 1, 'seed'),
    agents: number(values.agents, 2000, 'agents'),
    services: 40,
    spansPerRequest: number(values['spans-per-request'], 500, 'spans-per-request'),
    payloads: quick ? 32 : 64,
    windowSeconds: number(values.window, quick ? 3 : 30, 'window'),
    warmupSeconds: quick ? 1 : 3,
    inFlight: number(values['in-flight'], 8, 'in-flight'),
    pushbackPauseMs: 100,
    limitSeconds: quick ? 1 : 4,
    insertRows: quick ? 25_000 : 250_000,
    // Warden's own batch size: (b) inserts as Warden does.
    insertBatchRows: DEFAULT_BATCH_ROWS,
    insertSeconds: quick ? 1.5 : 10,
    memoryAgents: number(values['memory-agents'], quick ? 10_000 : 100_000, 'memory-agents'),
    injections: number(values.injections, quick ? 8 : 60, 'injections'),
    injectionSpacingMs: quick ? 150 : 300,
    backgroundFraction: 0.3,
    latencyOnly: values['latency-only'],
    backgroundRate: number(values['background-rate'], 4600, 'background-rate'),
    preloadSeconds: values.preload === undefined ? 0 : number(values.preload, 0, 'preload'),
    // A quick run bounds the queue so draining it stays short; a full run uses Warden's default.
    maxQueuedSpans: quick ? 20_000 : undefined,
    profile: values.profile,
    wardenFlags: (values['warden-flags'] ?? '').split(' ').filter((flag) => flag !== ''),
    wardenLog: values['warden-log'],
    wardenEnv: Object.fromEntries(
      (values['warden-env'] ?? []).map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0 || !pair.startsWith('WARDEN_')) throw new Error(`--warden-env takes WARDEN_NAME=value, got ${JSON.stringify(pair)}`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
    out: values.out ?? 'bench/results/latest.json',
  };
}
