import type { Alert } from '../alerter/alert.ts';
import { alertUrl, traceUrl } from './alert-notice.ts';
import type { NoticeLinks } from './alert-notice.ts';
import { summarizeEvidence } from './evidence-summary.ts';

/**
 * Alertmanager's webhook message, version 4 (REFERENCE.md section 5; alertmanager v0.34
 * notify/webhook), so existing Alertmanager receivers take Warden's alerts unchanged. One
 * alert per message: Warden deduplicates by fingerprint itself, so there is no grouping.
 */
export interface AlertmanagerMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; Alertmanager sends the zero time while an alert fires. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function alertmanagerMessage(alert: Alert, links: NoticeLinks, receiver = 'warden'): AlertmanagerMessage {
  // Labels identify the alert (they are what Alertmanager fingerprints); everything that
  // changes while it is open goes in annotations.
  const groupLabels = { alertname: alert.kind, agent_id: alert.agent_id, rule: alert.rule };
  const labels = { ...groupLabels, severity: alert.severity, source: 'warden' };
  const evidence = summarizeEvidence(alert.evidence);
  const trace = traceUrl(alert, links);
  const annotations: Record<string, string> = {
    summary: alert.summary,
    alert_id: alert.id,
    action: alert.action,
    count: String(alert.count),
    trace_id: alert.trace_id,
    span_count: String(evidence.spanCount),
    evidence: evidence.fields.map(([key, value]) => `${key}=${value}`).join('; '),
  };
  if (trace !== undefined) annotations['trace_url'] = trace;
  return {
    version: '4',
    groupKey: `{}:{${Object.entries(groupLabels)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(', ')}}`,
    truncatedAlerts: 0,
    status: alert.status,
    receiver,
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: links.publicUrl ?? '',
    alerts: [
      {
        status: alert.status,
        labels,
        annotations,
        startsAt: alert.first_seen,
        endsAt: alert.status === 'resolved' ? (alert.resolved_at ?? alert.last_seen) : ZERO_TIME,
        generatorURL: trace ?? alertUrl(alert, links) ?? '',
        fingerprint: alert.fingerprint,
      },
    ],
  };
}
