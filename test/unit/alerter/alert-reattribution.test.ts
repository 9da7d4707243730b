import { describe, expect, it } from 'vitest';
import { alertFingerprint } from '../../../src/alerter/alert-identity.ts';
import type { AgentReattribution } from '../../../src/normalizer/late-identity.ts';
import { finding, policy, TRACE_A, TRACE_B, testAlerter } from './alerter-fixtures.ts';

function reattribution(spanId: string, agentId: string, traceId = TRACE_A): AgentReattribution {
  return { traceId, spanId, agentId, agentName: agentId, agentRole: '', sessionId: 'late-session', taskId: '', startTimeUnixNano: 1n };
}

// Children exported before their root are attributed to the service.name fallback.
const fallback = { agentId: 'support-svc', sessionId: '' };

describe('alert re-attribution', () => {
  it('moves an open alert whose evidence spans were re-attributed to the real agent', () => {
    const { alerter, events, policies } = testAlerter();
    policies.set('support-bot', policy({ severity: { loop: 'critical' } }));
    alerter.consume([finding({ ...fallback, evidence: { span_ids: ['s1', 's2'] } })]);
    const before = alerter.openAlerts()[0]!;
    alerter.reattribute([reattribution('s2', 'support-bot'), reattribution('unrelated', 'support-bot', TRACE_B)]);
    const after = alerter.openAlerts()[0]!;
    expect(after.id).toBe(before.id);
    expect(after).toMatchObject({ agent_id: 'support-bot', fingerprint: alertFingerprint('loop', 'support-bot', 'identical_calls'), session_id: 'late-session' });
    // The real agent's policy applies from now on (severity only ever rises).
    expect(after).toMatchObject({ severity: 'critical', action: 'suspend' });
    expect(events.at(-1)).toMatchObject({ type: 'updated', reason: 'reattributed', previous: { agent_id: 'support-svc' } });
    // Later findings for the real agent land in the moved alert.
    alerter.consume([finding({ agentId: 'support-bot' })]);
    expect(alerter.openAlerts()).toHaveLength(1);
    expect(alerter.openAlerts()[0]).toMatchObject({ id: before.id, count: 2 });
    expect(alerter.stats().reattributed).toBe(1);
  });

  it('folds the moved alert into the real agent\'s open alert of the same kind and rule', () => {
    const { alerter, events } = testAlerter();
    alerter.consume([finding({ agentId: 'support-bot', evidence: { span_ids: ['r1'] }, traceId: TRACE_B, observedAtMs: 5000 })]);
    alerter.consume([
      finding({ ...fallback, evidence: { span_ids: ['f1'] }, observedAtMs: 1000 }),
      finding({ ...fallback, evidence: { span_ids: ['f2'] }, observedAtMs: 2000 }),
    ]);
    const [real, moved] = [alerter.openAlerts({ agentId: 'support-bot' })[0]!, alerter.openAlerts({ agentId: 'support-svc' })[0]!];
    alerter.reattribute([reattribution('f1', 'support-bot')]);
    const open = alerter.openAlerts();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ id: real.id, count: 3, first_seen: new Date(1000).toISOString(), last_seen: new Date(5000).toISOString() });
    expect(open[0]!.evidence['span_ids']).toEqual(['f1', 'f2', 'r1']);
    expect(open[0]!.evidence['trace_ids']).toEqual(expect.arrayContaining([TRACE_A, TRACE_B]));
    const resolved = events.find((e) => e.type === 'resolved')!;
    expect(resolved).toMatchObject({ reason: 'merged', alert: { id: moved.id, status: 'resolved', merged_into: real.id } });
    expect(events.at(-1)).toMatchObject({ type: 'updated', reason: 'merged', alert: { id: real.id } });
    expect(alerter.stats()).toMatchObject({ merged: 1, resolved: 1 });
  });

  it('leaves alerts of other agents in the same trace alone', () => {
    const { alerter } = testAlerter();
    // A delegate that named itself: its spans were never waiting, so never re-attributed.
    alerter.consume([finding({ agentId: 'researcher', evidence: { span_ids: ['d1'] } })]);
    alerter.consume([finding({ ...fallback, evidence: { span_ids: ['f1'] } })]);
    alerter.reattribute([reattribution('f1', 'support-bot')]);
    expect(alerter.openAlerts().map((a) => a.agent_id).sort()).toEqual(['researcher', 'support-bot']);
    // Re-attributing to the agent an alert already has changes nothing.
    alerter.reattribute([reattribution('d1', 'researcher')]);
    expect(alerter.stats().reattributed).toBe(1);
  });

  it('finds the alert by any of its recent traces, not only the latest', () => {
    const { alerter } = testAlerter();
    alerter.consume([finding({ ...fallback, traceId: TRACE_A, evidence: { span_ids: ['a1'] } })]);
    alerter.consume([finding({ ...fallback, traceId: TRACE_B, evidence: { span_ids: ['b1'] } })]);
    alerter.reattribute([reattribution('a1', 'support-bot', TRACE_A.toUpperCase())]);
    expect(alerter.openAlerts()[0]).toMatchObject({ agent_id: 'support-bot', count: 2 });
  });
});
