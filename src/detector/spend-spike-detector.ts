// spend_spike: an agent's dollar or token rate far above its own usual rate. Per agent, usage per
// minute (counted-usage.ts) is compared with a robust baseline of its last active minutes
// (spend-history.ts): median + sensitivity x scale, and above the policy's absolute floor. The
// running total of the current minute is compared at every span that adds to it, so a spike is
// reported within the minute it starts. Hysteresis: once firing, a rate stays firing until a
// minute closes below median + sensitivity/2 x scale, or passes idle; while it stays firing, each
// closed minute is reported once more, so the alert stays open for as long as the spike lasts.
// Agents with fewer than learningMinutes active minutes have no baseline yet: budgets only.
import type { AgentPolicy } from '../policy/agent-policy.ts';
import { countsUsage, hasUsage, type UsageSource } from './counted-usage.ts';
import type { Detector, ObservedSpan } from './detector.ts';
import type { DetectorLimits } from './detector-limits.ts';
import type { Finding } from './finding.ts';
import { createLruTable, type LruTable } from './lru-table.ts';
import { makeFinding } from './make-finding.ts';
import { closeMinute, createSpendHistory, type SpendHistory } from './spend-history.ts';
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
      const k = policy.spend.sensitivity / 2;
      // A gap of a minute or more is a minute far below any release level.
      const gap = minute > history.minute + 1;
      if (agent.usdFiring && (gap || history.usd < history.usdMedian + k * history.usdScale)) agent.usdFiring = false;
      if (agent.tokensFiring && (gap || history.tokens < history.tokensMedian + k * history.tokensScale)) agent.tokensFiring = false;
      const { minUsdPerMinute, minTokensPerMinute } = policy.spend;
      if (agent.usdFiring) spike(agent, observed, policy, 'usd_rate', history.usd, history.usdMedian, history.usdScale, minUsdPerMinute, out);
      if (agent.tokensFiring) spike(agent, observed, policy, 'tokens_rate', history.tokens, history.tokensMedian, history.tokensScale, minTokensPerMinute, out);
      closeMinute(history, limits.spendHistoryMinutes, limits.spendMinRelativeScale);
    }
    history.minute = minute;
    history.usd = 0;
    history.tokens = 0;
    agent.spansThisMinute = 0;
  }

  function spike(
    agent: SpendAgent,
    observed: ObservedSpan,
    policy: AgentPolicy,
    rule: 'usd_rate' | 'tokens_rate',
    rate: number,
    median: number,
    scale: number,
    floor: number,
    out: Finding[],
  ): void {
    const k = policy.spend.sensitivity;
    const threshold = median + k * scale;
    const unit = rule === 'usd_rate' ? 'USD' : 'tokens';
    counters.findings++;
    out.push(
      makeFinding(
        'spend_spike',
        rule,
        observed.span.agentId,
        observed,
        `${observed.span.agentId} is spending ${round(rate)} ${unit}/min, usually ${round(median)} (threshold ${round(threshold)})`,
        {
          span_ids: recentSpanIds(agent.spanIds, agent.spansThisMinute),
          observed: rate,
          baseline: median,
          scale,
          threshold,
          sensitivity: k,
          floor,
          unit: `${unit}/min`,
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
      const k = policy.spend.sensitivity;
      const { minUsdPerMinute, minTokensPerMinute } = policy.spend;
      if (!agent.usdFiring && history.usd > minUsdPerMinute && history.usd > history.usdMedian + k * history.usdScale) {
        agent.usdFiring = true;
        spike(agent, observed, policy, 'usd_rate', history.usd, history.usdMedian, history.usdScale, minUsdPerMinute, out);
      }
      if (!agent.tokensFiring && history.tokens > minTokensPerMinute && history.tokens > history.tokensMedian + k * history.tokensScale) {
        agent.tokensFiring = true;
        spike(agent, observed, policy, 'tokens_rate', history.tokens, history.tokensMedian, history.tokensScale, minTokensPerMinute, out);
      }
    },

    evictIdle(nowMs) {
      agents.evictIdle(nowMs);
    },

    stats() {
      return { kind: 'spend_spike', tables: { agents: agents.stats() }, counters: { ...counters } };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
