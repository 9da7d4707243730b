import type { Alert } from '../alerter/alert.ts';

/**
 * An alert as a replay reports it: the API's alert (DESIGN.md, GET /api/v1/alerts) without
 * what only a live Warden has (the random id, acks, merged_into), so two replays of the same
 * spans print the same JSON and policies can be compared with a plain diff. `status` is the
 * alert's state when the recording ended: `resolved` when it had been quiet for the alerter's
 * quiet period (5 min of span time), else `firing`.
 */
export type ReplayAlert = Omit<Alert, 'id' | 'acked_at' | 'acked_by' | 'ack_reason' | 'merged_into'>;

/**
 * The alerts worth reporting, in a stable order (first seen, then kind, rule, agent). An
 * alert folded into another after its spans were re-attributed is left out: its findings
 * are counted in the alert it was folded into.
 */
export function toReplayAlerts(alerts: readonly Alert[]): ReplayAlert[] {
  const kept = alerts.filter((alert) => alert.merged_into === null).map(withoutLiveFields);
  kept.sort(
    (a, b) =>
      compare(a.first_seen, b.first_seen) ||
      compare(a.kind, b.kind) ||
      compare(a.rule, b.rule) ||
      compare(a.agent_id, b.agent_id) ||
      compare(a.last_seen, b.last_seen),
  );
  return kept;
}

function withoutLiveFields(alert: Alert): ReplayAlert {
  const { id: _id, acked_at: _ackedAt, acked_by: _ackedBy, ack_reason: _ackReason, merged_into: _mergedInto, ...rest } = alert;
  return rest;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
