// What one session does, before it is given times and tokens: the sequence of LLM calls, tool
// calls (tool, argument hash, failure) and delegations. Normal plans follow the archetype's tool
// mix; anomaly injectors write their own plans with the same steps.
//
// Normal plans are bounded by construction, which is what makes "normal" checkable:
// - at most toolCalls.max + MAX_EXTRA_CALLS tool calls, so 2 x that + 1 steps stay under every
//   archetype's max_steps;
// - a call is read again at most once, and a failed call is retried once with the same
//   arguments, so the same tool + arguments occurs at most 4 times in a session (the loop
//   threshold is 5), and only as adjacent duplicates, never as a cycle of distinct calls.
import { DELEGATIONS_PER_SESSION, type ActionTier, type Archetype, type ToolSpec } from './fleet-archetypes.ts';
import type { FleetAgent } from './fleet-roster.ts';
import { pickWeighted, type Prng } from './prng.ts';

export interface LlmStep {
  kind: 'llm';
  /** Multiplies input and output tokens (spend anomalies). */
  tokenFactor: number;
  /** Exact input tokens instead of the archetype's growth curve; null = normal. */
  inputTokens: number | null;
}

export interface ToolStep {
  kind: 'tool';
  tool: ToolSpec;
  args: string;
  error: boolean;
  dataClasses: readonly string[];
  target: string;
  tier: ActionTier;
  /** A gated call carries an approval id unless this is false. */
  approved: boolean;
  /** undefined = the archetype's normal confidence. */
  confidence?: number | null;
}

export interface DelegateStep {
  kind: 'delegate';
  agent: FleetAgent;
  steps: Step[];
}

export type Step = LlmStep | ToolStep | DelegateStep;

/** Pages, retries and re-reads a normal plan may add beyond toolCalls.max. */
export const MAX_EXTRA_CALLS = 4;
const ARGS_HEX = 16;

export function llmStep(tokenFactor = 1, inputTokens: number | null = null): LlmStep {
  return { kind: 'llm', tokenFactor, inputTokens };
}

export function toolStep(tool: ToolSpec, args: string, more: Partial<ToolStep> = {}): ToolStep {
  return { kind: 'tool', tool, args, error: false, dataClasses: tool.dataClasses, target: tool.target, tier: tool.tier, approved: true, ...more };
}

/** LLM call, tool call, LLM call, tool call, ..., LLM call: the agent loop of most frameworks. */
export function interleave(calls: readonly Step[]): Step[] {
  const steps: Step[] = [];
  for (const call of calls) steps.push(llmStep(), call);
  steps.push(llmStep());
  return steps;
}

export function toolCallCount(prng: Prng, archetype: Archetype): number {
  const { median, sigma, min, max } = archetype.toolCalls;
  return Math.min(max, Math.max(min, Math.round(prng.logNormal(median, sigma))));
}

/** The tool calls of a normal session; `weights` replaces the archetype's mix (tool-mix drift). */
export function normalToolCalls(prng: Prng, archetype: Archetype, weights: readonly number[] = archetype.tools.map((t) => t.weight), count = toolCallCount(prng, archetype)): ToolStep[] {
  const calls: ToolStep[] = [];
  const reread = new Map<string, ToolStep>();
  const limit = archetype.toolCalls.max + MAX_EXTRA_CALLS;
  while (calls.length < count) {
    const tool = archetype.tools[pickWeighted(prng, weights)]!;
    let call: ToolStep;
    const previous = tool.access === 'read' && reread.size > 0 && prng.chance(archetype.rereadRate) ? sameTool(reread, tool) : undefined;
    if (previous !== undefined) {
      // Read again once, then never more.
      reread.delete(previous.tool.name + previous.args);
      call = toolStep(tool, previous.args);
    } else {
      call = toolStep(tool, prngArgs(prng));
      if (tool.access === 'read') reread.set(tool.name + call.args, call);
    }
    pushWithRetry(prng, archetype, calls, call);
    if (tool.pageable && prng.chance(archetype.pagingRate)) {
      const pages = 1 + prng.int(3);
      for (let page = 0; page < pages; page++) pushWithRetry(prng, archetype, calls, toolStep(tool, prngArgs(prng)));
    }
  }
  return calls.length > limit ? calls.slice(0, limit) : calls;
}

function sameTool(reread: Map<string, ToolStep>, tool: ToolSpec): ToolStep | undefined {
  for (const call of reread.values()) if (call.tool === tool) return call;
  return undefined;
}

function pushWithRetry(prng: Prng, archetype: Archetype, calls: ToolStep[], call: ToolStep): void {
  if (prng.chance(archetype.errorRate)) {
    calls.push({ ...call, error: true });
  }
  calls.push(call);
}

export function prngArgs(prng: Prng): string {
  return prng.hex(ARGS_HEX);
}

/** A tool drawn from the archetype's normal mix. */
export function normalTool(prng: Prng, archetype: Archetype): ToolSpec {
  return archetype.tools[pickWeighted(prng, archetype.tools.map((tool) => tool.weight))]!;
}

/** Calls with fresh arguments from the normal mix (no re-reads, pages or retries). */
export function freshCalls(prng: Prng, archetype: Archetype, count: number): ToolStep[] {
  return Array.from({ length: count }, () => toolStep(normalTool(prng, archetype), prngArgs(prng)));
}

/** A normal session of the agent: its own loop, and for an orchestrator its delegations. */
export function normalPlan(prng: Prng, agent: FleetAgent): Step[] {
  const archetype = agent.archetype;
  if (agent.workers.length === 0) return interleave(normalToolCalls(prng, archetype));
  const own = normalToolCalls(prng, archetype);
  const delegations = DELEGATIONS_PER_SESSION.min + prng.int(DELEGATIONS_PER_SESSION.max - DELEGATIONS_PER_SESSION.min + 1);
  const calls: Step[] = [...own];
  for (let d = 0; d < delegations; d++) {
    const worker = agent.workers[prng.int(agent.workers.length)]!;
    // Spread the delegations among the orchestrator's own calls.
    calls.splice(Math.min(calls.length, 1 + d), 0, { kind: 'delegate', agent: worker, steps: normalPlan(prng, worker) });
  }
  return interleave(calls);
}
