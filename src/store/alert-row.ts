import type { Alert, AlertAction, AlertStatus, AlertVersion } from '../alerter/alert.ts';
import type { FindingKind, Severity } from '../policy/agent-policy.ts';
import { millisToDateTime64 } from './datetime64.ts';
import { toJsonLine } from './json-line.ts';

/** One alerts row (a version of an alert, written by `instance`) as a JSONEachRow line. */
export function alertVersionToJsonLine(version: AlertVersion, instance: string): string {
  const { alert } = version;
  return toJsonLine({
    id: alert.id,
    fingerprint: alert.fingerprint,
    kind: alert.kind,
    rule: alert.rule,
    severity: alert.severity,
    status: alert.status,
    agent_id: alert.agent_id,
    trace_id: alert.trace_id,
    session_id: alert.session_id,
    summary: alert.summary,
    evidence: JSON.stringify(alert.evidence),
    first_seen: isoToDateTime64(alert.first_seen),
    last_seen: isoToDateTime64(alert.last_seen),
    count: alert.count,
    action: alert.action,
    acked_at: alert.acked_at === null ? null : isoToDateTime64(alert.acked_at),
    acked_by: alert.acked_by ?? '',
    ack_reason: alert.ack_reason ?? '',
    resolved_at: alert.resolved_at === null ? null : isoToDateTime64(alert.resolved_at),
    merged_into: alert.merged_into ?? '',
    updated_at: millisToDateTime64(version.updatedAtMs),
    version: version.version,
    instance,
  });
}

/** The columns alertRowToVersion reads, for every SELECT of alerts. Times as Unix ms strings:
 *  exact whatever the server's time zone. */
export const ALERT_COLUMNS = `id, fingerprint, kind, rule, severity, status, agent_id, trace_id, session_id, summary, evidence,
  toString(toUnixTimestamp64Milli(first_seen)) AS first_seen_ms, toString(toUnixTimestamp64Milli(last_seen)) AS last_seen_ms,
  toString(count) AS count, action,
  toString(toUnixTimestamp64Milli(acked_at)) AS acked_at_ms, acked_by, ack_reason,
  toString(toUnixTimestamp64Milli(resolved_at)) AS resolved_at_ms, merged_into,
  toString(toUnixTimestamp64Milli(updated_at)) AS updated_at_ms, toString(version) AS version, instance`;

export interface RawAlertRow {
  id: string;
  fingerprint: string;
  kind: string;
  rule: string;
  severity: string;
  status: string;
  agent_id: string;
  trace_id: string;
  session_id: string;
  summary: string;
  evidence: string;
  first_seen_ms: string;
  last_seen_ms: string;
  count: string;
  action: string;
  acked_at_ms: string | null;
  acked_by: string;
  ack_reason: string;
  resolved_at_ms: string | null;
  merged_into: string;
  updated_at_ms: string;
  version: string;
  instance: string;
}

/** A row read back. The enum columns hold only what alertVersionToJsonLine wrote. */
export function alertRowToVersion(row: RawAlertRow): AlertVersion {
  const alert: Alert = {
    id: row.id,
    fingerprint: row.fingerprint,
    kind: row.kind as FindingKind,
    rule: row.rule,
    severity: row.severity as Severity,
    status: row.status as AlertStatus,
    agent_id: row.agent_id,
    trace_id: row.trace_id,
    session_id: row.session_id,
    summary: row.summary,
    evidence: parseEvidence(row.evidence),
    first_seen: msToIso(row.first_seen_ms),
    last_seen: msToIso(row.last_seen_ms),
    count: Number(row.count),
    action: row.action as AlertAction,
    acked_at: row.acked_at_ms === null ? null : msToIso(row.acked_at_ms),
    // A row is acked when acked_at is set; acked_by may legitimately be any string then.
    acked_by: row.acked_at_ms === null ? null : row.acked_by,
    ack_reason: row.acked_at_ms === null || row.ack_reason === '' ? null : row.ack_reason,
    resolved_at: row.resolved_at_ms === null ? null : msToIso(row.resolved_at_ms),
    merged_into: row.merged_into === '' ? null : row.merged_into,
  };
  return { alert, version: Number(row.version), updatedAtMs: Number(row.updated_at_ms), instance: row.instance };
}

function isoToDateTime64(iso: string): string {
  return millisToDateTime64(Date.parse(iso));
}

function msToIso(ms: string): string {
  return new Date(Number(ms)).toISOString();
}

function parseEvidence(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { evidence_error: 'stored evidence is not valid JSON' };
  }
}
