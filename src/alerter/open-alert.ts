import type { Finding } from '../detector/finding.ts';
import type { FindingKind, Severity } from '../policy/agent-policy.ts';
import type { Alert, AlertAction } from './alert.ts';
import { higherAction, higherSeverity } from './alert-severity.ts';

/** Span ids kept in an alert's evidence, the most recent. */
export const MAX_EVIDENCE_SPANS = 50;
/** Trace ids kept in an alert's evidence (and indexed for re-attribution), the most recent. */
export const MAX_EVIDENCE_TRACES = 16;

/** An open alert's working state; sinks and the store only ever see Alert snapshots of it. */
export interface OpenAlert {
  readonly id: string;
  fingerprint: string;
  readonly kind: FindingKind;
  readonly rule: string;
  agentId: string;
  severity: Severity;
  action: AlertAction;
  traceId: string;
  sessionId: string;
  summary: string;
  /** The latest finding's evidence, by reference until a snapshot copies it. */
  evidence: Readonly<Record<string, unknown>>;
  /** Oldest first, unique, at most MAX_EVIDENCE_SPANS. */
  spanIds: string[];
  /** Oldest first, unique, at most MAX_EVIDENCE_TRACES. Maintained by OpenAlerts. */
  traceIds: string[];
  firstSeenMs: number;
  lastSeenMs: number;
  count: number;
  ackedAtMs: number | null;
  ackedBy: string | null;
  ackReason: string | null;
  /** Warden's clock at the latest finding: the quiet period counts from here, not from span
   *  timestamps, so an agent's clock skew cannot resolve an alert early. */
  lastActivityMs: number;
  version: number;
  /** Warden's clock when the last version was written. */
  lastWrittenAtMs: number;
  /** The last snapshot written and reported to sinks; null until the opening is published. */
  reported: Alert | null;
}

export interface Judged {
  severity: Severity;
  action: AlertAction;
}

export function openFromFinding(finding: Finding, fingerprint: string, id: string, judged: Judged, nowMs: number): OpenAlert {
  const seenMs = observedMs(finding, nowMs);
  const alert: OpenAlert = {
    id,
    fingerprint,
    kind: finding.kind,
    rule: finding.rule,
    agentId: finding.agentId,
    severity: judged.severity,
    action: judged.action,
    traceId: finding.traceId,
    sessionId: finding.sessionId,
    summary: finding.summary,
    evidence: finding.evidence,
    spanIds: [],
    traceIds: [],
    firstSeenMs: seenMs,
    lastSeenMs: seenMs,
    count: 1,
    ackedAtMs: null,
    ackedBy: null,
    ackReason: null,
    lastActivityMs: nowMs,
    version: 0,
    lastWrittenAtMs: nowMs,
    reported: null,
  };
  addSpanIds(alert, finding.evidence.span_ids);
  return alert;
}

/** Folds a repeat in. True when severity or action rose (worth reporting at once). */
export function applyFinding(alert: OpenAlert, finding: Finding, judged: Judged, nowMs: number): boolean {
  const seenMs = observedMs(finding, nowMs);
  alert.count++;
  alert.firstSeenMs = Math.min(alert.firstSeenMs, seenMs);
  alert.lastSeenMs = Math.max(alert.lastSeenMs, seenMs);
  alert.lastActivityMs = Math.max(alert.lastActivityMs, nowMs);
  alert.traceId = finding.traceId;
  alert.sessionId = finding.sessionId;
  alert.summary = finding.summary;
  alert.evidence = finding.evidence;
  addSpanIds(alert, finding.evidence.span_ids);
  return raise(alert, judged);
}

/** Folds `source` (same kind and rule, now the same agent) into `target`. True when severity
 *  or action rose. The caller re-indexes the traces. */
export function mergeAlert(target: OpenAlert, source: OpenAlert, judged: Judged): boolean {
  target.count += source.count;
  target.firstSeenMs = Math.min(target.firstSeenMs, source.firstSeenMs);
  if (source.lastSeenMs > target.lastSeenMs) {
    target.lastSeenMs = source.lastSeenMs;
    target.traceId = source.traceId;
    target.sessionId = source.sessionId;
    target.summary = source.summary;
    target.evidence = source.evidence;
  }
  target.lastActivityMs = Math.max(target.lastActivityMs, source.lastActivityMs);
  target.spanIds = mergeRecent(source.spanIds, target.spanIds, MAX_EVIDENCE_SPANS);
  return raise(target, { severity: higherSeverity(source.severity, judged.severity), action: higherAction(source.action, judged.action) });
}

/** Severity and action never fall while an alert is open. */
export function raise(alert: OpenAlert, judged: Judged): boolean {
  const severity = higherSeverity(alert.severity, judged.severity);
  const action = higherAction(alert.action, judged.action);
  const rose = severity !== alert.severity || action !== alert.action;
  alert.severity = severity;
  alert.action = action;
  return rose;
}

function addSpanIds(alert: OpenAlert, spanIds: readonly string[] | undefined): void {
  if (!Array.isArray(spanIds) || spanIds.length === 0) return;
  alert.spanIds = mergeRecent(alert.spanIds, spanIds, MAX_EVIDENCE_SPANS);
}

/** older then newer, each id once (at its newest position), the last `max`. */
function mergeRecent(older: readonly string[], newer: readonly unknown[], max: number): string[] {
  const incoming = newer.filter((id): id is string => typeof id === 'string' && id !== '');
  const fresh = new Set(incoming);
  const merged = older.filter((id) => !fresh.has(id));
  for (const id of fresh) merged.push(id);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

// The alerts table's DateTime64(3) ends with 2299; a span time beyond it (or not a time at all)
// is an agent's clock gone wrong, and the alert takes Warden's time instead of failing.
const MAX_SEEN_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);

function observedMs(finding: Finding, nowMs: number): number {
  const ms = finding.observedAtMs;
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_SEEN_MS ? ms : nowMs;
}
