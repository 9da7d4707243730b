import { describe, expect, it } from 'vitest';
import { EVAL_DEFAULTS, parseEvalArgs } from '../../../src/eval/eval-args.ts';

describe('run-eval flags', () => {
  it('defaults to the large run', () => {
    expect(parseEvalArgs([])).toEqual({
      kind: 'run',
      args: { options: { seed: EVAL_DEFAULTS.seed, normalSpans: 1_000_000, agents: 200, hours: 24, spend: {} }, out: null, strict: false },
    });
  });

  it('reads every flag', () => {
    const parsed = parseEvalArgs(['--seed', '9', '--spans', '5000', '--agents', '30', '--hours', '6', '--out', 'r.json', '--sensitivity', '6', '--min-tokens-per-minute', '20000', '--strict']);
    expect(parsed).toEqual({
      kind: 'run',
      args: { options: { seed: 9, normalSpans: 5000, agents: 30, hours: 6, spend: { sensitivity: 6, minTokensPerMinute: 20000 } }, out: 'r.json', strict: true },
    });
  });

  it('names every bad value, and unknown flags', () => {
    const parsed = parseEvalArgs(['--spans', 'lots', '--agents', '3']);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') {
      expect(parsed.message).toContain('--spans must be an integer >= 1000, got "lots"');
      expect(parsed.message).toContain('--agents must be an integer in [20, 100000], got "3"');
    }
    expect(parseEvalArgs(['--nope']).kind).toBe('error');
    expect(parseEvalArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
