import { nextVersion } from '../alerter/alert.ts';
import type { DeliveryRecord, NewDelivery } from './delivery.ts';
import { nextDelayMs } from './retry-delay.ts';
import type { RetryDelayOptions } from './retry-delay.ts';
import type { SendResult } from './send-result.ts';

// last_error is for people reading the outbox; a receiver's error page is cut to a line.
const MAX_ERROR_CHARS = 300;

/** A delivery's first row: pending, due now. `sequence` doubles as its first version. */
export function firstRecord(id: string, delivery: NewDelivery, nowMs: number, sequence: number): DeliveryRecord {
  return {
    id,
    destination: delivery.destination,
    payload: delivery.payload,
    idempotencyKey: delivery.idempotencyKey,
    orderKey: delivery.orderKey ?? '',
    meta: delivery.meta ?? {},
    status: 'pending',
    attempts: 0,
    nextAttemptAtMs: nowMs,
    lastError: '',
    createdAtMs: nowMs,
    sequence,
    updatedAtMs: nowMs,
    version: sequence,
  };
}

/** The delivery's next version after an attempt (or after giving up without one). */
export function nextRecord(
  record: DeliveryRecord,
  result: SendResult,
  nowMs: number,
  options: { attempted: boolean; retry?: RetryDelayOptions; random?: () => number },
): DeliveryRecord {
  const attempts = record.attempts + (options.attempted ? 1 : 0);
  const base = { ...record, attempts, updatedAtMs: nowMs, version: nextVersion(record.version, nowMs) };
  switch (result.type) {
    case 'ok':
      return { ...base, status: 'delivered' };
    case 'failed':
      return { ...base, status: 'failed', lastError: result.message.slice(0, MAX_ERROR_CHARS) };
    case 'retry':
      return {
        ...base,
        status: 'pending',
        lastError: result.message.slice(0, MAX_ERROR_CHARS),
        nextAttemptAtMs: nowMs + nextDelayMs(attempts, result.afterMs, options.retry, options.random),
      };
  }
}
