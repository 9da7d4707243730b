import type { Logger } from 'pino';
import type { Alert } from './alert.ts';

export type AlertChangeType = 'opened' | 'updated' | 'resolved' | 'acked';

/**
 * Why a change happened, where the type alone does not say: `quiet_period` and `evicted`
 * resolutions, `merged` (the alert was folded into another of the same agent after a
 * re-attribution; that one's `updated` event follows), `reattributed` (moved to the real
 * agent), `stale` (found firing at start-up but older than the restore window).
 */
export type AlertChangeReason = 'quiet_period' | 'evicted' | 'merged' | 'reattributed' | 'stale';

export interface AlertChangeEvent {
  type: AlertChangeType;
  alert: Alert;
  /** The state last reported to sinks (absent for `opened`). */
  previous?: Alert;
  reason?: AlertChangeReason;
}

/**
 * The seam for delivery and enforcement (Slack, PagerDuty, webhooks, the suspension callback).
 *
 * - Called synchronously on the ingest path, in the order changes happen: do no I/O here;
 *   queue the work and return.
 * - `opened` once per alert id; `updated` when count, severity, action, agent or evidence
 *   change, at most once per alerter `persistIntervalMs` per alert (repeats in between are
 *   folded into the next event; severity or action rising is reported at once); `acked`;
 *   `resolved` exactly once, last.
 * - Severity and action never fall while an alert is open: a sink that acts on
 *   `alert.action === 'suspend'` sees it at most once per rise.
 * - A sink that throws is logged and counted; the alerter and the other sinks go on.
 */
export interface AlertSink {
  onAlertChange(event: AlertChangeEvent): void;
}

export function notifySinks(sinks: readonly AlertSink[], event: AlertChangeEvent, logger: Logger, onError: () => void): void {
  for (const sink of sinks) {
    try {
      sink.onAlertChange(event);
    } catch (error) {
      onError();
      logger.error({ err: error, alertId: event.alert.id, type: event.type }, 'alert sink threw; continuing');
    }
  }
}
