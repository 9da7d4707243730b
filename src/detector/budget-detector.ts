// budget_exceeded: the limits the policy writes down, per agent (USD per hour and per day, tool
// calls per minute, writes per hour) and per session (tokens). Sliding windows of buckets
// (budget-windows.ts). A limit is reported when the window's total first goes above it, and again
// only after the total fell back to or below it (one finding per crossing).
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AgentPolicy } from '../policy/agent-policy.ts';
import { BUDGET_WINDOWS, createBudgetAgent, limitOf, type BudgetAgent, type BudgetRule, type Limit } from './budget-windows.ts';
import { countsUsage, hasUsage, type UsageSource } from './counted-usage.ts';
import type { Detector, ObservedSpan } from './detector.ts';
import type { DetectorLimits } from './detector-limits.ts';
import type { Finding } from './finding.ts';
import { createLruTable } from './lru-table.ts';
import { makeFinding } from './make-finding.ts';
import { addToWindow } from './sliding-window.ts';

interface BudgetSession extends UsageSource {
  tokens: number;
  reported: boolean;
}

function createBudgetSession(): BudgetSession {
  return { sawLlmUsage: false, tokens: 0, reported: false };
}

function isWrite(span: AgentSpan): boolean {
  return span.dataAccess === 'write' || span.dataAccess === 'delete';
}

export function createBudgetDetector(limits: Readonly<DetectorLimits>): Detector {
  const counters = { findings: 0 };
  const agents = createLruTable<BudgetAgent>({ maxEntries: limits.maxAgents, idleMs: limits.agentIdleMs, create: createBudgetAgent });
  const sessions = createLruTable<BudgetSession>({ maxEntries: limits.maxSessions, idleMs: limits.sessionIdleMs, create: createBudgetSession });

  /** Adds to a limit's window; reports when the total crosses above the limit. */
  function add(limit: Limit, rule: BudgetRule, max: number, value: number, observed: ObservedSpan, out: Finding[]): void {
    // A span older than the window (a clock behind, a span without a start time) still spent
    // what it spent: it counts in the newest bucket rather than not at all.
    const window = limit.window;
    const total = addToWindow(window, Math.max(observed.endMs, window.newest * window.bucketMs), value);
    if (total <= max) {
      limit.over = false;
      return;
    }
    if (limit.over) return;
    limit.over = true;
    const shape = BUDGET_WINDOWS[rule];
    counters.findings++;
    const agentId = observed.span.agentId;
    out.push(
      makeFinding('budget_exceeded', rule, agentId, observed, `${agentId} went over its ${rule.replaceAll('_', ' ')} limit: ${round(total)} ${shape.unit} in ${shape.label} (limit ${max})`, {
        span_ids: [observed.span.spanId],
        limit: max,
        observed: round(total),
        window: shape.label,
        unit: shape.unit,
      }),
    );
  }

  function observeAgent(observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const span = observed.span;
    const { usdPerHour, usdPerDay } = policy.budget;
    const { actionsPerMinute, writesPerHour } = policy.limits;
    // Every LLM span with usage is seen when a USD budget is set, not only priced ones: it
    // decides whether the agent's agent spans are rollups (counted-usage.ts).
    const usage = (usdPerHour !== null || usdPerDay !== null) && (span.kind === 'llm' || span.kind === 'agent') && hasUsage(span);
    const action = actionsPerMinute !== null && span.kind === 'tool';
    const write = writesPerHour !== null && isWrite(span);
    if (!usage && !action && !write) return;
    const agent = agents.use(span.agentId, observed.nowMs);
    if (usage && countsUsage(span, agent) && span.costUsd > 0) {
      if (usdPerHour !== null) add(limitOf(agent, 'usd_per_hour'), 'usd_per_hour', usdPerHour, span.costUsd, observed, out);
      if (usdPerDay !== null) add(limitOf(agent, 'usd_per_day'), 'usd_per_day', usdPerDay, span.costUsd, observed, out);
    }
    if (action) add(limitOf(agent, 'actions_per_minute'), 'actions_per_minute', actionsPerMinute, 1, observed, out);
    if (write) add(limitOf(agent, 'writes_per_hour'), 'writes_per_hour', writesPerHour, 1, observed, out);
  }

  function observeSession(observed: ObservedSpan, max: number, out: Finding[]): void {
    const span = observed.span;
    const session = sessions.use(observed.sessionKey, observed.nowMs);
    if (!countsUsage(span, session)) return;
    session.tokens += span.inputTokens + span.outputTokens;
    if (session.reported || session.tokens <= max) return;
    session.reported = true;
    counters.findings++;
    out.push(
      makeFinding('budget_exceeded', 'tokens_per_session', span.agentId, observed, `${span.agentId} used ${session.tokens} tokens in one session (limit ${max})`, {
        span_ids: [span.spanId],
        limit: max,
        observed: session.tokens,
        window: 'session',
        unit: 'tokens',
      }),
    );
  }

  return {
    kind: 'budget_exceeded',

    observe(observed, policy, out) {
      const span = observed.span;
      if (span.agentId !== '') observeAgent(observed, policy, out);
      const tokensPerSession = policy.budget.tokensPerSession;
      if (
        tokensPerSession !== null &&
        observed.sessionKey !== '' &&
        (span.kind === 'llm' || span.kind === 'agent') &&
        span.inputTokens + span.outputTokens > 0
      ) {
        observeSession(observed, tokensPerSession, out);
      }
    },

    evictIdle(nowMs) {
      agents.evictIdle(nowMs);
      sessions.evictIdle(nowMs);
    },

    stats() {
      return { kind: 'budget_exceeded', tables: { agents: agents.stats(), sessions: sessions.stats() }, counters: { ...counters } };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
