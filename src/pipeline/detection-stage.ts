import type { Logger } from 'pino';
import type { Alerter } from '../alerter/alerter.ts';
import type { DetectorSet } from '../detector/create-detector-set.ts';
import type { AcceptedBatch, AcceptedConsumer } from './ingest-pipeline.ts';
import { findSuspendedActivity, type SuspensionLookup } from './suspended-activity.ts';

export interface DetectionStage extends AcceptedConsumer {
  start(): void;
  shutdown(): void;
}

const EVICT_INTERVAL_MS = 60_000;

/**
 * detectors -> alerter, on every accepted request, synchronously: an alert exists within the
 * same event-loop turn as the span that shows it. Re-attributions go first, so findings for an
 * agent that just became known join the alert moved to it. A failure here is logged and never
 * reaches the client: the data is already accepted and stored.
 */
export function createDetectionStage(deps: {
  detectors: DetectorSet;
  alerter: Alerter;
  suspensions?: SuspensionLookup;
  logger: Logger;
  clock?: () => number;
}): DetectionStage {
  const clock = deps.clock ?? Date.now;
  let evictTimer: NodeJS.Timeout | undefined;

  return {
    consumeAccepted(batch: AcceptedBatch) {
      try {
        if (batch.reattributions.length > 0) deps.alerter.reattribute(batch.reattributions);
        if (batch.spans.length === 0) return;
        const findings = deps.detectors.observe(batch.spans);
        if (deps.suspensions) findSuspendedActivity(batch.spans, deps.suspensions, findings);
        if (findings.length > 0) deps.alerter.consume(findings);
      } catch (error) {
        deps.logger.error({ err: error }, 'detection failed for an accepted request; its spans are stored');
      }
    },

    start() {
      evictTimer = setInterval(() => deps.detectors.evictIdle(clock()), EVICT_INTERVAL_MS);
      evictTimer.unref();
    },

    shutdown() {
      clearInterval(evictTimer);
    },
  };
}
