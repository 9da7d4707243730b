// The detector stage: every span of an export request, in order, through every detector, with
// the policy of its agent. Time comes from the spans (the end of each), never from the wall
// clock, so replaying recorded traces finds what live traffic found.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AgentPolicy, FindingKind } from '../policy/agent-policy.ts';
import type { BaselineSnapshot } from './baseline-snapshot.ts';
import { createBudgetDetector } from './budget-detector.ts';
import type { Detector, DetectorStats, ObservedSpan } from './detector.ts';
import { exportBaselines, importBaselines, type BaselineImportReport } from './detector-baselines.ts';
import { resolveDetectorLimits, type DetectorLimits } from './detector-limits.ts';
import type { Finding } from './finding.ts';
import { createLoopDetector } from './loop-detector.ts';
import { createPermissionDriftDetector } from './permission-drift-detector.ts';
import { createPolicyViolationDetector } from './policy-violation-detector.ts';
import { createSpendSpikeDetector } from './spend-spike-detector.ts';

export interface DetectorSetOptions {
  /** The policy in force for an agent id; called for every span, so it should be a lookup. */
  policyFor: (agentId: string) => AgentPolicy;
  limits?: Partial<DetectorLimits>;
  /** A detector threw (a bug): the span is skipped for that detector and counted. */
  onError?: (error: unknown, kind: FindingKind) => void;
}

export interface DetectorSetStats {
  spans: number;
  findings: number;
  errors: number;
  /** The span clock: the latest span end seen, Unix ms. */
  clockMs: number;
  detectors: DetectorStats[];
}

export interface DetectorSet {
  /** The spans of one export request, in the order received; returns what they show. */
  observe(spans: readonly AgentSpan[]): Finding[];
  /**
   * Forgets agents, sessions and traces idle for longer than their limits. Idle is measured on
   * the span clock, capped at nowMs, so one span from a clock set in the future cannot make every
   * agent look idle; pass the wall clock live and the replay clock when replaying.
   */
  evictIdle(nowMs: number): void;
  stats(): DetectorSetStats;
  /** One snapshot per agent with a spend or drift baseline. */
  exportBaselines(): BaselineSnapshot[];
  /** Restores snapshots (e.g. read back from ClickHouse at start-up), oldest activity first. */
  importBaselines(snapshots: readonly unknown[]): BaselineImportReport;
}

export function createDetectorSet(options: DetectorSetOptions): DetectorSet {
  const limits = resolveDetectorLimits(options.limits);
  const spend = createSpendSpikeDetector(limits);
  const drift = createPermissionDriftDetector(limits);
  const detectors: readonly Detector[] = [createPolicyViolationDetector(), createLoopDetector(limits), createBudgetDetector(limits), spend, drift];
  const { policyFor, onError } = options;
  let clockMs = 0;
  let spanCount = 0;
  let findingCount = 0;
  let errors = 0;
  // One view for every span: detectors read it during observe and keep nothing of it. Its span
  // is set before any detector sees it.
  const observed: ObservedSpan = { span: undefined as unknown as AgentSpan, endMs: 0, nowMs: 0, sessionKey: '' };

  function observeSpan(policy: AgentPolicy, out: Finding[]): void {
    for (let i = 0; i < detectors.length; i++) {
      const detector = detectors[i] as Detector;
      try {
        detector.observe(observed, policy, out);
      } catch (error) {
        errors++;
        onError?.(error, detector.kind);
      }
    }
  }

  return {
    observe(spans) {
      const out: Finding[] = [];
      // Spans of one request mostly share an agent; the policy is looked up once per run of it.
      let policyAgent: string | null = null;
      let policy: AgentPolicy | null = null;
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i] as AgentSpan;
        // BigInt first: nanosecond times lose their last digits as doubles, which made ends 1 ms early.
        const endMs = Number((span.startTimeUnixNano + span.durationNs) / 1_000_000n);
        if (endMs > clockMs) clockMs = endMs;
        observed.span = span;
        observed.endMs = endMs;
        observed.nowMs = clockMs;
        observed.sessionKey = span.sessionId !== '' ? span.sessionId : span.traceId;
        if (policy === null || span.agentId !== policyAgent) {
          policyAgent = span.agentId;
          policy = policyFor(span.agentId);
        }
        observeSpan(policy, out);
      }
      spanCount += spans.length;
      findingCount += out.length;
      return out;
    },

    evictIdle(nowMs) {
      const now = Math.min(nowMs, clockMs);
      for (const detector of detectors) detector.evictIdle(now);
    },

    stats() {
      return { spans: spanCount, findings: findingCount, errors, clockMs, detectors: detectors.map((detector) => detector.stats()) };
    },

    exportBaselines() {
      return exportBaselines(spend, drift);
    },

    importBaselines(input) {
      return importBaselines(spend, drift, limits, input);
    },
  };
}
