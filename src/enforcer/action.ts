/**
 * What the actions log records. `suspend` and `resume` change an agent's status (manual or
 * decided from an alert); `would_suspend` is shadow mode (`enforce: false`); the callback_*
 * types record the outcome of delivering a suspend or resume callback, and notification_*
 * the outcome of telling people (Slack, PagerDuty, webhook). Retries are not recorded, only
 * outcomes: the log stays small enough to verify in full. Added types go at the end; stored
 * rows keep whatever type they were written with.
 */
export const ACTION_TYPES = [
  'suspend',
  'resume',
  'would_suspend',
  'callback_delivered',
  'callback_failed',
  'notification_delivered',
  'notification_failed',
] as const;

export type ActionType = (typeof ACTION_TYPES)[number];

/** The actor of actions Warden takes on its own; API actions carry the caller's identity. */
export const WARDEN_ACTOR = 'warden';

/** What a caller appends. callback_* and notification_* payloads name the action or alert
 *  they report on (`action_id`, `alert_id`) so status and audits can join them. */
export interface NewAction {
  type: ActionType;
  agentId: string;
  /** 'warden', or who called the API. */
  actor: string;
  reason: string;
  alertId?: string;
  /** Any JSON object; stored and hashed in canonical form (see canonical-json.ts). */
  payload: Record<string, unknown>;
  /** A UUIDv7 when absent. A caller passes its own when it needs the id before the row is
   *  written, e.g. as the callback's idempotency key. */
  id?: string;
  /** Unix milliseconds; the log's clock when absent. */
  atMs?: number;
}

/** Everything the hash covers, as stored: the payload is its canonical JSON text. */
export interface ChainFields {
  /** The chain this row belongs to: one per Warden instance (see action-log.ts). */
  chain: string;
  /** 1, 2, 3, ... within a chain, no gaps. */
  seq: number;
  id: string;
  /** Unix milliseconds (the column is DateTime64(3)). */
  atMs: number;
  type: string;
  agentId: string;
  actor: string;
  reason: string;
  /** '' when the action is not about an alert. */
  alertId: string;
  payloadJson: string;
  /** The hash of the previous row of the chain; GENESIS_HASH for seq 1. */
  prevHash: string;
}

/** One stored row, as verify reads it. */
export interface ChainRow extends ChainFields {
  hash: string;
}

/** An appended or listed action. */
export interface ActionRecord extends ChainRow {
  payload: Record<string, unknown>;
}
