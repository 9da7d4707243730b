import type { Logger } from 'pino';
import type { Result } from '../errors/warden-error.ts';
import type { DeliveryRecord } from './delivery.ts';
import type { DestinationHealth } from './destination-health.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { RetryDelayOptions } from './retry-delay.ts';
import type { SendResult } from './send-result.ts';
import type { SignedRequest } from './send-signed.ts';

export interface DestinationOptions {
  url: string;
  /** HMAC key; when set every request carries the x-warden-* signature headers. */
  signingSecret?: string;
  /** Attempts in flight at once, 1..4. Default 2. Deliveries sharing an orderKey never overlap. */
  concurrency?: number;
  /** Per attempt, ms. Default 10 000. */
  timeoutMs?: number;
  /** Send the delivery's `idempotency-key` header. Default true. */
  sendIdempotencyKey?: boolean;
  /** Give up (status failed) on a delivery still undelivered this long after enqueue, ms.
   *  Unset = retry until delivered or refused (the suspension callback). */
  maxAgeMs?: number;
}

export interface OutboxOptions {
  store: OutboxStore;
  /** By name; a delivery names one of these. */
  destinations: Readonly<Record<string, DestinationOptions>>;
  logger: Logger;
  /** Backoff between attempts of one delivery and, while it fails, of its destination. */
  retry?: RetryDelayOptions;
  /** Failed attempts in a row after which a destination is reported unhealthy. Default 5. */
  unhealthyAfter?: number;
  /** Deliveries held pending at once; enqueue refuses beyond. Default 10 000. */
  maxPending?: number;
  /** Pending rows untouched for longer are not resumed at start, ms. Default 29 days (the
   *  outbox table keeps rows 30 days after their last change). */
  resumeWindowMs?: number;
  onDestinationUnhealthy?: (destination: string, health: DestinationHealth) => void;
  onDestinationRecovered?: (destination: string) => void;
  /**
   * Deliveries enqueued with a gate (see Outbox.enqueue) whose row was written before the gate
   * opened: after a crash the gate's outcome is lost, so start() asks which of the pending ones
   * may go (resolves the ids allowed). Those not allowed are settled as failed, never sent.
   * Unset = all may go.
   */
  vetResumed?: (records: readonly DeliveryRecord[]) => Promise<Result<ReadonlySet<string>>>;
  /** A delivery reached `delivered` or `failed` (for the actions log). Must not throw. */
  onSettled?: (record: DeliveryRecord) => void;
  /** Replaces the HTTP call (unit tests). */
  send?: (request: SignedRequest) => Promise<SendResult>;
  now?: () => number;
  random?: () => number;
}

/** Per destination, for /metrics and the logs. Counters count since start. */
export interface DestinationStats extends DestinationHealth {
  pending: number;
  inFlight: number;
  attempts: number;
  delivered: number;
  failed: number;
  /** Withdrawn unsent because what they carry out could not be recorded (a suspension callback
   *  whose action row failed to write): the enforcement did not happen. */
  withdrawn: number;
}
