import { describe, expect, it } from 'vitest';
import { createDetectorSet } from '../../../src/detector/create-detector-set.ts';
import type { Finding } from '../../../src/detector/finding.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import type { AgentPolicy } from '../../../src/policy/agent-policy.ts';
import { agentSpan, defaultPolicy, llmSpan, T0_MS, toolSpan } from './detector-fixtures.ts';

const MINUTE = 60_000;

function budgets(policy: AgentPolicy) {
  const set = createDetectorSet({ policyFor: () => policy });
  return (spans: AgentSpan[]): Finding[][] => spans.map((span) => set.observe([span]).filter((f) => f.kind === 'budget_exceeded'));
}

describe('budget_exceeded', () => {
  it('usd_per_hour fires at the span that crosses, once per crossing', () => {
    const detect = budgets(defaultPolicy({ budget: { usdPerHour: 5 } }));
    // $1 every 5 minutes: the 6th call makes $6 within the hour.
    const spans = Array.from({ length: 10 }, (_, i) => llmSpan({ atMs: T0_MS + i * 5 * MINUTE, costUsd: 1 }));
    const perSpan = detect(spans);
    expect(perSpan.map((findings) => findings.length)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(perSpan[5]?.[0]).toMatchObject({
      rule: 'usd_per_hour',
      agentId: 'a1',
      evidence: { limit: 5, observed: 6, window: '1h', span_ids: [spans[5]!.spanId] },
    });
    // An hour later the window holds less than the limit again; the next crossing is reported.
    const later = detect([
      llmSpan({ atMs: T0_MS + 200 * MINUTE, costUsd: 1 }),
      ...Array.from({ length: 5 }, (_, i) => llmSpan({ atMs: T0_MS + 201 * MINUTE + i, costUsd: 1 })),
    ]);
    expect(later.flat().map((f) => f.evidence['observed'])).toEqual([6]);
  });

  it('usd_per_day slides over 24 hours', () => {
    const detect = budgets(defaultPolicy({ budget: { usdPerDay: 10 } }));
    const spans = Array.from({ length: 12 }, (_, i) => llmSpan({ atMs: T0_MS + i * 2 * 60 * MINUTE, costUsd: 1 }));
    const findings = detect(spans).flat();
    expect(findings.map((f) => [f.rule, f.evidence['observed'], f.evidence['window']])).toEqual([['usd_per_day', 11, '24h']]);
  });

  it('counts an agent span rollup once', () => {
    const detect = budgets(defaultPolicy({ budget: { usdPerHour: 4 } }));
    const spans = [
      llmSpan({ atMs: T0_MS, costUsd: 1 }),
      llmSpan({ atMs: T0_MS + 1, costUsd: 1 }),
      llmSpan({ atMs: T0_MS + 2, costUsd: 1 }),
      agentSpan({ kind: 'agent', atMs: T0_MS + 3, costUsd: 3 }),
    ];
    expect(detect(spans).flat()).toEqual([]);
  });

  it('tokens_per_session fires once per session', () => {
    const detect = budgets(defaultPolicy({ budget: { tokensPerSession: 1000 } }));
    const spans = [
      ...Array.from({ length: 5 }, (_, i) => llmSpan({ atMs: T0_MS + i, inputTokens: 200, outputTokens: 50, sessionId: 'conv' })),
      llmSpan({ atMs: T0_MS + 10, inputTokens: 900, sessionId: 'other' }),
    ];
    const perSpan = detect(spans);
    expect(perSpan.map((findings) => findings.length)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(perSpan[3]).toEqual([]);
    expect(perSpan[4]?.[0]).toMatchObject({ rule: 'tokens_per_session', sessionId: 'conv', evidence: { limit: 1000, observed: 1250, window: 'session' } });
  });

  it('actions_per_minute counts tool calls in a sliding minute', () => {
    const detect = budgets(defaultPolicy({ limits: { actionsPerMinute: 30 } }));
    // 31 calls spread over 50 seconds: the 31st crosses.
    const spans = Array.from({ length: 31 }, (_, i) => toolSpan('lookup', `h${i}`, { atMs: T0_MS + i * 1600 }));
    const perSpan = detect(spans);
    expect(perSpan.findIndex((findings) => findings.length > 0)).toBe(30);
    expect(perSpan[30]?.[0]).toMatchObject({ rule: 'actions_per_minute', evidence: { limit: 30, observed: 31, window: '1m' } });
    // 30 calls a minute, forever: never over.
    const steady = budgets(defaultPolicy({ limits: { actionsPerMinute: 30 } }));
    expect(steady(Array.from({ length: 300 }, (_, i) => toolSpan('lookup', `h${i}`, { atMs: T0_MS + i * 2000 }))).flat()).toEqual([]);
  });

  it('writes_per_hour counts write and delete access', () => {
    const detect = budgets(defaultPolicy({ limits: { writesPerHour: 3 } }));
    const spans = [
      toolSpan('db', 'a', { atMs: T0_MS, dataAccess: 'write' }),
      toolSpan('db', 'b', { atMs: T0_MS + 1, dataAccess: 'read' }),
      toolSpan('db', 'c', { atMs: T0_MS + 2, dataAccess: 'delete' }),
      toolSpan('db', 'd', { atMs: T0_MS + 3, dataAccess: 'write' }),
      toolSpan('db', 'e', { atMs: T0_MS + 4, dataAccess: 'write' }),
    ];
    expect(detect(spans).map((findings) => findings.map((f) => f.rule))).toEqual([[], [], [], [], ['writes_per_hour']]);
  });

  it('keeps what a window counted when a reloaded policy adds another limit', () => {
    let policy = defaultPolicy({ budget: { usdPerHour: 10 } });
    const set = createDetectorSet({ policyFor: () => policy });
    const spend = (atMs: number, costUsd: number): string[] =>
      set
        .observe([llmSpan({ atMs, costUsd })])
        .filter((f) => f.kind === 'budget_exceeded')
        .map((f) => `${f.rule}=${f.evidence['observed']}`);
    expect(spend(T0_MS, 8)).toEqual([]);
    policy = defaultPolicy({ budget: { usdPerHour: 10, usdPerDay: 3 }, limits: { actionsPerMinute: 100 } });
    set.observe([toolSpan('search', 'a', { atMs: T0_MS + 1 })]);
    // The hour window still holds the first $8; the day window starts now.
    expect(spend(T0_MS + 2, 4)).toEqual(['usd_per_hour=12', 'usd_per_day=4']);
  });

  it('counts a span older than the window in its newest bucket', () => {
    const detect = budgets(defaultPolicy({ budget: { usdPerHour: 5 } }));
    const findings = detect([llmSpan({ atMs: T0_MS + 3 * 60 * MINUTE, costUsd: 3 }), llmSpan({ atMs: 0, costUsd: 3 })]).flat();
    expect(findings.map((f) => [f.rule, f.evidence['observed']])).toEqual([['usd_per_hour', 6]]);
  });

  it('keeps no state for agents whose policy sets no budget', () => {
    const set = createDetectorSet({ policyFor: () => defaultPolicy() });
    set.observe(Array.from({ length: 100 }, (_, i) => llmSpan({ agentId: `agent-${i}`, costUsd: 1, atMs: T0_MS + i })));
    const budget = set.stats().detectors.find((d) => d.kind === 'budget_exceeded');
    expect(budget?.tables['agents']?.size).toBe(0);
  });
});
