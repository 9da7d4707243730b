import { describe, expect, it } from 'vitest';
import { createDetectorSet, type DetectorSet } from '../../../src/detector/create-detector-set.ts';
import type { Finding } from '../../../src/detector/finding.ts';
import type { AgentPolicy } from '../../../src/policy/agent-policy.ts';
import { agentSpan, defaultPolicy, llmSpan, T0_MS } from './detector-fixtures.ts';

const MINUTE = 60_000;

/** A deterministic uniform [0, 1) source, so noise is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function spendSet(policy: AgentPolicy = defaultPolicy()): DetectorSet {
  return createDetectorSet({ policyFor: () => policy });
}

/** One minute of an agent's LLM calls: `calls` spans sharing `usd` and `tokens` evenly. */
function minute(set: DetectorSet, index: number, usd: number, tokens: number, calls = 4, agentId = 'a1'): Finding[] {
  const spans = Array.from({ length: calls }, (_, i) =>
    llmSpan({ agentId, atMs: T0_MS + index * MINUTE + (i + 1) * Math.floor(MINUTE / (calls + 1)), costUsd: usd / calls, inputTokens: Math.round(tokens / calls), sessionId: `s${index}` }),
  );
  return set.observe(spans).filter((finding) => finding.kind === 'spend_spike');
}

function steadyHistory(set: DetectorSet, minutes: number, random: () => number, agentId = 'a1'): Finding[] {
  const findings: Finding[] = [];
  for (let m = 0; m < minutes; m++) findings.push(...minute(set, m, 0.1 * (0.8 + 0.4 * random()), 10_000 * (0.8 + 0.4 * random()), 4, agentId));
  return findings;
}

describe('spend_spike', () => {
  it('does not fire for a new agent without history, however much it spends', () => {
    const set = spendSet();
    expect(minute(set, 0, 50, 5_000_000)).toEqual([]);
    expect(minute(set, 1, 80, 9_000_000)).toEqual([]);
  });

  it('fires once the last two minutes run far above the usual rate, at the span that crosses, with the baseline', () => {
    const set = spendSet();
    expect(steadyHistory(set, 40, seeded(1))).toEqual([]);
    // 10x the usual rate: one call of it is not yet a spike; the rate over the last two minutes
    // (the usual minute before it, and this one so far) passes 4x the median within the minute.
    const spans = Array.from({ length: 8 }, (_, i) => llmSpan({ atMs: T0_MS + 40 * MINUTE + (i + 1) * 6000, costUsd: 1 / 8, inputTokens: 100_000 / 8 }));
    const perSpan = spans.map((span) => set.observe([span]).filter((f) => f.kind === 'spend_spike'));
    const firstAt = perSpan.findIndex((findings) => findings.length > 0);
    expect(firstAt).toBeGreaterThan(0);
    expect(firstAt).toBeLessThan(6);
    const rules = perSpan.flat().map((f) => f.rule).sort();
    expect(rules).toEqual(['tokens_rate', 'usd_rate']);
    const usd = perSpan.flat().find((f) => f.rule === 'usd_rate')!;
    const evidence = usd.evidence as Record<string, number> & { span_ids: string[] };
    expect(evidence['baseline']).toBeGreaterThan(0.08);
    expect(evidence['baseline']).toBeLessThan(0.12);
    expect(evidence['observed']).toBeGreaterThan(evidence['threshold']!);
    expect(evidence['threshold']).toBeGreaterThan(3.5 * evidence['baseline']!);
    expect(evidence['floor']).toBe(0.05);
    expect(evidence['window_minutes']).toBe(40);
    expect(evidence['rate_minutes']).toBe(2);
    expect(evidence['sensitivity']).toBe(4);
    expect(evidence.span_ids.at(-1)).toBe(spans[perSpan.findIndex((findings) => findings.some((f) => f.rule === 'usd_rate'))]?.spanId);
    // The spike began in this minute: caught well within the 2-minute target.
    expect(usd.observedAtMs - (T0_MS + 40 * MINUTE)).toBeLessThan(MINUTE);
  });

  it('does not fire on one heavy minute, nor on two that are not consecutive; fires when two in a row are high', () => {
    const set = spendSet();
    steadyHistory(set, 40, seeded(13));
    // 6x the usual minute once: normal for growing contexts and overlapping sessions.
    expect(minute(set, 40, 0.6, 60_000)).toEqual([]);
    expect(minute(set, 41, 0.1, 10_000)).toEqual([]);
    // Again, after an idle minute: the minute before it was idle, so the two do not add up.
    expect(minute(set, 43, 0.6, 60_000)).toEqual([]);
    expect(minute(set, 44, 0.1, 10_000)).toEqual([]);
    // 5x for two minutes in a row: a spike, reported in its second minute (by the tokens rule;
    // the dollar rule waits for twice the 6x minutes the history now holds).
    expect(minute(set, 45, 0.5, 50_000)).toEqual([]);
    expect(minute(set, 46, 0.5, 50_000).map((f) => f.rule)).toEqual(['tokens_rate']);
  });

  it('judges dollars above what model routing usually costs: the most expensive minute of the history', () => {
    const set = spendSet();
    // One minute in five goes to a model 15x the price, with the usual tokens.
    for (let m = 0; m < 40; m++) expect(minute(set, m, m % 5 === 0 ? 1.5 : 0.1, 10_000)).toEqual([]);
    // Two expensive minutes in a row: 15x the median in dollars, nothing new for this agent.
    expect(minute(set, 40, 1.5, 10_000)).toEqual([]);
    expect(minute(set, 41, 1.5, 10_000)).toEqual([]);
    expect(minute(set, 42, 0.1, 10_000)).toEqual([]);
    // Over twice the most expensive minute for two minutes, with the usual tokens: a dollar spike only.
    expect(minute(set, 43, 4, 10_000)).toEqual([]);
    const findings = minute(set, 44, 4, 10_000);
    expect(findings.map((f) => f.rule)).toEqual(['usd_rate']);
    expect(findings[0]?.evidence['threshold']).toBeCloseTo(2 * 1.5, 5);
  });

  it('does not fire for a busy agent with steady high spend over hours', () => {
    const set = spendSet();
    const random = seeded(7);
    const findings: Finding[] = [];
    // 6 hours of about $2/min and 400k tokens/min, +-30%, with 40 calls a minute.
    for (let m = 0; m < 360; m++) findings.push(...minute(set, m, 2 * (0.7 + 0.6 * random()), 400_000 * (0.7 + 0.6 * random()), 40));
    expect(findings).toEqual([]);
  });

  it('does not fire below the absolute floor', () => {
    const set = spendSet();
    for (let m = 0; m < 40; m++) minute(set, m, 0.001, 100);
    expect(minute(set, 40, 0.02, 2000)).toEqual([]);
  });

  it('waits learningMinutes of active history', () => {
    const set = spendSet(defaultPolicy({ spend: { learningMinutes: 10 } }));
    steadyHistory(set, 9, seeded(3));
    expect(minute(set, 9, 5, 1_000_000)).toEqual([]);
    const set2 = spendSet(defaultPolicy({ spend: { learningMinutes: 10 } }));
    steadyHistory(set2, 10, seeded(3));
    expect(minute(set2, 10, 5, 1_000_000).map((f) => f.rule).sort()).toEqual(['tokens_rate', 'usd_rate']);
  });

  it('treats a learning period longer than the kept history as a full history', () => {
    const set = spendSet(defaultPolicy({ spend: { learningMinutes: 500 } }));
    steadyHistory(set, 60, seeded(11));
    expect(minute(set, 60, 5, 1_000_000)).toHaveLength(2);
  });

  it('stays firing, reporting each closed minute still above the release level once, until one closes below it', () => {
    const set = spendSet();
    steadyHistory(set, 40, seeded(5));
    expect(minute(set, 40, 1, 100_000)).toHaveLength(2);
    // Still high: minute 40 closes above release, reported once more (usd and tokens) with the
    // rate of its two minutes, so the alert stays open while the spike lasts; no report per span
    // within a minute.
    const continued = minute(set, 41, 1, 100_000);
    expect(continued.map((f) => f.rule).sort()).toEqual(['tokens_rate', 'usd_rate']);
    const usd = continued.find((f) => f.rule === 'usd_rate')!;
    expect(usd.evidence['observed']).toBeGreaterThan(0.5);
    expect(usd.evidence['observed']).toBeLessThan(0.6);
    expect(minute(set, 42, 1.2, 120_000)).toHaveLength(2);
    expect(minute(set, 43, 0.1, 10_000)).toHaveLength(2);
    // Back to normal: the two minutes up to the end of 43 still hold half of the spike (one more
    // report); those up to the end of 44 are usual, so it releases.
    expect(minute(set, 44, 0.1, 10_000)).toHaveLength(2);
    expect(minute(set, 45, 0.1, 10_000)).toEqual([]);
    // A new spike in tokens is a new report.
    expect(minute(set, 46, 1, 100_000).map((f) => f.rule)).toEqual(['tokens_rate']);
  });

  it('releases after an idle gap', () => {
    const set = spendSet();
    steadyHistory(set, 40, seeded(9));
    expect(minute(set, 40, 1, 100_000)).toHaveLength(2);
    // The tokens rule fires again. The dollar rule waits for more than twice the spike's own
    // minute, now the most expensive of the history.
    expect(minute(set, 45, 1, 100_000).map((f) => f.rule)).toEqual(['tokens_rate']);
    expect(minute(set, 47, 4, 100_000).map((f) => f.rule).sort()).toEqual(['tokens_rate', 'usd_rate']);
  });

  it('counts an agent span as usage only when the agent reports none on LLM spans', () => {
    const set = spendSet(defaultPolicy({ spend: { learningMinutes: 5 } }));
    for (let m = 0; m < 10; m++) {
      set.observe([
        llmSpan({ atMs: T0_MS + m * MINUTE + 1000, costUsd: 0.1, inputTokens: 10_000 }),
        // The rollup of the LLM span above: ignored, or every minute would look doubled.
        agentSpan({ kind: 'agent', atMs: T0_MS + m * MINUTE + 2000, costUsd: 0.1, inputTokens: 10_000 }),
      ]);
    }
    const [snapshot] = set.exportBaselines();
    expect(snapshot?.spend?.usdPerMinute.slice(0, 3).map((v) => Math.round(v * 1000) / 1000)).toEqual([0.1, 0.1, 0.1]);
    expect(snapshot?.spend?.llmUsage).toBe(true);

    const agentOnly = spendSet();
    agentOnly.observe([agentSpan({ kind: 'agent', atMs: T0_MS + 1000, costUsd: 0.3, inputTokens: 1000 }), agentSpan({ kind: 'agent', atMs: T0_MS + MINUTE + 1000, costUsd: 0.1 })]);
    expect(agentOnly.exportBaselines()[0]?.spend?.usdPerMinute.map((v) => Math.round(v * 1000) / 1000)).toEqual([0.3]);
  });
});
