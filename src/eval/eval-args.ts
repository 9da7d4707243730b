// `node src/eval/run-eval.ts` flags. A development tool, not part of the service: bad flags are
// a usage message and exit code 2, with no entry in the error catalogue.
import { parseArgs } from 'node:util';
import type { EvalOptions } from './eval-runner.ts';

export const EVAL_USAGE = `usage: node src/eval/run-eval.ts [--seed N] [--spans N] [--agents N] [--hours H] [--out file.json]
                                [--sensitivity K] [--min-usd-per-minute X] [--min-tokens-per-minute X]

Generates a labelled fleet (normal traffic, injected anomalies, hard negatives), runs it through the
detectors and the alerter on simulated time, and prints recall, precision, false alerts and time to
detection per anomaly type and finding kind.

  --seed N                   random seed (default 1); the same seed gives the same run
  --spans N                  normal spans to generate, at least (default 1000000)
  --agents N                 fleet size, at least 20 (default 200)
  --hours H                  simulated duration (default 24)
  --out FILE                 also write the result as JSON (compare runs with it)
  --sensitivity K            what-if: the fleet policy's spend.sensitivity (default 4)
  --min-usd-per-minute X     what-if: spend.min_usd_per_minute (default 0.05)
  --min-tokens-per-minute X  what-if: spend.min_tokens_per_minute (default 5000)
  --strict                   exit 1 when a target is missed`;

export interface EvalArgs {
  options: EvalOptions;
  out: string | null;
  strict: boolean;
}

export type ParsedEvalArgs = { kind: 'run'; args: EvalArgs } | { kind: 'help' } | { kind: 'error'; message: string };

export const EVAL_DEFAULTS = { seed: 1, spans: 1_000_000, agents: 200, hours: 24 } as const;

export function parseEvalArgs(argv: readonly string[]): ParsedEvalArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        seed: { type: 'string' },
        spans: { type: 'string' },
        agents: { type: 'string' },
        hours: { type: 'string' },
        out: { type: 'string' },
        sensitivity: { type: 'string' },
        'min-usd-per-minute': { type: 'string' },
        'min-tokens-per-minute': { type: 'string' },
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values['help'] === true) return { kind: 'help' };

  const problems: string[] = [];
  const number = (name: string, fallback: number, valid: (value: number) => boolean, what: string): number => {
    const raw = values[name];
    if (typeof raw !== 'string') return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || !valid(value)) problems.push(`--${name} must be ${what}, got "${raw}"`);
    return value;
  };
  const integer = (value: number): boolean => Number.isInteger(value);
  const seed = number('seed', EVAL_DEFAULTS.seed, (v) => integer(v) && v >= 0 && v < 2 ** 32, 'an integer in [0, 2^32)');
  const normalSpans = number('spans', EVAL_DEFAULTS.spans, (v) => integer(v) && v >= 1000, 'an integer >= 1000');
  const agents = number('agents', EVAL_DEFAULTS.agents, (v) => integer(v) && v >= 20 && v <= 100_000, 'an integer in [20, 100000]');
  const hours = number('hours', EVAL_DEFAULTS.hours, (v) => v >= 1 && v <= 24 * 30, 'a number of hours in [1, 720]');
  const spend: NonNullable<EvalOptions['spend']> = {};
  if (values['sensitivity'] !== undefined) spend.sensitivity = number('sensitivity', 4, (v) => v > 0, 'a positive number');
  if (values['min-usd-per-minute'] !== undefined) spend.minUsdPerMinute = number('min-usd-per-minute', 0.05, (v) => v >= 0, 'a number >= 0');
  if (values['min-tokens-per-minute'] !== undefined) spend.minTokensPerMinute = number('min-tokens-per-minute', 5000, (v) => v >= 0, 'a number >= 0');
  if (problems.length > 0) return { kind: 'error', message: problems.join('\n') };

  const out = typeof values['out'] === 'string' ? values['out'] : null;
  return { kind: 'run', args: { options: { seed, normalSpans, agents, hours, spend }, out, strict: values['strict'] === true } };
}
