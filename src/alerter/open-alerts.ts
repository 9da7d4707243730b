import type { OpenAlert } from './open-alert.ts';
import { MAX_EVIDENCE_TRACES } from './open-alert.ts';

/**
 * The open alerts, by fingerprint and by id, with the traces each was seen in indexed so a
 * re-attribution (which names a trace) finds its alerts without scanning. Iteration is in
 * order of last activity, oldest first, which is what eviction takes.
 */
export interface OpenAlerts {
  readonly size: number;
  get(fingerprint: string): OpenAlert | undefined;
  getById(id: string): OpenAlert | undefined;
  add(alert: OpenAlert): void;
  /** Marks the alert most recently active. */
  touch(alert: OpenAlert): void;
  remove(alert: OpenAlert): void;
  /** Changes the fingerprint an alert is found under (its agent changed). */
  rekey(alert: OpenAlert, fingerprint: string): void;
  /** Records that the alert was seen in a trace, keeping the last MAX_EVIDENCE_TRACES. */
  noteTrace(alert: OpenAlert, traceId: string): void;
  hasTrace(traceId: string): boolean;
  inTrace(traceId: string): OpenAlert[];
  oldest(): OpenAlert | undefined;
  values(): IterableIterator<OpenAlert>;
}

export function createOpenAlerts(): OpenAlerts {
  const byFingerprint = new Map<string, OpenAlert>();
  const byId = new Map<string, OpenAlert>();
  const byTrace = new Map<string, Set<OpenAlert>>();

  function unindexTrace(alert: OpenAlert, traceId: string): void {
    const alerts = byTrace.get(traceId);
    if (alerts === undefined) return;
    alerts.delete(alert);
    if (alerts.size === 0) byTrace.delete(traceId);
  }

  function indexTrace(alert: OpenAlert, traceId: string): void {
    const alerts = byTrace.get(traceId);
    if (alerts === undefined) byTrace.set(traceId, new Set([alert]));
    else alerts.add(alert);
  }

  return {
    get size() {
      return byFingerprint.size;
    },
    get: (fingerprint) => byFingerprint.get(fingerprint),
    getById: (id) => byId.get(id),
    add(alert) {
      byFingerprint.set(alert.fingerprint, alert);
      byId.set(alert.id, alert);
      for (const traceId of alert.traceIds) indexTrace(alert, traceId);
    },
    touch(alert) {
      // Map keeps insertion order: re-inserting moves the alert to the most recent end.
      byFingerprint.delete(alert.fingerprint);
      byFingerprint.set(alert.fingerprint, alert);
    },
    remove(alert) {
      if (byFingerprint.get(alert.fingerprint) === alert) byFingerprint.delete(alert.fingerprint);
      byId.delete(alert.id);
      for (const traceId of alert.traceIds) unindexTrace(alert, traceId);
    },
    rekey(alert, fingerprint) {
      if (byFingerprint.get(alert.fingerprint) === alert) byFingerprint.delete(alert.fingerprint);
      alert.fingerprint = fingerprint;
      byFingerprint.set(fingerprint, alert);
    },
    noteTrace(alert, traceId) {
      if (traceId === '') return;
      const at = alert.traceIds.indexOf(traceId);
      if (at === alert.traceIds.length - 1 && at >= 0) return;
      if (at >= 0) alert.traceIds.splice(at, 1);
      else indexTrace(alert, traceId);
      alert.traceIds.push(traceId);
      while (alert.traceIds.length > MAX_EVIDENCE_TRACES) unindexTrace(alert, alert.traceIds.shift()!);
    },
    hasTrace: (traceId) => byTrace.has(traceId),
    inTrace: (traceId) => [...(byTrace.get(traceId) ?? [])],
    oldest: () => byFingerprint.values().next().value,
    values: () => byFingerprint.values(),
  };
}
