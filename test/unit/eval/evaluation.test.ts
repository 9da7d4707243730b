// The targets on a fixed seed and 150 000 normal spans (the default run has 1 000 000):
// if one fails, the detectors (or the evaluation) changed. README "Evaluation" has the full run.
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/eval/eval-metrics.ts';
import { EXACT_KINDS, FALSE_ALERTS_PER_MILLION_BOUND } from '../../../src/eval/eval-targets.ts';
import { formatReport } from '../../../src/eval/eval-report.ts';
import { runEvaluation } from '../../../src/eval/eval-runner.ts';

const OPTIONS = { seed: 1, normalSpans: 150_000, agents: 60, hours: 24 };

describe('evaluation (seed 1, 150 000 normal spans, 60 agents, 24 h)', () => {
  const run = runEvaluation(OPTIONS);
  const result = summarize(run, OPTIONS);
  const type = (name: string) => result.types.find((t) => t.type === name)!;
  const kind = (name: string) => result.kinds.find((k) => k.kind === name)!;

  it('generates what it was asked for and injects every anomaly it planned', () => {
    expect(result.normalSpans).toBeGreaterThanOrEqual(150_000);
    expect(result.skipped).toEqual({});
    expect(result.detector.errors).toBe(0);
    for (const t of result.types) expect(t.injected).toBeGreaterThanOrEqual(3);
  });

  it('catches every identical-call loop by its 5th call', () => {
    const identical = type('loop_identical');
    expect(identical.detected).toBe(identical.injected);
    expect(identical.keySpans!.max).toBeLessThanOrEqual(5);
  });

  it('catches every loop, budget overrun and policy violation (recall 1.0)', () => {
    for (const name of ['loop', 'budget_exceeded', 'policy_violation']) expect(kind(name).recall, name).toBe(1);
  });

  it('catches every spend spike within 2 minutes of its onset', () => {
    const spike = type('spend_spike');
    expect(spike.detected).toBe(spike.injected);
    expect(spike.seconds!.max).toBeLessThanOrEqual(120);
  });

  it('raises no critical false alert, and no false loop, budget or policy alert at all', () => {
    expect(result.totals.criticalFalseAlerts).toBe(0);
    for (const name of EXACT_KINDS) expect(kind(name).falseAlerts, name).toBe(0);
  });

  it('stays quiet on the hard negatives that must never alert: paging and new agents', () => {
    const negative = (name: string) => result.hardNegatives.find((h) => h.type === name)!;
    expect(negative('paging').count).toBeGreaterThan(0);
    expect(negative('paging').violations).toBe(0);
    expect(negative('new_agent').violations).toBe(0);
  });

  it(`keeps false alerts below the documented bound (${FALSE_ALERTS_PER_MILLION_BOUND} per million normal spans, all warnings)`, () => {
    expect(result.totals.falsePerMillion).toBeLessThanOrEqual(FALSE_ALERTS_PER_MILLION_BOUND);
    expect(result.targets.every((target) => target.met)).toBe(true);
  });

  it('prints a report naming every target', () => {
    const report = formatReport(result);
    for (const target of result.targets) expect(report).toContain(target.name);
    expect(report).not.toContain('FAIL');
  });
});
