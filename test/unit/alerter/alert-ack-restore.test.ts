import { describe, expect, it } from 'vitest';
import type { AlertVersion } from '../../../src/alerter/alert.ts';
import { alertFingerprint } from '../../../src/alerter/alert-identity.ts';
import { finding, testAlerter } from './alerter-fixtures.ts';

const DAY_MS = 86_400_000;

function storedFiring(id: string, rule: string, updatedAtMs: number): AlertVersion {
  return {
    version: updatedAtMs * 1000,
    updatedAtMs,
    alert: {
      id,
      fingerprint: alertFingerprint('loop', 'support-1', rule),
      kind: 'loop',
      rule,
      severity: 'warning',
      status: 'firing',
      agent_id: 'support-1',
      trace_id: 'c'.repeat(32),
      session_id: 's',
      summary: 'stored',
      evidence: { span_ids: ['old-span'], trace_ids: ['c'.repeat(32)], tool: 'search' },
      first_seen: new Date(updatedAtMs - 1000).toISOString(),
      last_seen: new Date(updatedAtMs).toISOString(),
      count: 4,
      action: 'notify',
      acked_at: null,
      acked_by: null,
      ack_reason: null,
      resolved_at: null,
      merged_into: null,
    },
  };
}

describe('ack', () => {
  it('acknowledges an open alert once, writing a version and telling sinks; the alert keeps firing', async () => {
    const { alerter, events, memory, clock } = testAlerter();
    alerter.consume([finding()]);
    const id = alerter.openAlerts()[0]!.id;
    clock.now += 5;
    const acked = await alerter.ack(id, 'oncall@example.com', 'looking');
    expect(acked.ok && acked.value).toMatchObject({ id, status: 'firing', acked_by: 'oncall@example.com', ack_reason: 'looking', acked_at: new Date(clock.now).toISOString() });
    expect(events.at(-1)).toMatchObject({ type: 'acked', previous: { acked_at: null } });
    expect(memory.latest().get(id)?.alert.acked_by).toBe('oncall@example.com');
    clock.now += 5;
    const again = await alerter.ack(id, 'someone-else');
    expect(again.ok && again.value?.acked_by).toBe('oncall@example.com');
    expect(events.filter((e) => e.type === 'acked')).toHaveLength(1);
    alerter.consume([finding()]);
    expect(alerter.openAlerts()[0]).toMatchObject({ count: 2, acked_by: 'oncall@example.com' });
  });

  it('acknowledges a resolved alert on its latest version, and answers null for an unknown id', async () => {
    const { alerter, memory, clock } = testAlerter({ quietPeriodMs: 1000 });
    alerter.consume([finding()]);
    const id = alerter.openAlerts()[0]!.id;
    clock.now += 1000;
    alerter.tick();
    const acked = await alerter.ack(id, 'api');
    expect(acked.ok && acked.value).toMatchObject({ id, status: 'resolved', acked_by: 'api', ack_reason: null });
    expect(memory.latest().get(id)?.alert).toMatchObject({ status: 'resolved', acked_by: 'api' });
    const unknown = await alerter.ack('no-such-alert', 'api');
    expect(unknown).toEqual({ ok: true, value: null });
  });

  it('acknowledges an alert known only to the store', async () => {
    const stored = storedFiring('stored-1', 'r', 1_600_000_000_000);
    const { alerter, memory } = testAlerter({}, [stored]);
    const acked = await alerter.ack('stored-1', 'api', 'old');
    expect(acked.ok && acked.value).toMatchObject({ id: 'stored-1', acked_by: 'api', count: 4 });
    expect(memory.latest().get('stored-1')!.version).toBeGreaterThan(stored.version);
  });
});

describe('restore at start', () => {
  it('rebuilds open alerts from the store, resolves stale ones, and folds repeats into the restored alert', async () => {
    const now = 1_700_000_000_000;
    const { alerter, clock, memory, events } = testAlerter({}, [
      storedFiring('fresh', 'identical_calls', now - 60_000),
      storedFiring('stale', 'cycle', now - 2 * DAY_MS),
    ]);
    clock.now = now;
    const summary = await alerter.start();
    await alerter.shutdown();
    expect(summary).toEqual({ ok: true, value: { restored: 1, stale: 1, folded: 0 } });
    expect(memory.latest().get('stale')?.alert).toMatchObject({ status: 'resolved', resolved_at: new Date(now).toISOString() });
    expect(events).toEqual([expect.objectContaining({ type: 'resolved', reason: 'stale' })]);
    expect(alerter.openAlerts().map((a) => a.id)).toEqual(['fresh']);
  });

  it('continues a restored alert: same id, count goes on, the quiet period restarts at start-up', async () => {
    const now = 1_700_000_000_000;
    const { alerter, clock, memory } = testAlerter({}, [storedFiring('fresh', 'identical_calls', now - 4 * 60_000)]);
    clock.now = now;
    await alerter.start();
    alerter.tick(now + 60_000); // 5 min after the stored update, 1 min after start: still open
    expect(alerter.openAlerts()).toHaveLength(1);
    alerter.consume([finding({ evidence: { span_ids: ['new-span'] } })]);
    const alert = alerter.openAlerts()[0]!;
    expect(alert).toMatchObject({ id: 'fresh', count: 5 });
    expect(alert.evidence['span_ids']).toEqual(['old-span', 'new-span']);
    await alerter.shutdown();
    expect(memory.latest().get('fresh')?.alert.count).toBe(5);
  });

  it('folds a stored duplicate of an alert opened before the restore finished', async () => {
    const now = 1_700_000_000_000;
    const { alerter, clock } = testAlerter({}, [storedFiring('stored', 'identical_calls', now - 60_000)]);
    clock.now = now;
    alerter.consume([finding()]);
    const summary = await alerter.start();
    await alerter.shutdown();
    expect(summary.ok && summary.value.folded).toBe(1);
    expect(alerter.openAlerts()).toHaveLength(1);
    expect(alerter.openAlerts()[0]!.count).toBe(5);
  });
});
