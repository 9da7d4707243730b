import type { Logger } from 'pino';
import type { AgentPolicy, FindingKind } from '../policy/agent-policy.ts';
import type { Alert, AlertVersion } from './alert.ts';
import { nextVersion } from './alert.ts';
import { judge } from './alert-severity.ts';
import type { AlertChangeReason, AlertChangeType, AlertSink } from './alert-sink.ts';
import { notifySinks } from './alert-sink.ts';
import type { AlertStore } from './alert-store.ts';
import type { Judged, OpenAlert } from './open-alert.ts';
import { snapshot } from './alert-snapshot.ts';
import { mergeAlert } from './open-alert.ts';
import { createOpenAlerts } from './open-alerts.ts';
import type { OpenAlerts } from './open-alerts.ts';
import { createResolvedAlerts } from './resolved-alerts.ts';
import type { ResolvedAlerts } from './resolved-alerts.ts';
import { createVersionWriter } from './version-writer.ts';
import type { VersionWriter } from './version-writer.ts';

export interface AlerterCounters {
  findings: number;
  /** Findings that could not be processed (a policy lookup threw); logged. */
  failedFindings: number;
  opened: number;
  resolved: number;
  /** Resolved early to stay within maxOpenAlerts (also counted in resolved). */
  evicted: number;
  /** Folded into another alert after a re-attribution (also counted in resolved). */
  merged: number;
  reattributed: number;
  acked: number;
  sinkErrors: number;
}

export interface LifecycleDeps {
  policyFor: (agentId: string) => AgentPolicy;
  store: AlertStore;
  sinks: readonly AlertSink[];
  logger: Logger;
  maxOpenAlerts: number;
  /** Alert versions waiting for room in the write queue, at most. */
  maxWaitingVersions: number;
  /** Resolved alerts remembered for acks. */
  resolvedMemory: number;
}

/** The state transitions every entry point (findings, ticks, acks, re-attribution, restore)
 *  shares: each writes a version and tells the sinks, in that order. */
export interface AlertLifecycle {
  readonly open: OpenAlerts;
  readonly resolvedAlerts: ResolvedAlerts;
  readonly writer: VersionWriter;
  readonly counters: AlerterCounters;
  /** Alerts with changes not yet written (repeats within the persist interval). */
  readonly dirty: Set<OpenAlert>;
  readonly logger: Logger;
  judge(agentId: string, kind: FindingKind): Judged;
  publish(alert: OpenAlert, type: Exclude<AlertChangeType, 'resolved'>, nowMs: number, reason?: AlertChangeReason): Alert;
  resolve(alert: OpenAlert, nowMs: number, reason: AlertChangeReason, mergedInto?: string): Alert;
  /** Folds source into target (same kind, rule and agent now): source resolves as merged. */
  fold(target: OpenAlert, source: OpenAlert, nowMs: number): void;
  /** Resolves the least recently active alerts until one more fits. */
  makeRoom(nowMs: number): void;
  /** Writes a new version of an alert that is not open (an ack of a resolved alert). */
  publishDetached(stored: AlertVersion, next: Alert, type: AlertChangeType, nowMs: number): AlertVersion;
}

const EVICTION_LOG_INTERVAL_MS = 10_000;

export function createAlertLifecycle(deps: LifecycleDeps): AlertLifecycle {
  const open = createOpenAlerts();
  const resolvedAlerts = createResolvedAlerts(deps.resolvedMemory);
  const writer = createVersionWriter(deps.store, deps.logger, deps.maxWaitingVersions);
  const dirty = new Set<OpenAlert>();
  const counters: AlerterCounters = { findings: 0, failedFindings: 0, opened: 0, resolved: 0, evicted: 0, merged: 0, reattributed: 0, acked: 0, sinkErrors: 0 };
  let lastEvictionLogMs = -Infinity;
  let evictedSinceLog = 0;

  const notify = (type: AlertChangeType, alert: Alert, previous: Alert | null, reason: AlertChangeReason | undefined): void =>
    notifySinks(deps.sinks, { type, alert, ...(previous === null ? {} : { previous }), ...(reason === undefined ? {} : { reason }) }, deps.logger, () => {
      counters.sinkErrors++;
    });

  function write(alert: OpenAlert, next: Alert, nowMs: number): AlertVersion {
    alert.version = nextVersion(alert.version, nowMs);
    const version = { alert: next, version: alert.version, updatedAtMs: nowMs };
    writer.add(version);
    alert.lastWrittenAtMs = nowMs;
    dirty.delete(alert);
    return version;
  }

  const lifecycle: AlertLifecycle = {
    open,
    resolvedAlerts,
    writer,
    counters,
    dirty,
    logger: deps.logger,
    judge: (agentId, kind) => judge(deps.policyFor(agentId), kind),

    publish(alert, type, nowMs, reason) {
      const next = snapshot(alert);
      write(alert, next, nowMs);
      const previous = alert.reported;
      alert.reported = next;
      notify(type, next, previous, reason);
      return next;
    },

    resolve(alert, nowMs, reason, mergedInto) {
      if (open.getById(alert.id) === alert) open.remove(alert);
      const next = snapshot(alert, { status: 'resolved', resolvedAtMs: nowMs, mergedInto });
      resolvedAlerts.set(write(alert, next, nowMs));
      const previous = alert.reported;
      alert.reported = next;
      counters.resolved++;
      if (reason === 'evicted') counters.evicted++;
      if (reason === 'merged') counters.merged++;
      notify('resolved', next, previous, reason);
      return next;
    },

    fold(target, source, nowMs) {
      mergeAlert(target, source, lifecycle.judge(target.agentId, target.kind));
      lifecycle.resolve(source, nowMs, 'merged', target.id);
      for (const traceId of source.traceIds) open.noteTrace(target, traceId);
      lifecycle.publish(target, 'updated', nowMs, 'merged');
    },

    makeRoom(nowMs) {
      while (open.size >= deps.maxOpenAlerts) {
        const oldest = open.oldest();
        if (oldest === undefined) return;
        lifecycle.resolve(oldest, nowMs, 'evicted');
        evictedSinceLog++;
      }
      // A flood of distinct fingerprints would otherwise log once per finding.
      if (evictedSinceLog > 0 && nowMs - lastEvictionLogMs >= EVICTION_LOG_INTERVAL_MS) {
        deps.logger.warn({ evicted: evictedSinceLog, maxOpenAlerts: deps.maxOpenAlerts }, 'open alert limit reached; least recently active alerts resolved early');
        lastEvictionLogMs = nowMs;
        evictedSinceLog = 0;
      }
    },

    publishDetached(stored, next, type, nowMs) {
      const version = { alert: next, version: nextVersion(stored.version, nowMs), updatedAtMs: nowMs };
      writer.add(version);
      if (next.status === 'resolved') resolvedAlerts.set(version);
      notify(type, next, stored.alert, undefined);
      return version;
    },
  };
  return lifecycle;
}
