import { ACCEPTED_IN_MEMORY } from '../../../src/store/admission.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlerter } from '../../../src/alerter/create-alerter.ts';
import type { Alerter } from '../../../src/alerter/alerter.ts';
import { buildApiApp } from '../../../src/api/api-app.ts';
import type { ApiReadModel } from '../../../src/api/read-model.ts';
import type { Finding } from '../../../src/detector/finding.ts';
import type { AgentPolicy } from '../../../src/policy/agent-policy.ts';
import { createAlertStore } from '../../../src/store/alert-store.ts';
import type { ClickHouseAlertStore } from '../../../src/store/alert-store.ts';
import { createAlertReadModel } from '../../../src/store/api-read-model.ts';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';
import { countOpenAlerts } from '../../../src/store/queries/open-alerts.ts';
import { migrate } from '../../../src/store/schema/migrate.ts';
import { finding, policy } from '../../unit/alerter/alerter-fixtures.ts';

// One engine per process (vitest forks per file): this file's data dir is closed and reopened
// in place to test a restart.
const DATABASE = 'warden_alerts';
const dataDir = mkdtempSync(join(tmpdir(), 'warden-alerts-'));
const logger = pino({ level: 'silent' });
let client: ClickHouseClient;
let store: ClickHouseAlertStore;

async function open(instance = 'warden-a'): Promise<void> {
  client = openClickHouse({ database: DATABASE, dataDir });
  const migrated = await migrate(client, { database: DATABASE, ttlDays: 30 });
  if (!migrated.ok) throw new Error(migrated.error.message);
  const created = createAlertStore(client, { database: DATABASE, instance, flushIntervalMs: 20 });
  if (!created.ok) throw new Error(created.error.message);
  store = created.value;
}

async function close(): Promise<void> {
  await store.shutdown();
  await client.close();
}

const clock = { now: Date.now() };
const policies = new Map<string, AgentPolicy>([['shadow-agent', policy({ enforce: false })]]);
function newAlerter(): Alerter {
  return createAlerter({ policyFor: (agentId) => policies.get(agentId) ?? policy(), store, clock: () => clock.now, logger, quietPeriodMs: 60_000 });
}
const at = (overrides: Partial<Finding>): Finding => finding({ observedAtMs: clock.now, ...overrides });

beforeAll(() => open());
afterAll(async () => {
  await close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('alerts in the alerts table', () => {
  let alerter: Alerter;

  it('stores every change as a version and reads each alert back in its latest version, filtered, newest first', async () => {
    alerter = newAlerter();
    const started = await alerter.start();
    expect(started).toEqual({ ok: true, value: { restored: 0, stale: 0, folded: 0 } });

    alerter.consume([at({ agentId: 'support-1', evidence: { span_ids: ['0000000000000001'], tool: 'ticket-create' } })]);
    clock.now += 10;
    alerter.consume([at({ agentId: 'shadow-agent', kind: 'policy_violation', rule: 'tool_denied:code-execute', summary: 'denied tool code-execute' })]);
    clock.now += 10;
    alerter.consume([at({ agentId: 'drifter', kind: 'permission_drift', rule: 'new_tool:ssh' })]);
    clock.now += 2000;
    alerter.consume([at({ agentId: 'support-1', evidence: { span_ids: ['0000000000000002'], args: { title: 'refund ✓ \u{1F600}' } } })]); // past the persist interval: written now
    await store.flush();

    const reads = createAlertReadModel(store);
    const all = await reads.listAlerts({ limit: 100 });
    expect(all.map((a) => a.agent_id)).toEqual(['drifter', 'shadow-agent', 'support-1']);
    const loop = all[2]!;
    expect(loop).toMatchObject({ kind: 'loop', rule: 'identical_calls', status: 'firing', count: 2, severity: 'warning', action: 'notify', acked_at: null, resolved_at: null, merged_into: null });
    expect(loop.evidence).toEqual({
      span_ids: ['0000000000000001', '0000000000000002'],
      trace_ids: ['a'.repeat(32)],
      args: { title: 'refund ✓ \u{1F600}' },
    });
    expect(all[1]).toMatchObject({ severity: 'critical', action: 'would_suspend', summary: 'denied tool code-execute' });

    expect((await reads.listAlerts({ kind: 'loop', limit: 100 })).map((a) => a.id)).toEqual([loop.id]);
    expect((await reads.listAlerts({ severity: 'critical', limit: 100 })).map((a) => a.agent_id)).toEqual(['shadow-agent']);
    expect((await reads.listAlerts({ agentId: 'drifter', status: 'firing', limit: 100 })).map((a) => a.kind)).toEqual(['permission_drift']);
    expect(await reads.listAlerts({ status: 'resolved', limit: 100 })).toEqual([]);
    expect(await reads.listAlerts({ limit: 1 })).toHaveLength(1);
    expect(await reads.getAlert(loop.id)).toEqual(loop);
    expect(await reads.getAlert('nope')).toBeNull();
  });

  it('persists acks and resolutions; filters never match a superseded version', async () => {
    const reads = createAlertReadModel(store);
    const [drift] = await reads.listAlerts({ agentId: 'drifter', limit: 1 });
    clock.now += 10;
    const acked = await alerter.ack(drift!.id, 'alice', 'expected: new deploy');
    expect(acked.ok && acked.value?.acked_by).toBe('alice');
    // ack waits for its version to be written: a read right after sees it.
    expect(await reads.getAlert(drift!.id)).toMatchObject({ acked_by: 'alice', ack_reason: 'expected: new deploy', status: 'firing' });

    // Keep support-1 active, let the rest go quiet.
    clock.now += 50_000;
    alerter.consume([at({ agentId: 'support-1' })]);
    clock.now += 20_000;
    alerter.tick();
    await store.flush();

    const firing = await reads.listAlerts({ status: 'firing', limit: 100 });
    expect(firing.map((a) => a.agent_id)).toEqual(['support-1']);
    const resolved = await reads.listAlerts({ status: 'resolved', limit: 100 });
    expect(resolved.map((a) => a.agent_id).sort()).toEqual(['drifter', 'shadow-agent']);
    expect(resolved.find((a) => a.agent_id === 'drifter')).toMatchObject({ acked_by: 'alice', resolved_at: new Date(clock.now).toISOString() });

    // The superseded versions are still there as rows (not merged yet): FINAL hides them.
    const rows = await client.query({ query: `SELECT count() AS n FROM ${DATABASE}.alerts WHERE agent_id = 'drifter'`, format: 'JSONEachRow' });
    expect(Number((await rows.json<{ n: string }>())[0]!.n)).toBeGreaterThanOrEqual(3);
    expect((await reads.listAlerts({ agentId: 'drifter', status: 'firing', limit: 100 }))).toEqual([]);

    // The agents view counts firing alerts from the same table.
    const open = await countOpenAlerts({ client, database: DATABASE });
    expect(open.ok && Object.fromEntries(open.value)).toEqual({ 'support-1': 1 });
  });

  it('serves the alerts through the API, ack included', async () => {
    const app = buildApiApp(
      {
        readModel: {} as ApiReadModel,
        outcomes: { writeOutcomes: () => ACCEPTED_IN_MEMORY },
        readiness: { notReadyReason: () => null },
        metricsRegistry: new Registry(),
        logger,
        alerts: { readModel: createAlertReadModel(store), acks: alerter },
      },
      { token: 't0ken', maxBodyBytes: 1024 * 1024, version: 'test' },
    );
    const list = await app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing&kind=loop' });
    expect(list.statusCode).toBe(200);
    const [loop] = list.json().alerts;
    expect(loop).toMatchObject({ agent_id: 'support-1', status: 'firing', action: 'notify' });
    const ack = await app.inject({ method: 'POST', url: `/api/v1/alerts/${loop.id}/ack`, headers: { authorization: 'Bearer t0ken' }, payload: { by: 'bob' } });
    expect(ack.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/alerts/${loop.id}` })).json()).toMatchObject({ acked_by: 'bob', status: 'firing' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts?status=paused' })).statusCode).toBe(400);
    await app.close();
  });

  it('restores open alerts after a restart and continues them under the same id', async () => {
    const before = alerter.openAlerts();
    expect(before).toHaveLength(1);
    clock.now += 5;
    alerter.consume([at({ agentId: 'support-1', evidence: { span_ids: ['0000000000000009'] } })]); // pending: written by shutdown
    await alerter.shutdown();
    await close();

    await open();
    const restarted = newAlerter();
    const restored = await restarted.start();
    expect(restored).toEqual({ ok: true, value: { restored: 1, stale: 0, folded: 0 } });
    const [alert] = restarted.openAlerts();
    expect(alert).toMatchObject({ id: before[0]!.id, count: before[0]!.count + 1, acked_by: 'bob' });
    expect(alert!.evidence['span_ids']).toContain('0000000000000009');

    clock.now += 10;
    restarted.consume([at({ agentId: 'support-1' })]);
    await restarted.shutdown();
    const stored = await createAlertReadModel(store).getAlert(before[0]!.id);
    expect(stored).toMatchObject({ status: 'firing', count: before[0]!.count + 2 });
    expect(await createAlertReadModel(store).listAlerts({ status: 'firing', limit: 10 })).toHaveLength(1);
  });

  it("leaves another instance's alerts to it: not restored here, and not acked here while they fire", async () => {
    // Warden "warden-b" shares the table: it restores only its own alerts, starting with none.
    await close();
    await open('warden-b');
    const other = newAlerter();
    expect(await other.start()).toEqual({ ok: true, value: { restored: 0, stale: 0, folded: 0 } });
    const [firing] = await createAlertReadModel(store).listAlerts({ status: 'firing', limit: 10 });
    expect(firing?.agent_id).toBe('support-1');
    const refused = await other.ack(firing!.id, 'carol', '');
    expect(refused).toMatchObject({ ok: false, error: { code: 'WARDEN_ALERT_OWNED_ELSEWHERE' } });
    expect(!refused.ok && refused.error.message).toContain('"warden-a"');
    // A resolved alert has no owner writing it any more: any instance may ack it.
    const [resolved] = await createAlertReadModel(store).listAlerts({ agentId: 'shadow-agent', limit: 1 });
    const acked = await other.ack(resolved!.id, 'carol', 'seen');
    expect(acked.ok && acked.value?.acked_by).toBe('carol');

    // Its own alerts are its own: raised here, restored here after a restart.
    clock.now += 10;
    other.consume([at({ agentId: 'billing-7', kind: 'permission_drift', rule: 'new_tool:ftp' })]);
    await other.shutdown();
    await close();
    await open('warden-b');
    const restarted = newAlerter();
    expect(await restarted.start()).toEqual({ ok: true, value: { restored: 1, stale: 0, folded: 0 } });
    expect(restarted.openAlerts().map((a) => a.agent_id)).toEqual(['billing-7']);
    await restarted.shutdown();
  });
});
