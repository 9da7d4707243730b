import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/delivery/create-outbox.ts';
import type { DeliveryRecord } from '../../../src/delivery/delivery.ts';
import { firstRecord } from '../../../src/delivery/next-record.ts';
import type { OutboxOptions } from '../../../src/delivery/outbox-options.ts';
import type { SignedRequest } from '../../../src/delivery/send-signed.ts';
import { fail, ok } from '../../../src/errors/warden-error.ts';
import { memoryOutboxStore } from './memory-outbox-store.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function harness(initial: DeliveryRecord[] = [], overrides: Partial<OutboxOptions> = {}) {
  const memory = memoryOutboxStore(initial);
  const sent: SignedRequest[] = [];
  const settled: DeliveryRecord[] = [];
  const outbox = createOutbox({
    store: memory.store,
    destinations: { suspend: { url: 'http://receiver.invalid/suspend' } },
    logger: pino({ level: 'silent' }),
    send: async (request) => {
      sent.push(request);
      return { type: 'ok', status: 200 };
    },
    onSettled: (record) => settled.push(record),
    ...overrides,
  });
  return { outbox, memory, sent, settled };
}

/** A gate the test opens or shuts by hand, as the actions log's append resolves. */
function gate() {
  let settle!: (open: boolean) => void;
  const promise = new Promise<boolean>((resolve) => (settle = resolve));
  return { promise, settle };
}

const latest = (versions: readonly DeliveryRecord[], id: string): DeliveryRecord | undefined =>
  versions.filter((v) => v.id === id).sort((a, b) => b.version - a.version)[0];

describe('outbox gate (the suspension callback waits for its action to be recorded)', () => {
  it('writes the row at once but sends nothing until the gate opens', async () => {
    const { outbox, memory, sent } = harness();
    await outbox.start();
    const recorded = gate();
    const queued = outbox.enqueue({ destination: 'suspend', payload: '{}', idempotencyKey: 'action-1', orderKey: 'agent-a' }, recorded.promise);
    await until(() => memory.versions.length === 1, 'the pending row');
    await sleep(30);
    expect(sent).toHaveLength(0);
    recorded.settle(true);
    expect((await queued).ok).toBe(true);
    await until(() => sent.length === 1, 'the callback');
    expect(sent[0]?.idempotencyKey).toBe('action-1');
    // The wait is measured for warden_delivery_first_attempt_seconds: the held time included.
    const [wait] = outbox.takeFirstAttemptWaits();
    expect(wait?.destination).toBe('suspend');
    expect(wait!.seconds).toBeGreaterThanOrEqual(0.025);
    expect(outbox.takeFirstAttemptWaits()).toEqual([]);
    await outbox.shutdown();
  });

  it('never sends a callback whose action was not recorded, and settles its row so no start resumes it', async () => {
    const { outbox, memory, sent, settled } = harness();
    await outbox.start();
    const recorded = gate();
    const queued = outbox.enqueue({ destination: 'suspend', payload: '{}', idempotencyKey: 'action-2', orderKey: 'agent-b' }, recorded.promise);
    // A resume for the same agent queued behind it must not overtake it while it is held.
    const resume = outbox.enqueue({ destination: 'suspend', payload: '{"type":"agent.resume"}', idempotencyKey: 'action-3', orderKey: 'agent-b' }, Promise.resolve(true));
    await sleep(30);
    expect(sent).toHaveLength(0);
    recorded.settle(false);
    expect(await queued).toMatchObject({ ok: false });
    expect((await resume).ok).toBe(true);
    await until(() => sent.length === 1, 'the resume');
    expect(sent.map((r) => r.idempotencyKey)).toEqual(['action-3']);
    const withdrawn = memory.versions.find((v) => v.idempotencyKey === 'action-2' && v.status === 'failed');
    expect(withdrawn?.attempts).toBe(0);
    expect(withdrawn?.lastError).toMatch(/not recorded/);
    // Withdrawn is not a refusal by the receiver: no callback outcome is reported for it.
    await until(() => settled.length === 1, 'the resume settled');
    expect(settled.map((r) => r.idempotencyKey)).toEqual(['action-3']);
    expect(await memory.store.loadPending(0)).toMatchObject({ ok: true, value: [] });
    // Counted for warden_delivery_withdrawn: the enforcement that did not happen shows there.
    expect(outbox.stats()['suspend']).toMatchObject({ withdrawn: 1, delivered: 1, failed: 0 });
    await outbox.shutdown();
  });

  it('at start, sends a pending row only if vetResumed allows it, and withdraws the rest', async () => {
    const now = Date.now();
    const kept = firstRecord('d-kept', { destination: 'suspend', payload: '{}', idempotencyKey: 'recorded-action' }, now, 1);
    const orphan = firstRecord('d-orphan', { destination: 'suspend', payload: '{}', idempotencyKey: 'lost-action' }, now, 2);
    const asked: string[] = [];
    const { outbox, memory, sent } = harness([kept, orphan], {
      vetResumed: async (records) => {
        asked.push(...records.map((r) => r.id));
        return ok(new Set(['d-kept']));
      },
    });
    expect((await outbox.start()).ok).toBe(true);
    await until(() => sent.length === 1, 'the recorded callback');
    await sleep(30);
    expect(asked).toEqual(['d-kept', 'd-orphan']);
    expect(sent.map((r) => r.idempotencyKey)).toEqual(['recorded-action']);
    expect(latest(memory.versions, 'd-orphan')).toMatchObject({ status: 'failed', attempts: 0 });
    await outbox.shutdown();
  });

  it('sends nothing it could not vet at start, and says so', async () => {
    const now = Date.now();
    const pendingRow = firstRecord('d-1', { destination: 'suspend', payload: '{}', idempotencyKey: 'a' }, now, 1);
    const { outbox, memory, sent } = harness([pendingRow], { vetResumed: async () => fail('WARDEN_STORE_UNAVAILABLE', 'actions table unreadable') });
    expect(await outbox.start()).toMatchObject({ ok: false, error: { code: 'WARDEN_STORE_UNAVAILABLE' } });
    await sleep(30);
    expect(sent).toHaveLength(0);
    expect(latest(memory.versions, 'd-1')?.status).toBe('pending');
    await outbox.shutdown();
  });
});
