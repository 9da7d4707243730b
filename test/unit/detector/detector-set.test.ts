import { describe, expect, it } from 'vitest';
import type { BaselineSnapshot } from '../../../src/detector/baseline-snapshot.ts';
import { createDetectorSet } from '../../../src/detector/create-detector-set.ts';
import { DEFAULT_DETECTOR_LIMITS, resolveDetectorLimits } from '../../../src/detector/detector-limits.ts';
import { defaultPolicy, llmSpan, T0_MS, toolSpan } from './detector-fixtures.ts';

const MINUTE = 60_000;

describe('detector set', () => {
  it('looks up the policy of each span’s agent', () => {
    const strict = defaultPolicy({ tools: { allow: [], deny: [] } });
    const set = createDetectorSet({ policyFor: (agentId) => (agentId === 'strict' ? strict : defaultPolicy()) });
    const findings = set.observe([toolSpan('search', 'a', { agentId: 'lenient' }), toolSpan('search', 'b', { agentId: 'strict' })]);
    expect(findings.map((f) => [f.agentId, f.rule])).toEqual([['strict', 'tool_not_allowed:search']]);
  });

  it('keeps going when a detector throws, and counts it', () => {
    const errors: string[] = [];
    let calls = 0;
    const set = createDetectorSet({
      policyFor: () => {
        calls++;
        // A policy whose tool list breaks the violation detector.
        return defaultPolicy({ tools: null as never });
      },
      onError: (_error, kind) => errors.push(kind),
    });
    set.observe([toolSpan('search', 'a'), toolSpan('search', 'a')]);
    expect(errors).toEqual(['policy_violation', 'policy_violation']);
    expect(set.stats().errors).toBe(2);
    // Same agent twice in a request: one lookup.
    expect(calls).toBe(1);
  });

  it('evicts idle state on the span clock, capped by the given time', () => {
    const set = createDetectorSet({ policyFor: () => defaultPolicy() });
    const size = (kind: string, table: string): number | undefined => set.stats().detectors.find((d) => d.kind === kind)?.tables[table]?.size;
    set.observe([toolSpan('search', 'a', { atMs: T0_MS, sessionId: 'old', agentId: 'old-agent' })]);
    set.observe([toolSpan('search', 'a', { atMs: T0_MS + 20 * MINUTE, sessionId: 'new', agentId: 'new-agent' })]);
    // A wall clock far ahead changes nothing: idle is measured on the span clock (20 min).
    set.evictIdle(Date.now() + 365 * 24 * 60 * MINUTE);
    expect([size('loop', 'sessions'), size('permission_drift', 'agents')]).toEqual([2, 2]);

    set.observe([toolSpan('search', 'b', { atMs: T0_MS + 120 * MINUTE, sessionId: 'new', agentId: 'new-agent' })]);
    // Capped by the given time: at T0 + 31 min only the old session is idle (sessions: 30 min).
    set.evictIdle(T0_MS + 31 * MINUTE);
    expect([size('loop', 'sessions'), size('permission_drift', 'agents')]).toEqual([1, 2]);
    // At the span clock (T0 + 2 h) the old agent is idle too (agents: 1 h).
    set.evictIdle(T0_MS + 120 * MINUTE);
    expect([size('loop', 'sessions'), size('permission_drift', 'agents')]).toEqual([1, 1]);
  });

  it('keeps its tables at their caps under a million distinct sessions', () => {
    const limits = { maxSessions: 20_000, maxAgents: 5_000 };
    const policy = defaultPolicy({ budget: { tokensPerSession: 1_000_000 } });
    const set = createDetectorSet({ policyFor: () => policy, limits });
    const span = llmSpan({ inputTokens: 10 });
    const tool = toolSpan('search', 'h');
    // One span object rewritten per step (detectors keep nothing of a span but its strings).
    const request = [span];
    for (let i = 0; i < 1_000_000; i++) {
      const current = i % 2 === 0 ? span : tool;
      current.sessionId = `session-${i}`;
      current.agentId = `agent-${i % 50_000}`;
      current.startTimeUnixNano = BigInt(T0_MS + i) * 1_000_000n;
      request[0] = current;
      set.observe(request);
    }
    for (const detector of set.stats().detectors) {
      for (const [name, table] of Object.entries(detector.tables)) {
        expect(table.size, `${detector.kind}.${name}`).toBeLessThanOrEqual(table.capacity);
      }
    }
    const loop = set.stats().detectors.find((d) => d.kind === 'loop');
    expect(loop?.tables['sessions']?.size).toBe(20_000);
    // LLM and tool spans are both steps: every session was tracked, then made room.
    expect(loop?.tables['sessions']?.evictedFull).toBe(1_000_000 - 20_000);
  });

  it('exports baselines as JSON and restores them, so a restart keeps what was learned', () => {
    const policy = defaultPolicy({ spend: { learningMinutes: 30 }, drift: { learningSpans: 20, divergence: 0.3 } });
    const before = createDetectorSet({ policyFor: () => policy });
    for (let m = 0; m < 40; m++) {
      before.observe([
        llmSpan({ atMs: T0_MS + m * MINUTE + 1000, costUsd: 0.1, inputTokens: 10_000 }),
        toolSpan(m % 2 === 0 ? 'search' : 'open', `m${m}`, { atMs: T0_MS + m * MINUTE + 2000, dataClasses: ['customer_name'], target: 'crm.internal' }),
      ]);
    }
    const snapshots = JSON.parse(JSON.stringify(before.exportBaselines())) as BaselineSnapshot[];
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({
      version: 1,
      agentId: 'a1',
      drift: { spans: 80, tools: ['search', 'open'], toolCounts: [20, 20], dataClasses: ['customer_name'], targets: ['crm.internal'], full: [] },
      spend: { llmUsage: true },
    });
    expect(snapshots[0]?.spend?.usdPerMinute).toHaveLength(39);

    const after = createDetectorSet({ policyFor: () => policy });
    expect(after.importBaselines([...snapshots, { version: 99 }, null])).toEqual({ imported: 1, rejected: 2, skipped: 0 });
    // Learned tools are not new; the spend baseline is ready without relearning.
    const findings = after.observe([
      toolSpan('search', 'x', { atMs: T0_MS + 50 * MINUTE, dataClasses: ['customer_name'], target: 'crm.internal' }),
      toolSpan('ssh', 'x', { atMs: T0_MS + 50 * MINUTE + 1 }),
      llmSpan({ atMs: T0_MS + 50 * MINUTE + 2, costUsd: 2, inputTokens: 200_000 }),
    ]);
    expect(findings.map((f) => f.rule).sort()).toEqual(['new_tool:ssh', 'tokens_rate', 'usd_rate']);
    // Live state wins over a snapshot.
    expect(after.importBaselines(snapshots)).toEqual({ imported: 0, rejected: 0, skipped: 1 });
  });

  it('checks its limits once', () => {
    expect(resolveDetectorLimits({ maxAgents: 10 }).maxAgents).toBe(10);
    expect(resolveDetectorLimits().maxSessions).toBe(DEFAULT_DETECTOR_LIMITS.maxSessions);
    expect(() => resolveDetectorLimits({ maxAgents: 0 })).toThrow(/maxAgents/);
    expect(() => resolveDetectorLimits({ toolMixMinWindow: 500 })).toThrow(/toolMixMinWindow/);
    expect(() => resolveDetectorLimits({ maxAgentsPerTrace: 64 })).toThrow(/at most 32/);
  });
});
