import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/delivery/create-outbox.ts';
import type { Outbox } from '../../../src/delivery/create-outbox.ts';
import type { DeliveryRecord } from '../../../src/delivery/delivery.ts';
import type { DestinationHealth } from '../../../src/delivery/destination-health.ts';
import type { DestinationOptions } from '../../../src/delivery/outbox-options.ts';
import { signatureOf } from '../../../src/delivery/signature.ts';
import { createOutboxStore } from '../../../src/store/outbox-store.ts';
import { DATABASE, openOutboxStore, outboxRows, tempDataDir } from './fixtures/outbox-store-fixture.ts';
import type { OpenedStore } from './fixtures/outbox-store-fixture.ts';
import { startReceiver } from './fixtures/receiver.ts';
import { sleep, waitFor } from './fixtures/wait-for.ts';

const SECRET = 'test-signing-secret';
const RETRY = { minDelayMs: 50, maxDelayMs: 200 };
const dataDir = tempDataDir();
let opened: OpenedStore;

beforeAll(async () => {
  opened = await openOutboxStore(dataDir.path);
});
afterAll(async () => {
  await opened.client.close();
  dataDir.remove();
});

function outbox(destinations: Record<string, DestinationOptions>, extra: Partial<Parameters<typeof createOutbox>[0]> = {}): Outbox {
  return createOutbox({ store: opened.store, destinations, logger: pino({ level: 'silent' }), retry: RETRY, ...extra });
}

describe('delivery outbox (real HTTP, embedded ClickHouse)', () => {
  it('signs the body, retries 503 three times with one idempotency key, and delivers exactly once', async () => {
    const receiver = await startReceiver((_, n) => (n < 3 ? { status: 503, body: 'warming up' } : { status: 200, body: 'ok' }));
    const settled: DeliveryRecord[] = [];
    const box = outbox({ webhook: { url: receiver.url, signingSecret: SECRET } }, { onSettled: (r) => settled.push(r) });
    expect((await box.start()).ok).toBe(true);
    const payload = JSON.stringify({ version: '4', status: 'firing' });
    expect(await box.enqueue({ destination: 'webhook', payload, idempotencyKey: 'alert-1:opened' })).toEqual({ ok: true, value: undefined });

    await waitFor(() => (settled.length === 1 ? true : undefined), 'the delivery to settle');
    expect(receiver.requests).toHaveLength(4);
    for (const request of receiver.requests) {
      expect(request.body).toBe(payload);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['idempotency-key']).toBe('alert-1:opened');
      const timestamp = String(request.headers['x-warden-timestamp']);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
      expect(request.headers['x-warden-signature']).toBe(`sha256=${signatureOf(SECRET, timestamp, request.body)}`);
    }
    expect(settled[0]).toMatchObject({ status: 'delivered', attempts: 4, lastError: 'HTTP 503: warming up' });
    expect(box.stats()['webhook']).toMatchObject({ pending: 0, delivered: 1, failed: 0, attempts: 4, consecutiveFailures: 0 });
    // Durable before the first attempt: a pending row, then one row per attempt.
    const rows = (await outboxRows(opened.client)).filter((r) => r.id === settled[0]!.id);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([['pending', 0], ['pending', 1], ['pending', 2], ['pending', 3], ['delivered', 4]]);
    await box.shutdown();
    await receiver.close();
  });

  it('marks a delivery refused with 400 failed after one attempt', async () => {
    const receiver = await startReceiver(() => ({ status: 400, body: 'invalid_payload' }));
    const settled: DeliveryRecord[] = [];
    const box = outbox({ slack: { url: receiver.url } }, { onSettled: (r) => settled.push(r) });
    await box.start();
    await box.enqueue({ destination: 'slack', payload: '{"text":"x"}', idempotencyKey: 'k-400' });
    await waitFor(() => (settled.length === 1 ? true : undefined), 'the delivery to fail');
    await sleep(300);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers['x-warden-signature']).toBeUndefined();
    expect(settled[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 400: invalid_payload' });
    expect(box.stats()['slack']).toMatchObject({ pending: 0, failed: 1, consecutiveFailures: 1 });
    expect((await opened.store.loadPending(0)).ok && (await opened.store.loadPending(0))).toMatchObject({ value: [] });
    await box.shutdown();
    await receiver.close();
  });

  it('resumes a delivery after shutdown mid-retry and a reopened store', async () => {
    const down = await startReceiver(() => ({ status: 200 }));
    const port = down.port;
    await down.close();
    const first = outbox({ webhook: { url: `http://127.0.0.1:${port}/hook`, signingSecret: SECRET } });
    await first.start();
    await first.enqueue({ destination: 'webhook', payload: '{"n":1}', idempotencyKey: 'resume-1' });
    await waitFor(() => ((first.stats()['webhook']?.attempts ?? 0) >= 2 ? true : undefined), 'two failed attempts');
    await first.shutdown();
    expect(first.stats()['webhook']).toMatchObject({ delivered: 0 });

    // Warden restarts: the embedded engine is closed and the same data directory opened again.
    await opened.client.close();
    opened = await openOutboxStore(dataDir.path);
    const receiver = await startReceiver(() => ({ status: 200 }), port);
    const settled: DeliveryRecord[] = [];
    const second = outbox({ webhook: { url: receiver.url, signingSecret: SECRET } }, { onSettled: (r) => settled.push(r) });
    expect((await second.start()).ok).toBe(true);
    await waitFor(() => (settled.length === 1 ? true : undefined), 'the resumed delivery');
    expect(settled[0]).toMatchObject({ status: 'delivered', idempotencyKey: 'resume-1' });
    expect(settled[0]!.attempts).toBeGreaterThanOrEqual(3);
    expect(receiver.requests.map((r) => [r.body, r.headers['idempotency-key']])).toEqual([['{"n":1}', 'resume-1']]);
    expect((await opened.store.loadPending(0)).ok && (await opened.store.loadPending(0))).toMatchObject({ value: [] });
    await second.shutdown();
    await receiver.close();
  });

  it('resumes only its own pending deliveries when several Wardens share the table', async () => {
    const down = await startReceiver(() => ({ status: 200 }));
    const port = down.port;
    await down.close();
    const otherStore = createOutboxStore(opened.client, DATABASE, 'warden-b');
    if (!otherStore.ok) throw new Error(otherStore.error.message);
    const other = outbox({ webhook: { url: `http://127.0.0.1:${port}/hook` } }, { store: otherStore.value });
    await other.start();
    await other.enqueue({ destination: 'webhook', payload: '{"from":"b"}', idempotencyKey: 'b-1' });
    await waitFor(() => ((other.stats()['webhook']?.attempts ?? 0) >= 1 ? true : undefined), 'a failed attempt');
    await other.shutdown();

    // This instance ("default") starts with the receiver back: warden-b's delivery is not its to make.
    const receiver = await startReceiver(() => ({ status: 200 }), port);
    const mine = outbox({ webhook: { url: receiver.url } });
    expect((await mine.start()).ok).toBe(true);
    await sleep(300);
    expect(receiver.requests).toHaveLength(0);
    await mine.shutdown();

    const settled: DeliveryRecord[] = [];
    const resumed = outbox({ webhook: { url: receiver.url } }, { store: otherStore.value, onSettled: (r) => settled.push(r) });
    await resumed.start();
    await waitFor(() => (settled.length === 1 ? true : undefined), "warden-b's resumed delivery");
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual(['b-1']);
    await resumed.shutdown();
    await receiver.close();
  });

  it('reports a destination that keeps failing, and spaces its attempts instead of looping', async () => {
    const receiver = await startReceiver(() => ({ status: 500, body: 'boom' }));
    const unhealthy: Array<[string, DestinationHealth]> = [];
    const box = outbox(
      { pagerduty: { url: receiver.url, concurrency: 4 } },
      { unhealthyAfter: 3, retry: { minDelayMs: 100, maxDelayMs: 400 }, onDestinationUnhealthy: (d, h) => unhealthy.push([d, h]) },
    );
    await box.start();
    for (let i = 0; i < 20; i++) await box.enqueue({ destination: 'pagerduty', payload: `{"i":${i}}`, idempotencyKey: `k-${i}` });
    await sleep(2000);
    expect(box.stats()['pagerduty']).toMatchObject({ pending: 20, delivered: 0, unhealthy: true });
    await box.shutdown();
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0]).toMatchObject(['pagerduty', { unhealthy: true, consecutiveFailures: 3, lastError: 'HTTP 500: boom' }]);
    // 20 deliveries to a dead receiver for 2 s: after the first round (4 at once) the destination
    // is probed one request at a time, each after its backoff (100 ms, then up to 400 ms).
    const times = receiver.requests.map((r) => r.atMs);
    expect(times.length).toBeGreaterThanOrEqual(5);
    expect(times.length).toBeLessThanOrEqual(20);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(90);
    await receiver.close();
  });

  it('makes every delivery exactly once, in order per agent, after its receivers were down (connection refused) for many retries', async () => {
    // Two ports with nothing listening: the webhook receiver and the agent runtime are down.
    const [hookDown, runtimeDown] = await Promise.all([startReceiver(() => ({ status: 200 })), startReceiver(() => ({ status: 200 }))]);
    const ports = [hookDown.port, runtimeDown.port] as const;
    await Promise.all([hookDown.close(), runtimeDown.close()]);
    const settled: DeliveryRecord[] = [];
    const box = outbox(
      { webhook: { url: `http://127.0.0.1:${ports[0]}/hook`, signingSecret: SECRET }, suspend: { url: `http://127.0.0.1:${ports[1]}/agents/callback`, signingSecret: SECRET } },
      { onSettled: (r) => settled.push(r), retry: { minDelayMs: 50, maxDelayMs: 300 } },
    );
    await box.start();
    const agents = ['agent-a', 'agent-b', 'agent-c'];
    for (let i = 0; i < 30; i++) {
      const agent = agents[i % 3]!;
      await box.enqueue({ destination: 'webhook', payload: JSON.stringify({ agent, n: i }), idempotencyKey: `notice-${i}`, orderKey: agent });
      if (i % 6 === 0) await box.enqueue({ destination: 'suspend', payload: JSON.stringify({ agent, n: i }), idempotencyKey: `callback-${i}`, orderKey: agent });
    }
    // Down long enough for every delivery to fail several times (the production backoff grows to
    // 5 minutes; here it is capped at 300 ms so the outage fits in a test).
    await sleep(3_000);
    expect(settled).toHaveLength(0);
    expect(box.stats()['webhook']!.attempts).toBeGreaterThan(3);

    const hook = await startReceiver(() => ({ status: 200 }), ports[0]);
    const runtime = await startReceiver(() => ({ status: 200 }), ports[1]);
    await waitFor(() => (settled.length === 35 ? true : undefined), 'all 35 deliveries after the receivers came back');
    await sleep(500);
    const keys = [...hook.requests, ...runtime.requests].map((r) => String(r.headers['idempotency-key']));
    expect(keys).toHaveLength(35);
    expect(new Set(keys).size).toBe(35);
    expect(settled.every((r) => r.status === 'delivered')).toBe(true);
    for (const agent of agents) {
      const seen = hook.requests.map((r) => JSON.parse(r.body) as { agent: string; n: number }).filter((b) => b.agent === agent).map((b) => b.n);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
    }
    await box.shutdown();
    await Promise.all([hook.close(), runtime.close()]);
  });
});
