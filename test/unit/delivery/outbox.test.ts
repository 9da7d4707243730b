import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/delivery/create-outbox.ts';
import type { DeliveryRecord } from '../../../src/delivery/delivery.ts';
import type { OutboxOptions } from '../../../src/delivery/outbox-options.ts';
import type { SendResult } from '../../../src/delivery/send-result.ts';
import type { SignedRequest } from '../../../src/delivery/send-signed.ts';
import { memoryOutboxStore } from './memory-outbox-store.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** An outbox over the memory store whose sends answer what `answer` says, recorded in order. */
function harness(answer: (request: SignedRequest, n: number) => SendResult | Promise<SendResult>, overrides: Partial<OutboxOptions> = {}) {
  const memory = memoryOutboxStore();
  const sent: SignedRequest[] = [];
  const settled: DeliveryRecord[] = [];
  const outbox = createOutbox({
    store: memory.store,
    destinations: { hook: { url: 'http://receiver.invalid/hook' } },
    logger: pino({ level: 'silent' }),
    retry: { minDelayMs: 10, maxDelayMs: 40 },
    send: async (request) => {
      sent.push(request);
      return answer(request, sent.length - 1);
    },
    onSettled: (record) => settled.push(record),
    ...overrides,
  });
  return { outbox, memory, sent, settled };
}

describe('createOutbox', () => {
  it('keeps deliveries that share an orderKey in enqueue order, even while the first retries', async () => {
    const { outbox, sent, settled } = harness((request, n) => (request.body === '"trigger"' && n < 2 ? { type: 'retry', message: '503' } : { type: 'ok', status: 202 }));
    await outbox.start();
    await Promise.all([
      outbox.enqueue({ destination: 'hook', payload: '"trigger"', idempotencyKey: 't', orderKey: 'fp' }),
      outbox.enqueue({ destination: 'hook', payload: '"resolve"', idempotencyKey: 'r', orderKey: 'fp' }),
    ]);
    await until(() => settled.length === 2, 'both deliveries');
    expect(sent.map((r) => r.body)).toEqual(['"trigger"', '"trigger"', '"trigger"', '"resolve"']);
    await outbox.shutdown();
  });

  it('runs unrelated deliveries side by side, up to the destination\'s concurrency', async () => {
    let active = 0;
    let most = 0;
    const { outbox, settled } = harness(
      async () => {
        most = Math.max(most, ++active);
        await sleep(20);
        active -= 1;
        return { type: 'ok', status: 200 };
      },
      { destinations: { hook: { url: 'http://receiver.invalid/hook', concurrency: 3 } } },
    );
    await outbox.start();
    for (let i = 0; i < 9; i++) await outbox.enqueue({ destination: 'hook', payload: `${i}`, idempotencyKey: `k${i}` });
    await until(() => settled.length === 9, 'nine deliveries');
    expect(most).toBe(3);
    await outbox.shutdown();
  });

  it('waits out a Retry-After', async () => {
    const { outbox, settled, sent } = harness((_, n) => (n === 0 ? { type: 'retry', afterMs: 300, message: 'HTTP 429' } : { type: 'ok', status: 200 }), {
      retry: { minDelayMs: 10, maxDelayMs: 1000 },
    });
    await outbox.start();
    const started = Date.now();
    await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'k' });
    await until(() => settled.length === 1, 'the delivery');
    expect(sent).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await outbox.shutdown();
  });

  it('gives up on a delivery older than maxAgeMs without another attempt', async () => {
    const { outbox, settled, sent } = harness(() => ({ type: 'retry', message: 'network error: ECONNREFUSED' }), {
      destinations: { hook: { url: 'http://receiver.invalid/hook', maxAgeMs: 60 } },
    });
    await outbox.start();
    await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'k' });
    await until(() => settled.length === 1, 'giving up');
    expect(settled[0]).toMatchObject({ status: 'failed', attempts: sent.length });
    expect(settled[0]!.lastError).toMatch(/^gave up after 0 s: network error: ECONNREFUSED/);
    await outbox.shutdown();
  });

  it('takes deliveries before start and attempts them once started', async () => {
    const { outbox, sent, settled } = harness(() => ({ type: 'ok', status: 200 }));
    expect((await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'early' })).ok).toBe(true);
    await sleep(20);
    expect(sent).toHaveLength(0);
    await outbox.start();
    await until(() => settled.length === 1, 'the early delivery');
    expect(sent.map((r) => r.idempotencyKey)).toEqual(['early']);
    await outbox.shutdown();
  });

  it('attempts nothing it could not write first, and says why', async () => {
    const { outbox, memory, sent } = harness(() => ({ type: 'ok', status: 200 }));
    await outbox.start();
    memory.control.refuseWrites = true;
    expect(await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'k' })).toMatchObject({ ok: false, error: { code: 'WARDEN_STORE_UNAVAILABLE' } });
    await sleep(30);
    expect(sent).toHaveLength(0);
    expect(outbox.stats()['hook']).toMatchObject({ pending: 0 });
    await outbox.shutdown();
  });

  it('refuses unknown destinations, a full outbox, and work after shutdown', async () => {
    const { outbox } = harness(() => new Promise<SendResult>(() => undefined), { maxPending: 2 });
    await outbox.start();
    expect(await outbox.enqueue({ destination: 'nowhere', payload: '{}', idempotencyKey: 'k' })).toMatchObject({ ok: false, error: { code: 'WARDEN_CONFIG_INVALID' } });
    expect((await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'a' })).ok).toBe(true);
    expect((await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'b' })).ok).toBe(true);
    expect(await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'c' })).toMatchObject({ ok: false, error: { code: 'WARDEN_DELIVERY_OUTBOX_FULL', retryable: true } });
    await outbox.shutdown({ timeoutMs: 20 });
    expect(await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'd' })).toMatchObject({ ok: false, error: { code: 'WARDEN_PIPELINE_STOPPING' } });
  });

  it('reports a failing destination once, and its recovery', async () => {
    const events: string[] = [];
    const { outbox, settled } = harness((_, n) => (n < 4 ? { type: 'retry', message: `HTTP 503 (${n})` } : { type: 'ok', status: 200 }), {
      unhealthyAfter: 3,
      onDestinationUnhealthy: (d, h) => events.push(`unhealthy ${d} ${h.consecutiveFailures} ${h.lastError}`),
      onDestinationRecovered: (d) => events.push(`recovered ${d}`),
    });
    await outbox.start();
    await outbox.enqueue({ destination: 'hook', payload: '{}', idempotencyKey: 'k' });
    await until(() => settled.length === 1, 'the delivery');
    expect(events).toEqual(['unhealthy hook 3 HTTP 503 (2)', 'recovered hook']);
    expect(outbox.stats()['hook']).toMatchObject({ consecutiveFailures: 0, unhealthy: false, failingSinceMs: null, delivered: 1, attempts: 5 });
    await outbox.shutdown();
  });

  it('resumes what the store holds as pending, in order, skipping unknown destinations', async () => {
    const first = harness(() => ({ type: 'retry', message: 'down' }), { retry: { minDelayMs: 10_000, maxDelayMs: 10_000 } });
    await first.outbox.start();
    await first.outbox.enqueue({ destination: 'hook', payload: '"one"', idempotencyKey: '1' });
    await first.outbox.enqueue({ destination: 'hook', payload: '"two"', idempotencyKey: '2' });
    // The first fails; the destination then backs off, so the second is not even tried.
    await until(() => first.sent.length === 1 && first.memory.versions.length === 3, 'the first attempt');
    await sleep(20);
    expect(first.sent).toHaveLength(1);
    first.memory.versions.push({ ...first.memory.versions[0]!, id: 'elsewhere', destination: 'removed-from-config' });
    await first.outbox.shutdown();

    const sent: string[] = [];
    const settled: DeliveryRecord[] = [];
    const second = createOutbox({
      store: first.memory.store,
      destinations: { hook: { url: 'http://receiver.invalid/hook', concurrency: 1 } },
      logger: pino({ level: 'silent' }),
      // The restarted Warden does not wait out the old backoff's remainder longer than due.
      now: () => Date.now() + 20_000,
      send: async (request) => {
        sent.push(`${request.body} ${request.idempotencyKey}`);
        return { type: 'ok', status: 200 };
      },
      onSettled: (record) => settled.push(record),
    });
    expect((await second.start()).ok).toBe(true);
    await until(() => settled.length === 2, 'resumed deliveries');
    expect(sent).toEqual(['"one" 1', '"two" 2']);
    expect(settled.map((r) => r.attempts)).toEqual([2, 1]);
    await second.shutdown();
  });
});
