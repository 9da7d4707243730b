// spend_spike: an agent's dollar or token rate far above its own usual rate. Per agent, usage per
// minute (counted-usage.ts) is kept with a robust baseline of its last active minutes
// (spend-history.ts); the rate judged is the usage of the last two minutes, per minute
// (spend-window.ts), against median + sensitivity x scale and the policy's absolute floor. The
// dollar rule also needs the rate above twice the most expensive minute before those two (model
// routing). The rate is recomputed at every span that adds to it, so a spike is reported as soon
// as its two minutes cross. Hysteresis: once firing, a rate stays firing until a minute closes
// with the two-minute rate below median + sensitivity/2 x scale, or passes idle; while it stays
// firing, each closed minute is reported once more, so the alert stays open for as long as the
// spike lasts. Agents with fewer than learningMinutes active minutes have no baseline yet: budgets only.
import type { AgentPolicy } from '../policy/agent-policy.ts';
import { countsUsage, hasUsage, type UsageSource } from './counted-usage.ts';
import type { Detector, ObservedSpan } from './detector.ts';
import type { DetectorLimits } from './detector-limits.ts';
import type { Finding } from './finding.ts';
import { createLruTable, type LruTable } from './lru-table.ts';
import { makeFinding } from './make-finding.ts';
import { closeMinute, createSpendHistory, type SpendHistory } from './spend-history.ts';
import { largestMinuteBeforeWindow, RATE_WINDOW_MINUTES, USD_OVER_LARGEST_MINUTE, windowRate, windowScale, type SpendMetric } from './spend-window.ts';
import { createSpanIdRing, pushSpanId, recentSpanIds, type SpanIdRing } from './span-id-ring.ts';

const MINUTE_MS = 60_000;
/** Span ids of the current minute a spike's evidence carries: the latest few that added to it. */
const SPIKE_EVIDENCE_SPANS = 4;

export interface SpendAgent extends UsageSource {
  history: SpendHistory;
  usdFiring: boolean;
  tokensFiring: boolean;
  /** Usage spans of the current minute (the ring is read only up to `spansThisMinute`). */
  spanIds: SpanIdRing;
  spansThisMinute: number;
}

export function createSpendAgent(): SpendAgent {
  return { sawLlmUsage: false, history: createSpendHistory(), usdFiring: false, tokensFiring: false, spanIds: createSpanIdRing(SPIKE_EVIDENCE_SPANS), spansThisMinute: 0 };
}

export interface SpendSpikeDetector extends Detector {
  /** The per-agent state, for baseline snapshots. */
  readonly agents: LruTable<SpendAgent>;
}

export function createSpendSpikeDetector(limits: Readonly<DetectorLimits>): SpendSpikeDetector {
  const counters = { findings: 0 };
  const agents = createLruTable<SpendAgent>({ maxEntries: limits.maxAgents, idleMs: limits.agentIdleMs, create: createSpendAgent });

  /** Moves the agent to the span's minute, closing the one it was in. */
  function advance(agent: SpendAgent, minute: number, observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const history = agent.history;
    if (history.minute >= 0) {
      // The two minutes up to the end of the closing one.
      const closedAtMs = (history.minute + 1) * MINUTE_MS;
      // A gap of a minute or more is a minute far below any release level.
      const gap = minute > history.minute + 1;
      if (agent.usdFiring && (gap || belowRelease(history, 'usd', closedAtMs, policy))) agent.usdFiring = false;
      if (agent.tokensFiring && (gap || belowRelease(history, 'tokens', closedAtMs, policy))) agent.tokensFiring = false;
      if (agent.usdFiring) report(agent, observed, policy, 'usd', windowRate(history, 'usd', closedAtMs), 0, out);
      if (agent.tokensFiring) report(agent, observed, policy, 'tokens', windowRate(history, 'tokens', closedAtMs), 0, out);
      closeMinute(history, limits.spendHistoryMinutes, limits.spendMinRelativeScale);
    }
    history.minute = minute;
    history.usd = 0;
    history.tokens = 0;
    agent.spansThisMinute = 0;
  }

  function belowRelease(history: SpendHistory, metric: SpendMetric, atMs: number, policy: AgentPolicy): boolean {
    const median = medianOf(history, metric);
    return windowRate(history, metric, atMs) < median + (policy.spend.sensitivity / 2) * windowScale(median, scaleOf(history, metric));
  }

  /** Starts firing when the rate crosses its threshold (and the floor); reports the crossing. */
  function check(agent: SpendAgent, observed: ObservedSpan, policy: AgentPolicy, metric: SpendMetric, out: Finding[]): boolean {
    const history = agent.history;
    const rate = windowRate(history, metric, observed.endMs);
    if (rate <= floorOf(policy, metric)) return false;
    const median = medianOf(history, metric);
    if (rate <= median + policy.spend.sensitivity * windowScale(median, scaleOf(history, metric))) return false;
    // Only past the statistical threshold: the largest minute costs a pass over the history.
    const ceiling = metric === 'usd' ? USD_OVER_LARGEST_MINUTE * largestMinuteBeforeWindow(history, 'usd') : 0;
    if (rate <= ceiling) return false;
    report(agent, observed, policy, metric, rate, ceiling, out);
    return true;
  }

  /** A finding for the rate; `ceiling` is the dollar rule's bound from the largest minute (0 otherwise). */
  function report(agent: SpendAgent, observed: ObservedSpan, policy: AgentPolicy, metric: SpendMetric, rate: number, ceiling: number, out: Finding[]): void {
    const median = medianOf(agent.history, metric);
    const scale = windowScale(median, scaleOf(agent.history, metric));
    const k = policy.spend.sensitivity;
    const threshold = Math.max(median + k * scale, ceiling);
    const unit = metric === 'usd' ? 'USD' : 'tokens';
    counters.findings++;
    out.push(
      makeFinding(
        'spend_spike',
        metric === 'usd' ? 'usd_rate' : 'tokens_rate',
        observed.span.agentId,
        observed,
        `${observed.span.agentId} is spending ${round(rate)} ${unit}/min over the last ${RATE_WINDOW_MINUTES} minutes, usually ${round(median)} (threshold ${round(threshold)})`,
        {
          span_ids: recentSpanIds(agent.spanIds, agent.spansThisMinute),
          observed: rate,
          baseline: median,
          scale,
          threshold,
          sensitivity: k,
          floor: floorOf(policy, metric),
          unit: `${unit}/min`,
          rate_minutes: RATE_WINDOW_MINUTES,
          window_minutes: agent.history.length,
        },
      ),
    );
  }

  return {
    kind: 'spend_spike',
    agents,

    observe(observed, policy, out) {
      const span = observed.span;
      // Cheap exit for the common case: spans that carry no usage never touch the table.
      if (span.kind !== 'llm' && span.kind !== 'agent') return;
      if (span.agentId === '' || !hasUsage(span)) return;
      const agent = agents.use(span.agentId, observed.nowMs);
      if (!countsUsage(span, agent)) return;
      const history = agent.history;
      const minute = Math.floor(observed.endMs / MINUTE_MS);
      // A late span (another replica's, a slow export) counts in the current minute: its usage
      // is real, and the minute it belonged to was already judged.
      if (minute > history.minute) advance(agent, minute, observed, policy, out);
      history.usd += span.costUsd;
      history.tokens += span.inputTokens + span.outputTokens;
      pushSpanId(agent.spanIds, span.spanId);
      agent.spansThisMinute++;

      // A learning period longer than the history kept means "a full history".
      if (history.length < Math.min(policy.spend.learningMinutes, limits.spendHistoryMinutes)) return;
      if (!agent.usdFiring) agent.usdFiring = check(agent, observed, policy, 'usd', out);
      if (!agent.tokensFiring) agent.tokensFiring = check(agent, observed, policy, 'tokens', out);
    },

    evictIdle(nowMs) {
      agents.evictIdle(nowMs);
    },

    stats() {
      return { kind: 'spend_spike', tables: { agents: agents.stats() }, counters: { ...counters } };
    },
  };
}

function medianOf(history: SpendHistory, metric: SpendMetric): number {
  return metric === 'usd' ? history.usdMedian : history.tokensMedian;
}

/** The robust scale of one minute (median absolute deviation, floored; spend-history.ts). */
function scaleOf(history: SpendHistory, metric: SpendMetric): number {
  return metric === 'usd' ? history.usdScale : history.tokensScale;
}

function floorOf(policy: AgentPolicy, metric: SpendMetric): number {
  return metric === 'usd' ? policy.spend.minUsdPerMinute : policy.spend.minTokensPerMinute;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
