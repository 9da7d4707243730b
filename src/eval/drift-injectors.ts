// Permission drift: after the agent's learning period, the first use of a tool, data class or
// target it never used (all allowed by its policy), and a shift of its tool mix to the tool it
// used least.
import { toolCallRate, type AgentTrack } from './agent-track.ts';
import type { AnomalyType } from './eval-labels.ts';
import { CODING, RESEARCH, SUPPORT, type Archetype } from './fleet-archetypes.ts';
import type { FleetAgent } from './fleet-roster.ts';
import type { InjectionContext, Injector } from './injection-context.ts';
import { injectCall, type MakeCall } from './policy-injectors.ts';
import { normalTool, prngArgs, toolStep } from './session-plan.ts';

const ALL: readonly Archetype[] = [SUPPORT, CODING, RESEARCH];
/** Spans past the learning period before a first use is injected. */
const PAST_LEARNING = 100;
/** Tool calls of a shifted mix: enough for the 200-call window to be dominated by it. */
export const SHIFTED_CALLS = 250;
/** Share of the shifted mix that goes to the agent's least used tool. */
const SHIFTED_SHARE = 0.9;
/** Tool calls before a shift: the 200-call window plus the 200-call baseline the detector needs. */
const MIN_TOOL_CALLS = 450;

function learned(type: AnomalyType, context: InjectionContext) {
  return (track: AgentTrack, agent: FleetAgent): boolean => !track.usedMaterial.has(type) && track.spans >= context.policyFor(agent).drift.learningSpans + PAST_LEARNING;
}

function firstUse(type: AnomalyType, make: MakeCall): Injector {
  return (context, atMs) => {
    const agent = injectCall(context, atMs, type, ALL, make, learned(type, context));
    if (agent === null) return false;
    context.track(agent).usedMaterial.add(type);
    return true;
  };
}

export const injectNewTool = firstUse('drift_new_tool', (prng, agent) => toolStep(agent.archetype.anomaly.newTool, prngArgs(prng)));

export const injectNewDataClass = firstUse('drift_new_data_class', (prng, agent) => {
  const tool = normalTool(prng, agent.archetype);
  return toolStep(tool, prngArgs(prng), { dataClasses: [...tool.dataClasses, agent.archetype.anomaly.newDataClass] });
});

export const injectNewTarget = firstUse('drift_new_target', (prng, agent) => {
  const tool = normalTool(prng, agent.archetype);
  return toolStep(tool, prngArgs(prng), { target: agent.archetype.anomaly.newTarget });
});

/**
 * From now on the agent's sessions draw 90% of their tool calls from its least used tool, for
 * SHIFTED_CALLS calls; the generator builds those sessions (fleet-generator.ts) under the label.
 */
export const injectToolMixShift: Injector = (context, atMs) => {
  // Only into an agent busy enough to make the shifted calls before the run ends (at its rate so
  // far, with room to spare): a shift cut short by the end of the run would be a miss by design.
  const ready = (track: AgentTrack): boolean =>
    track.toolCalls >= MIN_TOOL_CALLS && track.mixOverride === null && toolCallRate(track) * (context.runEndMs - atMs) >= 2 * SHIFTED_CALLS;
  const agent = context.pickAgent(atMs, ALL, ready);
  if (agent === null) return false;
  const tools = agent.archetype.tools;
  let least = 0;
  tools.forEach((tool, index) => {
    if (tool.weight < tools[least]!.weight) least = index;
  });
  const others = tools.reduce((sum, tool, index) => (index === least ? sum : sum + tool.weight), 0);
  const weights = tools.map((tool, index) => (index === least ? SHIFTED_SHARE : ((1 - SHIFTED_SHARE) * tool.weight) / others));
  const label = context.label('drift_tool_mix', agent, 'agent', { sessionId: '', traceId: '' }, { tool: tools[least]!.name, share: SHIFTED_SHARE, calls: SHIFTED_CALLS });
  context.track(agent).mixOverride = { weights, remaining: SHIFTED_CALLS, label };
  return true;
};
