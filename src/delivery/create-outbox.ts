import { randomUUID } from 'node:crypto';
import { nextVersion } from '../alerter/alert.ts';
import { fail, ok } from '../errors/warden-error.ts';
import type { Result } from '../errors/warden-error.ts';
import type { DeliveryRecord, NewDelivery } from './delivery.ts';
import { createDestinationHealth } from './destination-health.ts';
import type { DestinationHealthTracker } from './destination-health.ts';
import { nextRecord } from './next-record.ts';
import type { DestinationOptions, DestinationStats, OutboxOptions } from './outbox-options.ts';
import { pickDue } from './pick-due.ts';
import type { DestinationGate, PendingEntry } from './pick-due.ts';
import { nextDelayMs } from './retry-delay.ts';
import { sendSigned } from './send-signed.ts';

export interface Outbox {
  /** Loads the pending rows and starts attempting them. A failed load is returned; new
   *  deliveries still flow, and the unloaded ones are resumed by the next start. */
  start(): Promise<Result<void>>;
  /** Resolves once the pending row is written; the first attempt follows. */
  enqueue(delivery: NewDelivery): Promise<Result<void>>;
  stats(): Record<string, DestinationStats>;
  /** Stops attempting, waits for attempts in flight (up to timeoutMs, default 15 000), and
   *  leaves everything else pending in the store for the next start. */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

interface DestinationState extends DestinationGate {
  options: DestinationOptions;
  health: DestinationHealthTracker;
  attempts: number;
  delivered: number;
  failed: number;
}

export function createOutbox(options: OutboxOptions): Outbox {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const send = options.send ?? ((request) => sendSigned(request, { now }));
  const logger = options.logger;
  const maxPending = options.maxPending ?? 10_000;
  const destinations = new Map<string, DestinationState>();
  for (const [name, destination] of Object.entries(options.destinations)) {
    const concurrency = Math.min(4, Math.max(1, Math.floor(destination.concurrency ?? 2)));
    destinations.set(name, {
      options: destination,
      concurrency,
      inFlight: 0,
      blockedUntilMs: 0,
      health: createDestinationHealth(options.unhealthyAfter ?? 5),
      attempts: 0,
      delivered: 0,
      failed: 0,
    });
  }
  // Kept in enqueue order (sequence), which orderKey relies on.
  let pending = new Map<string, PendingEntry>();
  const inFlight = new Set<Promise<void>>();
  let lastSequence = 0;
  let running = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

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
    if (!running || stopping) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const { due, nextDueAtMs } = pickDue(pending.values(), destinations, now());
    for (const entry of due) track(attempt(entry));
    if (nextDueAtMs !== undefined) {
      timer = setTimeout(pump, Math.min(2 ** 31 - 1, Math.max(0, nextDueAtMs - now())));
      timer.unref();
    }
  }

  function track(promise: Promise<void>): void {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  }

  async function attempt(entry: PendingEntry): Promise<void> {
    const state = destinations.get(entry.record.destination)!;
    entry.inFlight = true;
    state.inFlight += 1;
    const record = entry.record;
    const { options: destination } = state;
    const expired = destination.maxAgeMs !== undefined && now() - record.createdAtMs > destination.maxAgeMs;
    const result = expired
      ? ({ type: 'failed', message: `gave up after ${Math.round(destination.maxAgeMs! / 1000)} s: ${record.lastError || 'not delivered'}` } as const)
      : await send({
          url: destination.url,
          body: record.payload,
          timeoutMs: destination.timeoutMs,
          ...(destination.sendIdempotencyKey === false ? {} : { idempotencyKey: record.idempotencyKey }),
          ...(destination.signingSecret === undefined ? {} : { signingSecret: destination.signingSecret }),
        });
    if (!expired) state.attempts += 1;
    const at = now();
    const next = nextRecord(record, result, at, { attempted: !expired, retry: options.retry, random });
    if (result.type === 'retry') {
      const failures = state.health.snapshot().consecutiveFailures + 1;
      // The destination waits too, so a dead receiver sees one attempt per backoff step however
      // many deliveries are queued for it: that is the circuit.
      state.blockedUntilMs = Math.max(state.blockedUntilMs, at + nextDelayMs(failures, result.afterMs, options.retry, random));
    } else if (result.type === 'ok') {
      state.blockedUntilMs = 0;
    }
    const written = await options.store.write(next);
    if (!written.ok) {
      // The attempt happened; only its record is missing. A restart repeats at most this attempt,
      // which the idempotency key makes harmless to the receiver.
      logger.error({ deliveryId: record.id, destination: record.destination, err: written.error }, 'could not record a delivery attempt');
    }
    entry.record = next;
    entry.inFlight = false;
    state.inFlight -= 1;
    observe(record.destination, state, next, result.type === 'ok');
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

  function observe(name: string, state: DestinationState, record: DeliveryRecord, succeeded: boolean): void {
    const log = { destination: name, deliveryId: record.id, attempts: record.attempts, status: record.status };
    if (succeeded) {
      state.delivered += 1;
      if (state.health.success() === 'recovered') {
        logger.info(log, 'delivery destination recovered');
        options.onDestinationRecovered?.(name);
      }
      return;
    }
    if (record.status === 'failed') state.failed += 1;
    const event = state.health.failure(record.lastError, now());
    const health = state.health.snapshot();
    if (event === 'became_unhealthy') {
      logger.warn({ ...log, ...health }, 'delivery destination keeps failing; retrying with backoff');
      try {
        options.onDestinationUnhealthy?.(name, health);
      } catch (error) {
        logger.error({ err: error, destination: name }, 'onDestinationUnhealthy threw');
      }
    } else if (event === 'warn' || record.status === 'failed') {
      logger.warn({ ...log, error: record.lastError }, record.status === 'failed' ? 'delivery failed permanently' : 'delivery attempt failed; will retry');
    }
  }

  function nextSequence(): number {
    lastSequence = nextVersion(lastSequence, now());
    return lastSequence;
  }

  return {
    async start() {
      running = true;
      stopping = false;
      const loaded = await options.store.loadPending(now() - (options.resumeWindowMs ?? 29 * 86_400_000));
      if (!loaded.ok) {
        logger.error({ err: loaded.error }, 'could not load pending deliveries; they resume at the next start');
        pump();
        return loaded;
      }
      const unknown = new Set<string>();
      for (const record of loaded.value) {
        if (destinations.has(record.destination)) add(record, true);
        else unknown.add(record.destination);
      }
      for (const name of unknown) {
        logger.warn({ destination: name }, 'pending deliveries to a destination that is no longer configured are kept, not attempted');
      }
      if (loaded.value.length > 0) logger.info({ pending: pending.size }, 'resuming pending deliveries');
      pump();
      return ok(undefined);
    },

    async enqueue(delivery) {
      if (stopping) return fail('WARDEN_PIPELINE_STOPPING', 'the delivery outbox is shutting down');
      if (!destinations.has(delivery.destination)) {
        return fail('WARDEN_CONFIG_INVALID', `no delivery destination named ${JSON.stringify(delivery.destination)} is configured`);
      }
      if (pending.size >= maxPending) {
        return fail('WARDEN_DELIVERY_OUTBOX_FULL', `${maxPending} deliveries are already pending; is a destination down?`);
      }
      const at = now();
      const sequence = nextSequence();
      const record: DeliveryRecord = {
        id: randomUUID(),
        destination: delivery.destination,
        payload: delivery.payload,
        idempotencyKey: delivery.idempotencyKey,
        orderKey: delivery.orderKey ?? '',
        meta: delivery.meta ?? {},
        status: 'pending',
        attempts: 0,
        nextAttemptAtMs: at,
        lastError: '',
        createdAtMs: at,
        sequence,
        updatedAtMs: at,
        version: sequence,
      };
      // In the queue before it is durable, so a later delivery with the same orderKey cannot
      // overtake it while its row is written; attempted only once written.
      const entry = add(record, false)!;
      const written = await options.store.write(record);
      if (!written.ok) {
        pending.delete(record.id);
        pump();
        return written;
      }
      entry.durable = true;
      pump();
      return ok(undefined);
    },

    stats() {
      const stats: Record<string, DestinationStats> = {};
      for (const [name, state] of destinations) {
        let count = 0;
        for (const entry of pending.values()) if (entry.record.destination === name) count += 1;
        stats[name] = {
          ...state.health.snapshot(),
          pending: count,
          inFlight: state.inFlight,
          attempts: state.attempts,
          delivered: state.delivered,
          failed: state.failed,
        };
      }
      return stats;
    },

    async shutdown(shutdownOptions = {}) {
      stopping = true;
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const timeoutMs = shutdownOptions.timeoutMs ?? 15_000;
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...inFlight]), expired]);
      clearTimeout(timeout);
      pending.clear();
    },
  };
}
