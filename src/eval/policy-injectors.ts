// Policy violations: one session in which the agent makes one call its policy forbids, among
// a few normal ones. Each type uses the archetype's material (fleet-archetypes.ts).
import type { AnomalyType } from './eval-labels.ts';
import { CODING, RESEARCH, SUPPORT, type Archetype, type ToolSpec } from './fleet-archetypes.ts';
import type { FleetAgent } from './fleet-roster.ts';
import type { InjectionContext, Injector } from './injection-context.ts';
import type { Prng } from './prng.ts';
import { freshCalls, interleave, normalTool, prngArgs, toolStep, type ToolStep } from './session-plan.ts';

/** A tool outside the agent's normal set, touching nothing. */
export function bareTool(name: string): ToolSpec {
  return { name, weight: 0, dataClasses: [], target: '', access: 'read', tier: 'autonomous', medianMs: 400, pageable: false };
}

export type MakeCall = (prng: Prng, agent: FleetAgent, context: InjectionContext) => ToolStep | null;
type Ready = Parameters<InjectionContext['pickAgent']>[2];

/**
 * A session with the call `make` returns among one to three normal calls; returns its agent, or
 * null when none qualifies. The archetypes are those that have the material, so `make` returns
 * null only for a wiring mistake.
 */
export function injectCall(context: InjectionContext, atMs: number, type: AnomalyType, archetypes: readonly Archetype[], make: MakeCall, ready?: Ready): FleetAgent | null {
  const { prng } = context;
  const agent = context.pickAgent(atMs, archetypes, ready);
  if (agent === null) return null;
  const call = make(prng, agent, context);
  if (call === null) return null;
  const calls = [...freshCalls(prng, agent.archetype, prng.int(2)), call, ...freshCalls(prng, agent.archetype, 1 + prng.int(2))];
  const session = context.build(agent, interleave(calls), { startMs: atMs });
  const label = context.label(type, agent, 'agent', session, { tool: call.tool.name, data_classes: call.dataClasses.join(','), target: call.target, tier: call.tier });
  context.emit(session, label, (span) => span.kind === 'tool' && span.toolArgsHash === call.args);
  return agent;
}

function injectOneCall(type: AnomalyType, archetypes: readonly Archetype[], make: MakeCall): Injector {
  return (context, atMs) => injectCall(context, atMs, type, archetypes, make) !== null;
}

const ALL: readonly Archetype[] = [SUPPORT, CODING, RESEARCH];

function toolNamed(archetype: Archetype, name: string | null): ToolSpec | null {
  return name === null ? null : (archetype.tools.find((tool) => tool.name === name) ?? null);
}

export const injectDeniedTool = injectOneCall('violation_tool_denied', ALL, (prng, agent) => toolStep(bareTool(agent.archetype.anomaly.deniedTool), prngArgs(prng)));

export const injectToolNotAllowed = injectOneCall('violation_tool_not_allowed', [SUPPORT, RESEARCH], (prng, agent) => {
  const name = agent.archetype.anomaly.notAllowedTool;
  return name === null ? null : toolStep(bareTool(name), prngArgs(prng));
});

export const injectDeniedDataClass = injectOneCall('violation_data_class_denied', ALL, (prng, agent) => {
  const tool = normalTool(prng, agent.archetype);
  return toolStep(tool, prngArgs(prng), { dataClasses: [...tool.dataClasses, agent.archetype.anomaly.deniedDataClass] });
});

export const injectForbiddenTarget = injectOneCall('violation_target', ALL, (prng, agent) => {
  const tool = normalTool(prng, agent.archetype);
  return toolStep(tool, prngArgs(prng), { target: agent.archetype.anomaly.forbiddenTarget });
});

export const injectBlockedTier = injectOneCall('violation_blocked_tier', ALL, (prng, agent) => toolStep(normalTool(prng, agent.archetype), prngArgs(prng), { tier: 'blocked' }));

export const injectGatedWithoutApproval = injectOneCall('violation_gated_without_approval', [SUPPORT, CODING], (prng, agent) => {
  const tool = toolNamed(agent.archetype, agent.archetype.anomaly.gatedTool);
  return tool === null ? null : toolStep(tool, prngArgs(prng), { approved: false });
});

export const injectLowConfidence = injectOneCall('violation_low_confidence', [SUPPORT, CODING], (prng, agent, context) => {
  const tool = toolNamed(agent.archetype, agent.archetype.anomaly.supervisedTool);
  const minimum = context.policyFor(agent).minConfidence;
  if (tool === null || minimum === null) return null;
  return toolStep(tool, prngArgs(prng), { confidence: Math.round(prng.between(0.2, minimum - 0.1) * 100) / 100 });
});
