import type { Alert } from '../alerter/alert.ts';
import type { Severity } from '../policy/agent-policy.ts';
import { traceUrl, truncate } from './alert-notice.ts';
import type { AlertNotice, NoticeLinks } from './alert-notice.ts';
import { summarizeEvidence } from './evidence-summary.ts';

/** PagerDuty Events API v2 (REFERENCE.md section 5). */
export type PagerDutyEvent =
  | {
      routing_key: string;
      event_action: 'trigger';
      dedup_key: string;
      payload: PagerDutyPayload;
      client: string;
      client_url?: string;
      links?: Array<{ href: string; text: string }>;
    }
  | { routing_key: string; event_action: 'acknowledge' | 'resolve'; dedup_key: string };

export interface PagerDutyPayload {
  summary: string;
  source: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  timestamp: string;
  component: string;
  group: string;
  class: string;
  custom_details: Record<string, unknown>;
}

// Warden has three severities; PagerDuty's `error` has no counterpart and is not used.
const SEVERITY: Readonly<Record<Severity, PagerDutyPayload['severity']>> = { critical: 'critical', warning: 'warning', info: 'info' };

/**
 * Trigger on open and on escalation (same dedup_key: PagerDuty updates the open incident),
 * acknowledge on ack, resolve on resolution. dedup_key is the alert fingerprint, so a repeat
 * of the same problem after resolution opens a new incident under the same key, as PagerDuty
 * expects once the earlier one is resolved.
 */
export function pagerDutyEvent(alert: Alert, notice: AlertNotice, routingKey: string, links: NoticeLinks): PagerDutyEvent {
  if (notice === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key: alert.fingerprint };
  if (notice === 'acked') return { routing_key: routingKey, event_action: 'acknowledge', dedup_key: alert.fingerprint };
  const trace = traceUrl(alert, links);
  const evidence = summarizeEvidence(alert.evidence);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: alert.fingerprint,
    payload: {
      summary: truncate(`[${alert.kind}] ${alert.agent_id}: ${alert.summary}`, 1024),
      source: alert.agent_id,
      severity: SEVERITY[alert.severity],
      timestamp: alert.last_seen,
      component: alert.agent_id,
      group: 'warden',
      class: alert.kind,
      custom_details: {
        alert_id: alert.id,
        rule: alert.rule,
        action: alert.action,
        count: alert.count,
        first_seen: alert.first_seen,
        last_seen: alert.last_seen,
        trace_id: alert.trace_id,
        session_id: alert.session_id,
        span_count: evidence.spanCount,
        evidence: Object.fromEntries(evidence.fields),
      },
    },
    client: 'Warden',
    ...(trace === undefined ? {} : { client_url: trace, links: [{ href: trace, text: 'Trace in Warden' }] }),
  };
}
