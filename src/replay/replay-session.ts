// The detection half of Warden's pipeline (detectors -> alerter), driven by recorded spans
// instead of receivers. Everything runs on the span clock (the latest span end seen), so
// quiet periods, persist intervals and idle eviction age as they did when the spans arrived.
import type { Logger } from 'pino';
import { createAlerter } from '../alerter/create-alerter.ts';
import { createDetectorSet, type DetectorSetStats } from '../detector/create-detector-set.ts';
import type { DetectorLimits } from '../detector/detector-limits.ts';
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AgentReattribution } from '../normalizer/late-identity.ts';
import type { PolicySet } from '../policy/policy-set.ts';
import { createMemoryAlertStore, DEFAULT_REPLAY_MAX_ALERTS } from './memory-alert-store.ts';
import { toReplayAlerts, type ReplayAlert } from './replay-alert.ts';

/** Live Warden ticks the alerter every second and evicts idle detector state every minute;
 *  a replay does both whenever the span clock has moved that far. ms. */
export const REPLAY_TICK_MS = 1000;
const EVICT_MS = 60_000;

export interface ReplaySessionOptions {
  policy: PolicySet;
  logger: Logger;
  limits?: Partial<DetectorLimits>;
  /** Alerts kept for the report; default DEFAULT_REPLAY_MAX_ALERTS. */
  maxAlerts?: number;
}

export interface ReplayResult {
  spans: number;
  /** Unix ms of the first and last span end seen; 0 when there were no spans. */
  firstSpanEndMs: number;
  lastSpanEndMs: number;
  /** Every alert opened during the replay, latest state, in the order they opened. */
  alerts: ReplayAlert[];
  /** Alerts opened beyond maxAlerts: counted, not reported. */
  droppedAlerts: number;
  maxAlerts: number;
  detectors: DetectorSetStats;
}

export interface ReplaySession {
  /**
   * One batch as live Warden would have received it (an export request), spans in arrival
   * order, with the re-attributions the normalizer learned from it.
   */
  feed(spans: readonly AgentSpan[], reattributions?: readonly AgentReattribution[]): void;
  /** Spans fed so far. */
  readonly spans: number;
  /** Writes out the open alerts' last changes and reports. Call once, at the end. */
  finish(): Promise<ReplayResult>;
}

export function createReplaySession(options: ReplaySessionOptions): ReplaySession {
  const { policy, logger } = options;
  const policyFor = (agentId: string) => policy.forAgent(agentId);
  const maxAlerts = options.maxAlerts ?? DEFAULT_REPLAY_MAX_ALERTS;
  const store = createMemoryAlertStore(maxAlerts);
  let clockMs = 0;
  let firstEndMs = Infinity;
  let spanCount = 0;
  let lastTickMs = -Infinity;
  let lastEvictMs = -Infinity;
  const detectors = createDetectorSet({
    policyFor,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    onError: (error, kind) => logger.error({ err: error, kind }, 'a detector failed on a span; skipped for that detector'),
  });
  // Never started: start() would restore from the store and run a wall-clock timer.
  const alerter = createAlerter({ policyFor, store, logger, clock: () => clockMs });

  return {
    feed(spans, reattributions = []) {
      const [earliestMs, latestMs] = endRange(spans);
      if (latestMs > clockMs) clockMs = latestMs;
      if (earliestMs < firstEndMs) firstEndMs = earliestMs;
      // Tick before the batch's findings: an alert quiet for the quiet period by the time
      // this batch arrived had resolved live, so a repeat here opens a new alert.
      if (clockMs - lastTickMs >= REPLAY_TICK_MS) {
        alerter.tick(clockMs);
        lastTickMs = clockMs;
      }
      if (reattributions.length > 0) alerter.reattribute(reattributions);
      if (spans.length === 0) return;
      const findings = detectors.observe(spans);
      if (findings.length > 0) alerter.consume(findings);
      spanCount += spans.length;
      if (clockMs - lastEvictMs >= EVICT_MS) {
        detectors.evictIdle(clockMs);
        lastEvictMs = clockMs;
      }
    },

    get spans() {
      return spanCount;
    },

    async finish() {
      // The state at the end of the recording: alerts quiet for the quiet period by then are
      // resolved, the rest are still firing.
      alerter.tick(clockMs);
      await alerter.shutdown();
      return {
        spans: spanCount,
        firstSpanEndMs: spanCount === 0 ? 0 : firstEndMs,
        lastSpanEndMs: clockMs,
        alerts: toReplayAlerts(store.alerts()),
        droppedAlerts: store.dropped,
        maxAlerts,
        detectors: detectors.stats(),
      };
    },
  };
}

// The detector set's own arithmetic (create-detector-set.ts), so both clocks agree.
function endRange(spans: readonly AgentSpan[]): [number, number] {
  let earliest = Infinity;
  let latest = 0;
  for (const span of spans) {
    const endMs = (Number(span.startTimeUnixNano) + Number(span.durationNs)) / 1e6;
    if (endMs < earliest) earliest = endMs;
    if (endMs > latest) latest = endMs;
  }
  return [earliest, latest];
}
