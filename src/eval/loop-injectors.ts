// Loops: identical calls, a cycle of calls, a runaway session, and a delegation chain that keeps
// returning to an agent it left.
import type { Archetype } from './fleet-archetypes.ts';
import { CODING, ORCHESTRATOR, RESEARCH, SUPPORT } from './fleet-archetypes.ts';
import type { FleetAgent } from './fleet-roster.ts';
import type { Injector } from './injection-context.ts';
import { freshCalls, interleave, llmStep, normalTool, prngArgs, toolStep, type Step, type ToolStep } from './session-plan.ts';

const LOOPING: readonly Archetype[] = [SUPPORT, CODING, RESEARCH];

/** The same tool with the same arguments, 6 to 12 times; a third of the loops retry a failing call. */
export const injectIdenticalLoop: Injector = (context, atMs) => {
  const { prng } = context;
  const agent = context.pickAgent(atMs, LOOPING);
  if (agent === null) return false;
  const tool = normalTool(prng, agent.archetype);
  const args = prngArgs(prng);
  const repeats = 6 + prng.int(7);
  const failing = prng.chance(1 / 3);
  const calls = [...freshCalls(prng, agent.archetype, 1 + prng.int(2)), ...Array.from({ length: repeats }, () => toolStep(tool, args, { error: failing }))];
  const session = context.build(agent, interleave(calls), { startMs: atMs });
  const label = context.label('loop_identical', agent, 'session', session, { tool: tool.name, repeats, failing: failing ? 1 : 0 });
  context.emit(session, label, (span) => span.kind === 'tool' && span.toolArgsHash === args);
  return true;
};

/** A cycle of 2 to 4 distinct calls (each with fixed arguments) repeated 4 to 6 times. */
export const injectCycleLoop: Injector = (context, atMs) => {
  const { prng } = context;
  const agent = context.pickAgent(atMs, LOOPING);
  if (agent === null) return false;
  const period = 2 + prng.int(3);
  const repeats = 4 + prng.int(3);
  const cycle = freshCalls(prng, agent.archetype, period);
  const calls: ToolStep[] = [];
  for (let r = 0; r < repeats; r++) calls.push(...cycle);
  const session = context.build(agent, interleave(calls), { startMs: atMs });
  const keys = new Set(cycle.map((call) => call.args));
  const label = context.label('loop_cycle', agent, 'session', session, { period, repeats, cycle: cycle.map((call) => call.tool.name).join(' -> ') });
  context.emit(session, label, (span) => span.kind === 'tool' && keys.has(span.toolArgsHash));
  return true;
};

/** A session that does not stop: 10 to 40 steps past the agent's max_steps, every call different. */
export const injectRunawaySteps: Injector = (context, atMs) => {
  const { prng } = context;
  const agent = context.pickAgent(atMs, LOOPING);
  if (agent === null) return false;
  const limit = context.policyFor(agent).loop.maxSteps;
  const steps = limit + 10 + prng.int(31);
  // interleave makes 2 x calls + 1 steps.
  const session = context.build(agent, interleave(freshCalls(prng, agent.archetype, Math.ceil((steps - 1) / 2))), { startMs: atMs });
  const label = context.label('loop_steps', agent, 'session', session, { steps: session.spans.length - 1, limit });
  context.emit(session, label, (span) => span.kind === 'llm' || span.kind === 'tool');
  return true;
};

/** An orchestrator and one of its workers handing the task back and forth, 4 to 7 hops deep. */
export const injectDelegationCycle: Injector = (context, atMs) => {
  const { prng } = context;
  const orchestrator = context.pickAgent(atMs, [ORCHESTRATOR], (_, agent) => agent.workers.length > 0);
  if (orchestrator === null) return false;
  const worker = orchestrator.workers[prng.int(orchestrator.workers.length)]!;
  const hops = 4 + prng.int(4);
  const planFor = (agent: FleetAgent, hop: number): Step[] => {
    const own = freshCalls(prng, agent.archetype, 1);
    if (hop === hops) return interleave(own);
    const next = agent === orchestrator ? worker : orchestrator;
    return [llmStep(), ...own, llmStep(), { kind: 'delegate', agent: next, steps: planFor(next, hop + 1) }, llmStep()];
  };
  const session = context.build(orchestrator, planFor(orchestrator, 0), { startMs: atMs });
  const label = context.label('loop_delegation', orchestrator, 'trace', session, { hops, worker: worker.id });
  context.emit(session, label, (span) => span.kind === 'agent' && span.delegationFrom !== '');
  return true;
};
