import type { Alert, AlertStatus, AlertVersion } from './alert.ts';
import type { OpenAlert } from './open-alert.ts';
import { MAX_EVIDENCE_SPANS, MAX_EVIDENCE_TRACES } from './open-alert.ts';

// Between an open alert's working state and the Alert snapshots sinks, the store and the API see.

export interface SnapshotExtras {
  status?: AlertStatus;
  resolvedAtMs?: number;
  mergedInto?: string;
}

export function snapshot(alert: OpenAlert, extras: SnapshotExtras = {}): Alert {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    kind: alert.kind,
    rule: alert.rule,
    severity: alert.severity,
    status: extras.status ?? 'firing',
    agent_id: alert.agentId,
    trace_id: alert.traceId,
    session_id: alert.sessionId,
    summary: alert.summary,
    evidence: { ...jsonSafe(alert.evidence), span_ids: [...alert.spanIds], trace_ids: [...alert.traceIds] },
    first_seen: iso(alert.firstSeenMs),
    last_seen: iso(alert.lastSeenMs),
    count: alert.count,
    action: alert.action,
    acked_at: alert.ackedAtMs === null ? null : iso(alert.ackedAtMs),
    acked_by: alert.ackedBy,
    ack_reason: alert.ackReason,
    resolved_at: extras.resolvedAtMs === undefined ? null : iso(extras.resolvedAtMs),
    merged_into: extras.mergedInto ?? null,
  };
}

/** A stored firing alert back as working state (start-up). Its quiet period restarts at
 *  nowMs: the time Warden was down was not watched, so it does not count as quiet. */
export function openFromStored(stored: AlertVersion, nowMs: number): OpenAlert {
  const { alert } = stored;
  const { span_ids: spanIds, trace_ids: traceIds, ...evidence } = alert.evidence;
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    kind: alert.kind,
    rule: alert.rule,
    agentId: alert.agent_id,
    severity: alert.severity,
    action: alert.action,
    traceId: alert.trace_id,
    sessionId: alert.session_id,
    summary: alert.summary,
    evidence,
    spanIds: stringsOf(spanIds).slice(-MAX_EVIDENCE_SPANS),
    traceIds: [],
    firstSeenMs: Date.parse(alert.first_seen),
    lastSeenMs: Date.parse(alert.last_seen),
    count: alert.count,
    ackedAtMs: alert.acked_at === null ? null : Date.parse(alert.acked_at),
    ackedBy: alert.acked_by,
    ackReason: alert.ack_reason,
    lastActivityMs: nowMs,
    version: stored.version,
    lastWrittenAtMs: nowMs,
    reported: alert,
  };
}

/** The stored trace ids of an alert, oldest first, for re-indexing a restored alert. */
export function storedTraceIds(alert: Alert): string[] {
  return stringsOf(alert.evidence['trace_ids']).slice(-MAX_EVIDENCE_TRACES);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * A deep copy that JSON can hold: sinks and the store get data no detector can change later,
 * bigints (durations, token counts) become strings, and a detector bug (a cycle) costs the
 * evidence detail, not the alert.
 */
function jsonSafe(evidence: Readonly<Record<string, unknown>>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(evidence, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as Record<string, unknown>;
  } catch {
    return { evidence_error: 'the detector evidence could not be serialized' };
  }
}
