export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** What a caller hands the outbox: where to, what, and the key receivers deduplicate on. */
export interface NewDelivery {
  /** A destination configured on the outbox (`slack`, `pagerduty`, `webhook`, `suspend`...). */
  destination: string;
  /** The JSON text to POST, exactly as it will be sent and signed. */
  payload: string;
  /** Sent as `idempotency-key` on every attempt; unique per logical delivery. */
  idempotencyKey: string;
  /**
   * Deliveries with the same key to the same destination are sent one after the other, in
   * enqueue order: a PagerDuty resolve must not overtake its trigger, nor a resume its suspend.
   * Empty = no ordering.
   */
  orderKey?: string;
  /** Small context for whoever reads the outcome (alert id, action id); stored, never sent. */
  meta?: Readonly<Record<string, string>>;
}

/** One row of the outbox, as stored: every state change is a new version of the same id. */
export interface DeliveryRecord {
  readonly id: string;
  readonly destination: string;
  readonly payload: string;
  readonly idempotencyKey: string;
  readonly orderKey: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly status: DeliveryStatus;
  /** Attempts made so far. */
  readonly attempts: number;
  /** Unix ms; when the next attempt is due (pending only). */
  readonly nextAttemptAtMs: number;
  /** The last failed attempt's reason; empty after a first-try success. */
  readonly lastError: string;
  /** Unix ms of the enqueue. */
  readonly createdAtMs: number;
  /** Enqueue order (microseconds of the clock, strictly increasing): orderKey follows it. */
  readonly sequence: number;
  /** Unix ms of this version. */
  readonly updatedAtMs: number;
  /** ReplacingMergeTree version: strictly increasing per id. */
  readonly version: number;
}
