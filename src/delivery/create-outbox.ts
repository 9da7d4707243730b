import { randomUUID } from 'node:crypto';
import { nextVersion } from '../alerter/alert.ts';
import { fail, ok } from '../errors/warden-error.ts';
import type { Result } from '../errors/warden-error.ts';
import type { DeliveryRecord, NewDelivery } from './delivery.ts';
import { createDestinationStates, destinationStats, reportOutcome } from './destination-state.ts';
import type { DestinationState } from './destination-state.ts';
import { firstRecord, nextRecord } from './next-record.ts';
import type { DestinationStats, OutboxOptions } from './outbox-options.ts';
import { pickDue } from './pick-due.ts';
import type { PendingEntry } from './pick-due.ts';
import { nextDelayMs } from './retry-delay.ts';
import type { SendResult } from './send-result.ts';
import { sendSigned } from './send-signed.ts';

export interface Outbox {
  /** Loads the pending rows and starts attempting them. A failed load is returned; new
   *  deliveries still flow, and the unloaded ones are resumed by the next start. */
  start(): Promise<Result<void>>;
  /**
   * Resolves once the pending row is written; the first attempt follows (after start()). With
   * `gate`, the row is written at once but attempted only after the gate resolved true; false
   * settles it as failed without an attempt (and without onSettled): the suspension callback
   * waits this way for its action's append to the actions log, written side by side.
   */
  enqueue(delivery: NewDelivery, gate?: Promise<boolean>): Promise<Result<void>>;
  stats(): Record<string, DestinationStats>;
  /** Seconds from enqueue to the first attempt sent (the row's write and, for a gated delivery,
   *  its gate included) of deliveries first attempted since the last call; for a histogram. */
  takeFirstAttemptWaits(): Array<{ destination: string; seconds: number }>;
  /** Stops attempting, waits for attempts in flight (up to timeoutMs, default 15 000), and
   *  leaves everything else pending in the store for the next start. */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

const DAY_MS = 86_400_000;
// Observations kept between two scrapes; beyond, the newest are not kept (a scrape is missing).
const MAX_WAITS_KEPT = 10_000;

export function createOutbox(options: OutboxOptions): Outbox {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const send = options.send ?? ((request) => sendSigned(request, { now }));
  const { logger, store } = options;
  const maxPending = options.maxPending ?? 10_000;
  const destinations = createDestinationStates(options);
  // In enqueue order (sequence), which orderKey relies on.
  let pending = new Map<string, PendingEntry>();
  const inFlight = new Set<Promise<void>>();
  let lastSequence = 0;
  let running = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Deliveries enqueued by this process and not attempted yet: when they were enqueued.
  const enqueuedAt = new Map<string, number>();
  let firstAttemptWaits: Array<{ destination: string; seconds: number }> = [];

  function add(record: DeliveryRecord, durable: boolean): PendingEntry | undefined {
    if (pending.has(record.id)) return undefined;
    lastSequence = Math.max(lastSequence, record.sequence);
    const last = [...pending.values()].at(-1);
    const entry = { record, inFlight: false, durable };
    pending.set(record.id, entry);
    if (last !== undefined && last.record.sequence > record.sequence) {
      pending = new Map([...pending].sort((a, b) => a[1].record.sequence - b[1].record.sequence));
    }
    return entry;
  }

  function pump(): void {
    if (!running) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const { due, nextDueAtMs } = pickDue(pending.values(), destinations, now());
    for (const entry of due) {
      const attempt = attemptDelivery(entry, destinations.get(entry.record.destination)!);
      inFlight.add(attempt);
      void attempt.finally(() => inFlight.delete(attempt));
    }
    if (nextDueAtMs !== undefined) {
      timer = setTimeout(pump, Math.min(2 ** 31 - 1, Math.max(0, nextDueAtMs - now())));
      timer.unref();
    }
  }

  /** Settles a pending row as failed without an attempt, so no start resumes it. */
  async function withdraw(record: DeliveryRecord, reason: string): Promise<void> {
    const state = destinations.get(record.destination);
    if (state !== undefined) state.withdrawn += 1;
    const at = now();
    const written = await store.write({ ...record, status: 'failed', lastError: reason, updatedAtMs: at, version: nextVersion(record.version, at) });
    if (!written.ok) logger.error({ deliveryId: record.id, destination: record.destination, err: written.error }, 'could not record a withdrawn delivery; the next start checks it again');
    else logger.warn({ deliveryId: record.id, destination: record.destination }, `delivery withdrawn: ${reason}`);
  }

  async function attemptDelivery(entry: PendingEntry, state: DestinationState): Promise<void> {
    entry.inFlight = true;
    state.inFlight += 1;
    const { record } = entry;
    const destination = state.options;
    const expired = destination.maxAgeMs !== undefined && now() - record.createdAtMs > destination.maxAgeMs;
    let result: SendResult;
    if (expired) {
      result = { type: 'failed', message: `gave up after ${Math.round(destination.maxAgeMs! / 1000)} s: ${record.lastError || 'not delivered'}` };
    } else {
      state.attempts += 1;
      const since = enqueuedAt.get(record.id);
      if (since !== undefined) {
        enqueuedAt.delete(record.id);
        if (firstAttemptWaits.length < MAX_WAITS_KEPT) firstAttemptWaits.push({ destination: record.destination, seconds: (performance.now() - since) / 1000 });
      }
      result = await send({
        url: destination.url,
        body: record.payload,
        ...(destination.timeoutMs === undefined ? {} : { timeoutMs: destination.timeoutMs }),
        ...(destination.sendIdempotencyKey === false ? {} : { idempotencyKey: record.idempotencyKey }),
        ...(destination.signingSecret === undefined ? {} : { signingSecret: destination.signingSecret }),
      });
    }
    const at = now();
    const next = nextRecord(record, result, at, { attempted: !expired, retry: options.retry, random });
    if (result.type === 'retry') {
      // The circuit: the destination waits out the backoff too and is then probed by one
      // attempt at a time, so a dead receiver sees one request per backoff step however many
      // deliveries are queued for it.
      const failures = state.health.snapshot().consecutiveFailures + 1;
      state.blockedUntilMs = Math.max(state.blockedUntilMs, at + nextDelayMs(failures, result.afterMs, options.retry, random));
      state.concurrency = 1;
    } else if (result.type === 'ok') {
      state.blockedUntilMs = 0;
      state.concurrency = state.maxConcurrency;
    }
    const written = await store.write(next);
    if (!written.ok) {
      // The attempt happened; only its record is missing. A restart repeats at most this
      // attempt, which the idempotency key makes harmless to the receiver.
      logger.error({ deliveryId: record.id, destination: record.destination, err: written.error }, 'could not record a delivery attempt');
    }
    entry.record = next;
    entry.inFlight = false;
    state.inFlight -= 1;
    reportOutcome(state, next, result.type === 'ok', now(), logger, options);
    if (next.status !== 'pending') {
      pending.delete(next.id);
      try {
        options.onSettled?.(next);
      } catch (error) {
        logger.error({ err: error, deliveryId: next.id }, 'onSettled threw');
      }
    }
    pump();
  }

  return {
    async start() {
      running = true;
      stopped = false;
      const loaded = await store.loadPending(now() - (options.resumeWindowMs ?? 29 * DAY_MS));
      if (!loaded.ok) {
        logger.error({ err: loaded.error }, 'could not load pending deliveries; they resume at the next start');
        pump();
        return loaded;
      }
      let records = loaded.value;
      if (options.vetResumed !== undefined && records.length > 0) {
        const allowed = await options.vetResumed(records);
        if (!allowed.ok) {
          logger.error({ err: allowed.error }, 'could not check pending deliveries against what they carry out; they resume at the next start');
          pump();
          return allowed;
        }
        const refused = records.filter((record) => !allowed.value.has(record.id));
        for (const record of refused) await withdraw(record, 'not sent: what it carries out was never recorded (Warden stopped first)');
        records = records.filter((record) => allowed.value.has(record.id));
      }
      const unknown = new Set<string>();
      for (const record of records) {
        if (destinations.has(record.destination)) add(record, true);
        else unknown.add(record.destination);
      }
      for (const name of unknown) {
        logger.warn({ destination: name }, 'pending deliveries to a destination that is no longer configured are kept, not attempted');
      }
      if (pending.size > 0) logger.info({ pending: pending.size }, 'resuming pending deliveries');
      pump();
      return ok(undefined);
    },

    async enqueue(delivery, gate) {
      // Before start is fine (the row waits for it); after shutdown nothing would attempt it.
      if (stopped) return fail('WARDEN_PIPELINE_STOPPING', 'the delivery outbox is shutting down');
      if (!destinations.has(delivery.destination)) {
        return fail('WARDEN_CONFIG_INVALID', `no delivery destination named ${JSON.stringify(delivery.destination)} is configured`);
      }
      if (pending.size >= maxPending) {
        return fail('WARDEN_DELIVERY_OUTBOX_FULL', `${maxPending} deliveries are already pending; is a destination down?`);
      }
      lastSequence = nextVersion(lastSequence, now());
      const record = firstRecord(randomUUID(), delivery, now(), lastSequence);
      // Queued before it is durable, so a later delivery with the same orderKey cannot overtake
      // it while its row is written; attempted only once written.
      const entry = add(record, false)!;
      enqueuedAt.set(record.id, performance.now());
      const [written, open] = await Promise.all([store.write(record), gate ?? true]);
      if (!written.ok) {
        pending.delete(record.id);
        enqueuedAt.delete(record.id);
        pump();
        return written;
      }
      if (!open) {
        pending.delete(record.id);
        enqueuedAt.delete(record.id);
        pump();
        await withdraw(record, 'not sent: what it carries out was not recorded');
        return fail('WARDEN_STORE_UNAVAILABLE', `delivery ${record.id} withdrawn before any attempt: what it carries out was not recorded`);
      }
      entry.durable = true;
      pump();
      return ok(undefined);
    },

    takeFirstAttemptWaits() {
      const taken = firstAttemptWaits;
      firstAttemptWaits = [];
      return taken;
    },

    stats() {
      const counts = new Map<string, number>();
      for (const { record } of pending.values()) counts.set(record.destination, (counts.get(record.destination) ?? 0) + 1);
      return Object.fromEntries([...destinations].map(([name, state]) => [name, destinationStats(state, counts.get(name) ?? 0)]));
    },

    async shutdown(shutdownOptions = {}) {
      running = false;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, shutdownOptions.timeoutMs ?? 15_000);
      });
      await Promise.race([Promise.allSettled([...inFlight]), expired]);
      clearTimeout(timeout);
      pending.clear();
      enqueuedAt.clear();
    },
  };
}
