import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/detector/finding.ts';
import type { EvalLabel } from '../../../src/eval/eval-labels.ts';
import { judgeFinding, type FindingRecord } from '../../../src/eval/finding-match.ts';

const T = 1_740_960_000_000;

function label(fields: Partial<EvalLabel> = {}): EvalLabel {
  return {
    id: 1,
    type: 'loop_identical',
    hardNegative: false,
    kind: 'loop',
    forbidden: [],
    scope: 'session',
    agentId: 'support-bot-001',
    sessionId: 's'.repeat(32),
    traceId: 't'.repeat(32),
    onsetMs: T,
    endMs: T + 60_000,
    spanIds: [],
    keySpanIds: [],
    spanCount: 0,
    detail: {},
    ...fields,
  };
}

function judge(finding: Partial<Finding>, labels: EvalLabel[], extra: Partial<FindingRecord> = {}): FindingRecord {
  const record: FindingRecord = {
    finding: { kind: 'loop', rule: 'identical_calls', agentId: 'support-bot-001', traceId: 't'.repeat(32), sessionId: 's'.repeat(32), summary: '', evidence: { span_ids: [] }, observedAtMs: T + 30_000, ...finding },
    trigger: null,
    candidates: labels.map((l) => ({ label: l, spans: 5, keySpans: 5 })),
    alertIndex: 0,
    tainted: false,
    verdict: 'false',
    matched: null,
    hardNegative: null,
    ...extra,
  };
  judgeFinding(record);
  return record;
}

describe('judging a finding against the labels', () => {
  it('matches kind, scope and time window', () => {
    const loop = label();
    expect(judge({}, [loop]).matched).toBe(loop);
    expect(judge({ observedAtMs: T + 60_000 + 59_000 }, [loop]).verdict).toBe('matched');
    expect(judge({ sessionId: 'x'.repeat(32), traceId: 'y'.repeat(32) }, [loop]).verdict).not.toBe('matched');
    expect(judge({ kind: 'spend_spike' }, [loop]).verdict).not.toBe('matched');
    expect(judge({ observedAtMs: T - 1 }, [loop]).verdict).not.toBe('matched');
  });

  it('calls a finding caused by another anomaly collateral, not false', () => {
    const runaway = label({ type: 'loop_steps' });
    const budget = judge({ kind: 'budget_exceeded', rule: 'tokens_per_session' }, [runaway]);
    expect(budget.verdict).toBe('collateral');
    // An hourly budget still sums the anomaly's spend 50 minutes later.
    const spike = label({ type: 'spend_spike', kind: 'spend_spike', scope: 'agent', sessionId: '', traceId: '' });
    expect(judge({ kind: 'budget_exceeded', rule: 'usd_per_hour', observedAtMs: T + 50 * 60_000 }, [spike]).verdict).toBe('collateral');
    expect(judge({ kind: 'budget_exceeded', rule: 'actions_per_minute', observedAtMs: T + 50 * 60_000 }, [spike]).verdict).toBe('false');
    // A tool-mix baseline that still holds an anomaly's calls.
    expect(judge({ kind: 'permission_drift', rule: 'tool_mix', observedAtMs: T + 5 * 3_600_000 }, [], { tainted: true }).verdict).toBe('collateral');
    expect(judge({ kind: 'permission_drift', rule: 'new_tool:x', observedAtMs: T + 5 * 3_600_000 }, [], { tainted: true }).verdict).toBe('false');
  });

  it('names the hard negative a false finding breaks', () => {
    const paging = label({ type: 'paging', hardNegative: true, kind: null, forbidden: ['loop'] });
    const record = judge({}, [paging]);
    expect(record.verdict).toBe('false');
    expect(record.hardNegative).toBe(paging);
    expect(judge({ kind: 'spend_spike', rule: 'usd_rate' }, [paging]).hardNegative).toBeNull();
  });
});
