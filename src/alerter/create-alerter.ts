import type { Logger } from 'pino';
import type { Finding } from '../detector/finding.ts';
import { ok } from '../errors/warden-error.ts';
import type { AgentPolicy } from '../policy/agent-policy.ts';
import type { Alert } from './alert.ts';
import type { Alerter } from './alerter.ts';
import { alertFingerprint, newAlertId } from './alert-identity.ts';
import { createAlertLifecycle } from './alert-lifecycle.ts';
import type { AlertSink } from './alert-sink.ts';
import type { AlertStore } from './alert-store.ts';
import { ackAlert } from './ack-alert.ts';
import { snapshot } from './alert-snapshot.ts';
import { applyFinding, openFromFinding } from './open-alert.ts';
import { reattributeAlerts } from './reattribute-alerts.ts';
import { restoreAlerts } from './restore-alerts.ts';

export interface AlerterDeps {
  /** The policy in force for an agent (hot reloads included): severity per kind, actions. */
  policyFor: (agentId: string) => AgentPolicy;
  store: AlertStore;
  sinks?: readonly AlertSink[];
  /** Unix milliseconds. Default Date.now. */
  clock?: () => number;
  logger: Logger;
  /**
   * An alert with no finding for this long resolves. Milliseconds; default 300 000 (5 min):
   * several of the detectors' one-minute rate windows, so a detector that re-reports a
   * condition while it holds (at least once a minute) keeps its alert open, and an agent that
   * stopped looping is resolved soon enough for the next loop to page again.
   */
  quietPeriodMs?: number;
  /** Open alerts held; opening one more resolves the least recently active. Default 10 000. */
  maxOpenAlerts?: number;
  /** A repeat is written and reported at most this often per alert; severity or action rising
   *  is written at once. Milliseconds; default 1000. */
  persistIntervalMs?: number;
  /** How often start()'s timer calls tick(). Milliseconds; default 1000. */
  tickIntervalMs?: number;
  /** Firing alerts unchanged for longer than this are resolved at start instead of restored.
   *  Milliseconds; default 86 400 000 (one day). */
  restoreWindowMs?: number;
  /** ack() waits this long for its version to be written, so a read right after sees it.
   *  Milliseconds; default 2000. */
  ackWriteWaitMs?: number;
}

export const ALERTER_DEFAULTS = {
  quietPeriodMs: 5 * 60_000,
  maxOpenAlerts: 10_000,
  persistIntervalMs: 1000,
  tickIntervalMs: 1000,
  restoreWindowMs: 24 * 60 * 60_000,
  ackWriteWaitMs: 2000,
  /** Resolved alerts remembered so an ack right after resolution needs no read. */
  resolvedMemory: 1000,
} as const;

export function createAlerter(deps: AlerterDeps): Alerter {
  const clock = deps.clock ?? Date.now;
  const quietPeriodMs = positive('quietPeriodMs', deps.quietPeriodMs ?? ALERTER_DEFAULTS.quietPeriodMs);
  const maxOpenAlerts = positive('maxOpenAlerts', deps.maxOpenAlerts ?? ALERTER_DEFAULTS.maxOpenAlerts);
  const persistIntervalMs = positive('persistIntervalMs', deps.persistIntervalMs ?? ALERTER_DEFAULTS.persistIntervalMs);
  const tickIntervalMs = positive('tickIntervalMs', deps.tickIntervalMs ?? ALERTER_DEFAULTS.tickIntervalMs);
  const restoreWindowMs = positive('restoreWindowMs', deps.restoreWindowMs ?? ALERTER_DEFAULTS.restoreWindowMs);
  const ackWriteWaitMs = deps.ackWriteWaitMs ?? ALERTER_DEFAULTS.ackWriteWaitMs;
  const logger = deps.logger;
  const lifecycle = createAlertLifecycle({
    policyFor: deps.policyFor,
    store: deps.store,
    sinks: deps.sinks ?? [],
    logger,
    maxOpenAlerts,
    maxWaitingVersions: 2 * maxOpenAlerts,
    resolvedMemory: ALERTER_DEFAULTS.resolvedMemory,
  });
  const { open, counters, writer, dirty } = lifecycle;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;

  function consumeOne(finding: Finding, nowMs: number): void {
    const fingerprint = alertFingerprint(finding.kind, finding.agentId, finding.rule);
    const judged = lifecycle.judge(finding.agentId, finding.kind);
    const traceId = finding.traceId.toLowerCase();
    const alert = open.get(fingerprint);
    if (alert === undefined) {
      lifecycle.makeRoom(nowMs);
      const opened = openFromFinding(finding, fingerprint, newAlertId(nowMs), judged, nowMs);
      open.add(opened);
      open.noteTrace(opened, traceId);
      counters.opened++;
      lifecycle.publish(opened, 'opened', nowMs);
      return;
    }
    const rose = applyFinding(alert, finding, judged, nowMs);
    open.touch(alert);
    open.noteTrace(alert, traceId);
    if (rose || nowMs - alert.lastWrittenAtMs >= persistIntervalMs) lifecycle.publish(alert, 'updated', nowMs);
    else dirty.add(alert);
  }

  function tick(nowMs: number = clock()): void {
    const quiet = [];
    for (const alert of open.values()) if (nowMs - alert.lastActivityMs >= quietPeriodMs) quiet.push(alert);
    for (const alert of quiet) lifecycle.resolve(alert, nowMs, 'quiet_period');
    for (const alert of [...dirty]) lifecycle.publish(alert, 'updated', nowMs);
    writer.commit();
  }

  return {
    consume(findings) {
      if (stopped || findings.length === 0) return;
      const nowMs = clock();
      for (const finding of findings) {
        counters.findings++;
        try {
          consumeOne(finding, nowMs);
        } catch (error) {
          // A policy or detector bug costs this finding, not the ingest request.
          counters.failedFindings++;
          logger.error({ err: error, kind: finding.kind, rule: finding.rule }, 'finding could not be turned into an alert');
        }
      }
      writer.commit();
    },

    reattribute(reattributions) {
      if (stopped || reattributions.length === 0) return;
      try {
        reattributeAlerts(lifecycle, reattributions, clock());
      } catch (error) {
        logger.error({ err: error }, 'alert re-attribution failed');
      }
      writer.commit();
    },

    ack: (id, actor, reason = '') => ackAlert(lifecycle, deps.store, { id, actor, reason, nowMs: clock(), writeWaitMs: ackWriteWaitMs }),

    tick,

    openAlerts(filter = {}) {
      const alerts: Alert[] = [];
      for (const alert of open.values()) {
        if (filter.agentId !== undefined && alert.agentId !== filter.agentId) continue;
        if (filter.kind !== undefined && alert.kind !== filter.kind) continue;
        if (filter.severity !== undefined && alert.severity !== filter.severity) continue;
        alerts.push(snapshot(alert));
      }
      return alerts.reverse();
    },

    async start() {
      if (!started) {
        started = true;
        timer = setInterval(() => {
          try {
            tick();
          } catch (error) {
            logger.error({ err: error }, 'alerter tick failed');
          }
        }, tickIntervalMs);
        timer.unref();
      }
      const loaded = await deps.store.loadFiring(maxOpenAlerts);
      if (!loaded.ok) {
        logger.error({ code: loaded.error.code, err: loaded.error.message }, 'open alerts could not be restored; starting with none');
        return loaded;
      }
      if (loaded.value.length >= maxOpenAlerts) logger.warn({ maxOpenAlerts }, 'more firing alerts stored than maxOpenAlerts; only the most recent restored');
      const summary = restoreAlerts(lifecycle, loaded.value, clock(), restoreWindowMs);
      writer.commit();
      logger.info(summary, 'open alerts restored');
      return ok(summary);
    },

    async shutdown() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      const nowMs = clock();
      for (const alert of [...dirty]) lifecycle.publish(alert, 'updated', nowMs);
      writer.commit();
      await deps.store.flush();
      if (writer.waiting > 0) logger.error({ waiting: writer.waiting }, 'alert versions not written at shutdown: the alerts write queue is full');
    },

    stats: () => ({ ...counters, open: open.size, waitingVersions: writer.waiting, droppedVersions: writer.droppedTotal }),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`alerter ${name} must be a positive number, got ${value}`);
  return value;
}
