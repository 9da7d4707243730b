import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerter/alert.ts';
import { createDeliverySink, noticeDestinations } from '../../../src/delivery/create-delivery-sink.ts';
import type { DeliveryRoutes } from '../../../src/delivery/create-delivery-sink.ts';
import { createOutbox } from '../../../src/delivery/create-outbox.ts';
import type { Outbox } from '../../../src/delivery/create-outbox.ts';
import { signatureOf } from '../../../src/delivery/signature.ts';
import { alert } from '../../unit/delivery/alert-fixture.ts';
import { openOutboxStore, tempDataDir } from './fixtures/outbox-store-fixture.ts';
import type { OpenedStore } from './fixtures/outbox-store-fixture.ts';
import { startReceiver } from './fixtures/receiver.ts';
import type { Receiver } from './fixtures/receiver.ts';
import { waitFor } from './fixtures/wait-for.ts';

const SECRET = 'webhook-secret';
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';
const dataDir = tempDataDir();
let opened: OpenedStore;
let slack: Receiver;
let pagerduty: Receiver;
let webhook: Receiver;
let outbox: Outbox;
let routes: DeliveryRoutes;

beforeAll(async () => {
  opened = await openOutboxStore(dataDir.path);
  // Each stands in for the real service with its documented success answer.
  slack = await startReceiver(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' }));
  pagerduty = await startReceiver(() => ({ status: 202, headers: { 'content-type': 'application/json' }, body: '{"status":"success","message":"Event processed"}' }));
  webhook = await startReceiver(() => ({ status: 200 }));
  routes = {
    slack: { url: slack.url },
    pagerduty: { url: pagerduty.url, routingKey: ROUTING_KEY },
    webhook: { url: webhook.url },
    signingSecret: SECRET,
  };
  outbox = createOutbox({ store: opened.store, destinations: noticeDestinations(routes), logger: pino({ level: 'silent' }), retry: { minDelayMs: 50, maxDelayMs: 200 } });
  await outbox.start();
});
afterAll(async () => {
  await outbox.shutdown();
  await Promise.all([slack.close(), pagerduty.close(), webhook.close()]);
  await opened.client.close();
  dataDir.remove();
});

function bodies(receiver: Receiver): Array<Record<string, unknown>> {
  return receiver.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
}

describe('delivery sink (real Slack, PagerDuty and webhook stand-ins)', () => {
  it('tells all three about a critical alert and its resolution, in order, in their formats', async () => {
    const sink = createDeliverySink({ outbox, routes, links: { publicUrl: 'http://127.0.0.1:4320' }, logger: pino({ level: 'silent' }) });
    const firing: Alert = alert();
    sink.onAlertChange({ type: 'opened', alert: firing });
    sink.onAlertChange({ type: 'updated', alert: { ...firing, count: 7 }, previous: firing });
    sink.onAlertChange({ type: 'resolved', alert: { ...firing, count: 7, status: 'resolved', resolved_at: '2025-06-01T12:05:00.000Z' }, previous: firing });
    await waitFor(() => (slack.requests.length === 2 && pagerduty.requests.length === 2 && webhook.requests.length === 2 ? true : undefined), 'six deliveries');

    const [slackOpened, slackResolved] = bodies(slack);
    expect(slackOpened).toMatchObject({ text: `[CRITICAL] loop on support-1: ${firing.summary}` });
    expect(slackOpened?.['blocks']).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'header' })]));
    expect(JSON.stringify(slackOpened)).toContain(`http://127.0.0.1:4320/api/v1/traces/${firing.trace_id}`);
    expect(slackResolved).toMatchObject({ text: `[RESOLVED] loop on support-1: ${firing.summary}` });
    expect(slack.requests[0]!.headers['x-warden-signature']).toBeUndefined();

    expect(bodies(pagerduty)).toEqual([
      expect.objectContaining({ routing_key: ROUTING_KEY, event_action: 'trigger', dedup_key: firing.fingerprint, payload: expect.objectContaining({ severity: 'critical', source: 'support-1' }) }),
      { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: firing.fingerprint },
    ]);

    const [hookFiring, hookResolved] = bodies(webhook);
    expect(hookFiring).toMatchObject({ version: '4', status: 'firing', receiver: 'warden', alerts: [{ status: 'firing', fingerprint: firing.fingerprint, labels: { alertname: 'loop', agent_id: 'support-1', severity: 'critical' } }] });
    expect(hookResolved).toMatchObject({ version: '4', status: 'resolved', alerts: [{ status: 'resolved', endsAt: '2025-06-01T12:05:00.000Z' }] });
    for (const request of webhook.requests) {
      const timestamp = String(request.headers['x-warden-timestamp']);
      expect(request.headers['x-warden-signature']).toBe(`sha256=${signatureOf(SECRET, timestamp, request.body)}`);
      expect(String(request.headers['idempotency-key'])).toMatch(new RegExp(`^${firing.id}:`));
    }
    expect(webhook.requests[0]!.headers['idempotency-key']).not.toBe(webhook.requests[1]!.headers['idempotency-key']);
    const delivered = () => Object.values(outbox.stats()).map((s) => s.delivered);
    await waitFor(() => (delivered().every((n) => n === 2) ? true : undefined), 'the outbox to record all six');
  });

  it('sends a warning to Slack and the webhook only', async () => {
    const sink = createDeliverySink({ outbox, routes, logger: pino({ level: 'silent' }) });
    const before = { slack: slack.requests.length, pagerduty: pagerduty.requests.length, webhook: webhook.requests.length };
    sink.onAlertChange({ type: 'opened', alert: alert({ id: 'warning-1', fingerprint: 'f'.repeat(32), severity: 'warning', action: 'notify' }) });
    await waitFor(() => (slack.requests.length > before.slack && webhook.requests.length > before.webhook ? true : undefined), 'the warning');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pagerduty.requests.length).toBe(before.pagerduty);
  });
});
