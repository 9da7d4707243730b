import type { FindingKind, Severity } from '../policy/agent-policy.ts';

export type AlertStatus = 'firing' | 'resolved';

/** What policy says to do, as recorded on the alert: `would_suspend` is `suspend` in shadow mode. */
export type AlertAction = 'record' | 'notify' | 'suspend' | 'would_suspend';

export const ALERT_STATUSES: readonly AlertStatus[] = ['firing', 'resolved'];
export const ALERT_ACTIONS: readonly AlertAction[] = ['record', 'notify', 'would_suspend', 'suspend'];
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

/**
 * One alert as the API returns it and sinks receive it (DESIGN.md, GET /api/v1/alerts). A
 * snapshot: never mutated once handed out, so a sink may keep it.
 */
export interface Alert {
  /** UUIDv7: time-sortable, fresh for every opening (a repeat after resolution is a new id). */
  readonly id: string;
  /** sha256(kind, agent, rule), 32 hex digits: what repeats are deduplicated on. */
  readonly fingerprint: string;
  readonly kind: FindingKind;
  readonly rule: string;
  readonly severity: Severity;
  readonly status: AlertStatus;
  readonly agent_id: string;
  /** Trace and session of the latest finding. */
  readonly trace_id: string;
  readonly session_id: string;
  /** Summary of the latest finding. */
  readonly summary: string;
  /**
   * The latest finding's evidence, with `span_ids` merged over all repeats (the last 50) and
   * `trace_ids` the traces they came from (the last 16).
   */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** ISO 8601 (ms) of the earliest and latest triggering span. */
  readonly first_seen: string;
  readonly last_seen: string;
  /** Findings folded into this alert. */
  readonly count: number;
  readonly action: AlertAction;
  readonly acked_at: string | null;
  readonly acked_by: string | null;
  readonly ack_reason: string | null;
  readonly resolved_at: string | null;
  /** Set when the alert was folded into another (its agent was re-attributed): that alert's id. */
  readonly merged_into: string | null;
}

/** One stored version of an alert: the alerts table keeps the highest version of an id. */
export interface AlertVersion {
  readonly alert: Alert;
  /** Strictly increasing per alert id, also across restarts (see nextVersion). */
  readonly version: number;
  /** Unix milliseconds of the change, by Warden's clock. */
  readonly updatedAtMs: number;
  /** The Warden instance that wrote it, for versions read back from the store. */
  readonly instance?: string;
}

/**
 * Versions are microseconds of Warden's clock, bumped past the previous version when the clock
 * stands still or steps back: a later change always replaces an earlier one, even when it is
 * made by a restarted Warden that knows only the stored row. Below 2^53 until the year 2255.
 */
export function nextVersion(previous: number, nowMs: number): number {
  return Math.max(previous + 1, Math.trunc(nowMs) * 1000);
}
