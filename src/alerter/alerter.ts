import type { Finding } from '../detector/finding.ts';
import type { Result } from '../errors/warden-error.ts';
import type { AgentReattribution } from '../normalizer/late-identity.ts';
import type { FindingKind, Severity } from '../policy/agent-policy.ts';
import type { Alert } from './alert.ts';
import type { AlerterCounters } from './alert-lifecycle.ts';
import type { RestoreSummary } from './restore-alerts.ts';

export interface OpenAlertFilter {
  agentId?: string;
  kind?: FindingKind;
  severity?: Severity;
}

export interface AlerterStats extends AlerterCounters {
  open: number;
  /** Versions waiting for room in the alerts write queue. */
  waitingVersions: number;
  /** Versions dropped because the queue stayed full (logged). */
  droppedVersions: number;
}

/** The alerter stage: findings in, deduplicated alerts with a lifecycle out (store and sinks). */
export interface Alerter {
  /** Synchronous and cheap: called on the ingest path with each request's findings. */
  consume(findings: readonly Finding[]): void;
  /** The normalizer's re-attributions (takeReattributions()) of an accepted request. */
  reattribute(reattributions: readonly AgentReattribution[]): void;
  /** Acknowledges an alert, open or resolved; null when no alert has that id. Acking twice
   *  keeps the first ack. */
  ack(id: string, actor: string, reason?: string): Promise<Result<Alert | null>>;
  /** Resolves quiet alerts and writes pending repeats; start() calls it on a timer. */
  tick(nowMs?: number): void;
  /** Open alerts from memory, most recently active first. */
  openAlerts(filter?: OpenAlertFilter): Alert[];
  /** Rebuilds the open alerts from the store and starts the timer. On a failed read the timer
   *  still runs, with the alerts opened from now on. */
  start(): Promise<Result<RestoreSummary>>;
  /** Stops the timer, writes every pending change and waits for the store to take it. */
  shutdown(): Promise<void>;
  stats(): AlerterStats;
}
