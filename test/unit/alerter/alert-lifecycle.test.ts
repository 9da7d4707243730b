import { describe, expect, it } from 'vitest';
import { ALERTER_DEFAULTS } from '../../../src/alerter/create-alerter.ts';
import { finding, policy, TRACE_B, testAlerter } from './alerter-fixtures.ts';

const QUIET = ALERTER_DEFAULTS.quietPeriodMs;

describe('alerter lifecycle', () => {
  it('folds repeats of one fingerprint into one alert with a count, last_seen and merged span ids', () => {
    const { alerter, clock, events, memory } = testAlerter();
    alerter.consume([finding({ evidence: { span_ids: ['01'] }, observedAtMs: 1000 })]);
    clock.now += 10;
    alerter.consume([
      finding({ evidence: { span_ids: ['02'] }, observedAtMs: 2000 }),
      finding({ evidence: { span_ids: ['02', '03'], count: 7 }, observedAtMs: 3000, summary: 'seven calls' }),
    ]);
    const open = alerter.openAlerts();
    expect(open).toHaveLength(1);
    const alert = open[0]!;
    expect(alert).toMatchObject({ count: 3, status: 'firing', summary: 'seven calls', first_seen: new Date(1000).toISOString(), last_seen: new Date(3000).toISOString() });
    expect(alert.evidence).toMatchObject({ span_ids: ['01', '02', '03'], count: 7, trace_ids: ['a'.repeat(32)] });
    expect(alert.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(alert.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events.map((e) => e.type)).toEqual(['opened']);
    // Repeats within the persist interval wait for the next tick, then go out as one update.
    expect(memory.versions).toHaveLength(1);
    clock.now += 1000;
    alerter.tick();
    expect(events.map((e) => e.type)).toEqual(['opened', 'updated']);
    expect(events[1]!.previous?.count).toBe(1);
    expect(events[1]!.alert.count).toBe(3);
    expect(memory.latest().get(alert.id)?.alert.count).toBe(3);
    expect(memory.versions.map((v) => v.version)).toEqual([...memory.versions.map((v) => v.version)].sort((a, b) => a - b));
  });

  it('keeps the last 50 span ids as evidence', () => {
    const { alerter } = testAlerter();
    for (let i = 0; i < 80; i++) alerter.consume([finding({ evidence: { span_ids: [`span-${i}`] } })]);
    const spanIds = alerter.openAlerts()[0]!.evidence['span_ids'] as string[];
    expect(spanIds).toHaveLength(50);
    expect(spanIds[0]).toBe('span-30');
    expect(spanIds.at(-1)).toBe('span-79');
  });

  it('resolves an alert after the quiet period, counted from the last finding by Warden\'s clock', () => {
    const { alerter, clock, events } = testAlerter();
    const start = clock.now;
    alerter.consume([finding({ observedAtMs: 1 })]); // an agent clock far in the past changes nothing
    clock.now = start + QUIET / 2;
    alerter.consume([finding()]);
    alerter.tick(start + QUIET + 1);
    expect(alerter.openAlerts()).toHaveLength(1);
    alerter.tick(start + QUIET / 2 + QUIET);
    expect(alerter.openAlerts()).toHaveLength(0);
    const resolved = events.at(-1)!;
    expect(resolved).toMatchObject({ type: 'resolved', reason: 'quiet_period' });
    expect(resolved.alert).toMatchObject({ status: 'resolved', count: 2, resolved_at: new Date(start + QUIET / 2 + QUIET).toISOString() });
  });

  it('opens a new alert (new id) when the same fingerprint fires after resolution', () => {
    const { alerter, clock } = testAlerter({ quietPeriodMs: 1000 });
    alerter.consume([finding()]);
    const first = alerter.openAlerts()[0]!;
    clock.now += 1000;
    alerter.tick();
    alerter.consume([finding()]);
    const second = alerter.openAlerts()[0]!;
    expect(second.id).not.toBe(first.id);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.count).toBe(1);
    expect(alerter.stats()).toMatchObject({ opened: 2, resolved: 1, open: 1 });
  });

  it('takes severity from the policy and records the action it names, would_suspend in shadow mode', () => {
    const { alerter, policies } = testAlerter();
    policies.set('shadow', policy({ enforce: false }));
    alerter.consume([
      finding({ agentId: 'enforced', kind: 'policy_violation', rule: 'tool_denied:code-execute' }),
      finding({ agentId: 'shadow', kind: 'policy_violation', rule: 'tool_denied:code-execute' }),
      finding({ agentId: 'shadow', kind: 'loop' }),
    ]);
    policies.set('quiet', policy({ severity: { loop: 'info' } }));
    alerter.consume([finding({ agentId: 'quiet' })]);
    const byAgent = (agent: string, kind: string) => alerter.openAlerts({ agentId: agent }).find((a) => a.kind === kind);
    expect(byAgent('enforced', 'policy_violation')).toMatchObject({ severity: 'critical', action: 'suspend' });
    expect(byAgent('shadow', 'policy_violation')).toMatchObject({ severity: 'critical', action: 'would_suspend' });
    expect(byAgent('shadow', 'loop')).toMatchObject({ severity: 'warning', action: 'notify' });
    expect(byAgent('quiet', 'loop')).toMatchObject({ severity: 'info', action: 'record' });
    expect(alerter.openAlerts({ severity: 'critical' })).toHaveLength(2);
    expect(alerter.openAlerts({ kind: 'loop' })).toHaveLength(2);
  });

  it('raises severity and action on a repeat at once, and never lowers them while open', () => {
    const { alerter, policies, events, memory } = testAlerter();
    alerter.consume([finding()]);
    policies.set('support-1', policy({ severity: { loop: 'critical' } }));
    alerter.consume([finding()]);
    expect(events.map((e) => e.type)).toEqual(['opened', 'updated']);
    expect(events[1]!.previous).toMatchObject({ severity: 'warning', action: 'notify' });
    expect(events[1]!.alert).toMatchObject({ severity: 'critical', action: 'suspend', count: 2 });
    expect(memory.versions).toHaveLength(2);
    // The policy relaxes (hot reload to shadow mode, lower severity): the open alert keeps its level.
    policies.set('support-1', policy({ enforce: false, severity: { loop: 'info' } }));
    alerter.consume([finding()]);
    expect(alerter.openAlerts()[0]).toMatchObject({ severity: 'critical', action: 'suspend', count: 3 });
  });

  it('resolves the least recently active alert when the open limit is reached, and counts it', () => {
    const { alerter, clock, events } = testAlerter({ maxOpenAlerts: 3 });
    for (const rule of ['r1', 'r2', 'r3']) {
      alerter.consume([finding({ rule })]);
      clock.now += 1;
    }
    alerter.consume([finding({ rule: 'r1' })]); // r1 is active again: r2 is now the oldest
    alerter.consume([finding({ rule: 'r4' })]);
    expect(alerter.openAlerts().map((a) => a.rule).sort()).toEqual(['r1', 'r3', 'r4']);
    const evicted = events.find((e) => e.type === 'resolved')!;
    expect(evicted).toMatchObject({ reason: 'evicted', alert: { rule: 'r2', status: 'resolved' } });
    expect(alerter.stats()).toMatchObject({ open: 3, evicted: 1, resolved: 1 });
  });

  it('keeps going when a sink throws: other sinks are called, the error is counted', () => {
    const seen: string[] = [];
    const { alerter } = testAlerter({
      sinks: [
        {
          onAlertChange: () => {
            throw new Error('webhook down');
          },
        },
        { onAlertChange: (event) => seen.push(event.type) },
      ],
    });
    alerter.consume([finding(), finding({ rule: 'other' })]);
    expect(seen).toEqual(['opened', 'opened']);
    expect(alerter.openAlerts()).toHaveLength(2);
    expect(alerter.stats().sinkErrors).toBe(2);
  });

  it('skips a finding whose policy lookup throws and processes the rest', () => {
    const { alerter } = testAlerter({
      policyFor: (agentId) => {
        if (agentId === 'broken') throw new Error('policy bug');
        return policy();
      },
    });
    alerter.consume([finding({ agentId: 'broken' }), finding()]);
    expect(alerter.openAlerts().map((a) => a.agent_id)).toEqual(['support-1']);
    expect(alerter.stats()).toMatchObject({ findings: 2, failedFindings: 1 });
  });

  it('hands out snapshots: later changes to a finding\'s evidence do not reach a reported alert; bigints become strings', () => {
    const { alerter, events } = testAlerter();
    const evidence = { span_ids: ['01'], tokens: 10n, nested: { calls: 1 } };
    alerter.consume([finding({ evidence })]);
    evidence.nested.calls = 99;
    const reported = events[0]!.alert;
    expect(reported.evidence['nested']).toEqual({ calls: 1 });
    expect(reported.evidence['tokens']).toBe('10');
  });

  it('keeps versions the store refuses and writes them when it has room again', () => {
    const { alerter, memory, clock } = testAlerter();
    memory.state.refuse = true;
    alerter.consume([finding()]);
    expect(memory.versions).toHaveLength(0);
    expect(alerter.stats().waitingVersions).toBe(1);
    memory.state.refuse = false;
    clock.now += 1;
    alerter.tick();
    expect(memory.versions).toHaveLength(1);
    expect(alerter.stats().waitingVersions).toBe(0);
  });

  it('writes pending repeats at shutdown and ignores findings after it', async () => {
    const { alerter, memory } = testAlerter();
    alerter.consume([finding(), finding(), finding({ traceId: TRACE_B })]);
    await alerter.shutdown();
    const id = memory.versions[0]!.alert.id;
    expect(memory.latest().get(id)?.alert).toMatchObject({ count: 3, trace_id: TRACE_B, status: 'firing' });
    alerter.consume([finding()]);
    expect(memory.latest().get(id)?.alert.count).toBe(3);
  });
});
