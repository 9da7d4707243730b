import type { Alert } from '../alerter/alert.ts';
import type { AlertChangeEvent } from '../alerter/alert-sink.ts';
import type { Severity } from '../policy/agent-policy.ts';
import type { AlertNotice } from './alert-notice.ts';

export type NoticeDestination = 'slack' | 'pagerduty' | 'webhook';

/** One notification to send: to where, about which state of the alert, saying what. */
export interface RoutedNotice {
  destination: NoticeDestination;
  alert: Alert;
  notice: AlertNotice;
}

/** Lowest severity each destination is told about (defaults: see DEFAULT_MIN_SEVERITY). */
export type MinSeverities = Partial<Record<NoticeDestination, Severity>>;

/** Chat and webhooks hear about warnings; only critical alerts page someone. */
export const DEFAULT_MIN_SEVERITY: Readonly<Record<NoticeDestination, Severity>> = { slack: 'warning', webhook: 'warning', pagerduty: 'critical' };

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };
// Only PagerDuty has an incident to acknowledge; an ack in chat would be noise.
const HEARS_ACKS: ReadonlySet<NoticeDestination> = new Set(['pagerduty']);
// Receivers that track alert state by key are told the old key resolved when an alert moves.
const TRACKS_STATE: ReadonlySet<NoticeDestination> = new Set(['pagerduty', 'webhook']);

/**
 * Who hears about one alert change. Opened and resolved alerts at or above a destination's
 * minimum; `updated` only when the severity rose (repeats would spam), or when the alert was
 * re-attributed to its real agent (its fingerprint changed: state-tracking receivers get the
 * old key resolved and the new one opened). Severity never falls while an alert is open, so a
 * destination that heard of an alert's opening or escalation hears of its resolution too.
 */
export function routeNotices(event: AlertChangeEvent, destinations: readonly NoticeDestination[], minimums: MinSeverities = {}): RoutedNotice[] {
  const routed: RoutedNotice[] = [];
  const { alert, previous } = event;
  for (const destination of destinations) {
    const heard = (a: Alert) => RANK[a.severity] >= RANK[minimums[destination] ?? DEFAULT_MIN_SEVERITY[destination]];
    const push = (a: Alert, notice: AlertNotice) => routed.push({ destination, alert: a, notice });
    switch (event.type) {
      case 'opened':
        if (heard(alert)) push(alert, 'opened');
        break;
      case 'resolved':
        if (heard(alert)) push(alert, 'resolved');
        break;
      case 'acked':
        if (HEARS_ACKS.has(destination) && heard(alert)) push(alert, 'acked');
        break;
      case 'updated':
        if (previous !== undefined && previous.fingerprint !== alert.fingerprint) {
          if (TRACKS_STATE.has(destination) && heard(previous)) push({ ...previous, status: 'resolved' }, 'resolved');
          if (heard(alert)) push(alert, 'opened');
        } else if (previous !== undefined && RANK[alert.severity] > RANK[previous.severity] && heard(alert)) {
          push(alert, 'escalated');
        }
        break;
    }
  }
  return routed;
}
