// Spend: an agent's token rate jumping 5 to 20 times its own usual rate for a few minutes, and
// the four budgets of its policy crossed (USD per hour, tokens per session, tool calls per
// minute, writes per hour).
import { medianMinuteTokens } from './agent-track.ts';
import type { EvalLabel } from './eval-labels.ts';
import { CODING, RESEARCH, SUPPORT, type ModelSpec } from './fleet-archetypes.ts';
import type { FleetAgent } from './fleet-roster.ts';
import type { InjectionContext, Injector } from './injection-context.ts';
import { freshCalls, llmStep, normalTool, prngArgs, toolStep, type Step } from './session-plan.ts';

const MINUTE_MS = 60_000;
/** Largest prompt one injected LLM call sends: a long context, not an impossible one. */
const MAX_CALL_TOKENS = 150_000;

/** Big LLM calls of `tokens` input each, a tool call between two: context stuffing. */
function bigCallPlan(context: InjectionContext, agent: FleetAgent, calls: number, tokens: number): Step[] {
  const steps: Step[] = [];
  for (let c = 0; c < calls; c++) {
    if (c > 0) steps.push(toolStep(normalTool(context.prng, agent.archetype), prngArgs(context.prng)));
    steps.push(llmStep(1, tokens));
  }
  return steps;
}

function emitBig(context: InjectionContext, agent: FleetAgent, label: EvalLabel, startMs: number, steps: Step[], tokens: number, model?: ModelSpec): void {
  const session = context.build(agent, steps, model === undefined ? { startMs } : { startMs, model });
  context.emit(session, label, (span) => span.kind === 'llm' && span.inputTokens === tokens);
}

/** Three sessions a minute whose inflated LLM calls add factor x the agent's usual tokens per minute. */
export const injectSpendSpike: Injector = (context, atMs) => {
  const { prng } = context;
  const agent = context.pickAgent(
    atMs,
    [SUPPORT, CODING, RESEARCH],
    // A baseline exists (learning_minutes is 30) and the agent is working now.
    (track) => track.usageMinutes >= 40 && track.recentMinuteTokens.length >= 30 && atMs - track.lastUsageMs < 15 * MINUTE_MS,
  );
  if (agent === null) return false;
  const baseline = medianMinuteTokens(context.track(agent));
  const factor = Math.round(prng.between(5, 20) * 10) / 10;
  const minutes = 3 + prng.int(6);
  const perSession = (factor * baseline) / 3;
  const calls = Math.ceil(perSession / MAX_CALL_TOKENS);
  const tokens = Math.round(perSession / calls);
  const label = context.label('spend_spike', agent, 'agent', { sessionId: '', traceId: '' }, { factor, minutes, baseline_tokens_per_minute: Math.round(baseline) });
  const model = agent.archetype.models[0]!;
  for (let i = 0; i < minutes * 3; i++) {
    emitBig(context, agent, label, atMs + i * 20_000 + prng.between(0, 3000), bigCallPlan(context, agent, calls, tokens), tokens, model);
  }
  return true;
};

/** 1.4 x the hourly USD budget within 20 minutes, on the archetype's most expensive model. */
export const injectUsdPerHour: Injector = (context, atMs) => {
  const agent = context.pickAgent(atMs, [SUPPORT]);
  if (agent === null) return false;
  const limit = context.policyFor(agent).budget.usdPerHour;
  if (limit === null) return false;
  const model = agent.archetype.models.reduce((a, b) => (context.costOf(b, 1e6) > context.costOf(a, 1e6) ? b : a));
  const tokens = 40_000;
  const calls = Math.ceil((1.4 * limit) / context.costOf(model, tokens));
  const sessions = Math.ceil(calls / 3);
  const label = context.label('budget_usd_per_hour', agent, 'agent', { sessionId: '', traceId: '' }, { limit_usd: limit, calls });
  for (let s = 0; s < sessions; s++) {
    const n = Math.min(3, calls - 3 * s);
    emitBig(context, agent, label, atMs + (s * 20 * MINUTE_MS) / sessions, bigCallPlan(context, agent, n, tokens), tokens, model);
  }
  return true;
};

/** One session whose long prompts add up to 1.3 x tokens_per_session. */
export const injectTokensPerSession: Injector = (context, atMs) => {
  const agent = context.pickAgent(atMs, [SUPPORT, RESEARCH]);
  if (agent === null) return false;
  const limit = context.policyFor(agent).budget.tokensPerSession;
  if (limit === null) return false;
  const target = 1.3 * limit;
  const calls = Math.max(3, Math.ceil(target / MAX_CALL_TOKENS));
  const tokens = Math.ceil(target / calls);
  const session = context.build(agent, bigCallPlan(context, agent, calls, tokens), { startMs: atMs });
  const label = context.label('budget_tokens_per_session', agent, 'session', session, { limit, calls, tokens_per_call: tokens });
  context.emit(session, label, (span) => span.kind === 'llm' && span.inputTokens === tokens);
  return true;
};

/** A fan-out burst: 1.5 x actions_per_minute tool calls in parallel sessions within ~30 s. */
export const injectActionsPerMinute: Injector = (context, atMs) => {
  const { prng } = context;
  const agent = context.pickAgent(atMs, [SUPPORT, RESEARCH]);
  if (agent === null) return false;
  const limit = context.policyFor(agent).limits.actionsPerMinute;
  if (limit === null) return false;
  const total = Math.ceil(1.5 * limit);
  const label = context.label('budget_actions_per_minute', agent, 'agent', { sessionId: '', traceId: '' }, { limit, calls: total });
  for (let done = 0; done < total; done += 10) {
    // Parallel tool calls: one LLM call asks for all of them.
    const steps: Step[] = [llmStep(), ...freshCalls(prng, agent.archetype, Math.min(10, total - done)), llmStep()];
    const session = context.build(agent, steps, { startMs: atMs + prng.between(0, 10_000) });
    context.emit(session, label, (span) => span.kind === 'tool');
  }
  return true;
};

/** 1.3 x writes_per_hour within 30 minutes: a bulk update gone wrong. */
export const injectWritesPerHour: Injector = (context, atMs) => {
  const { prng } = context;
  const agent = context.pickAgent(atMs, [SUPPORT]);
  if (agent === null) return false;
  const limit = context.policyFor(agent).limits.writesPerHour;
  if (limit === null) return false;
  const writers = agent.archetype.tools.filter((tool) => tool.access === 'write' && tool.tier !== 'gated');
  const total = Math.ceil(1.3 * limit);
  const sessions = Math.ceil(total / 10);
  const label = context.label('budget_writes_per_hour', agent, 'agent', { sessionId: '', traceId: '' }, { limit, writes: total });
  for (let s = 0; s < sessions; s++) {
    const calls = Array.from({ length: Math.min(10, total - 10 * s) }, () => toolStep(writers[prng.int(writers.length)]!, prngArgs(prng)));
    const session = context.build(agent, [llmStep(), ...calls, llmStep()], { startMs: atMs + (s * 30 * MINUTE_MS) / sessions });
    context.emit(session, label, (span) => span.kind === 'tool');
  }
  return true;
};
