// Hard negatives that are sessions: an agent paging through results, 8 to 15 pages of the same
// tool with different arguments. Legitimate repetition: no loop may be reported for it. (The
// agent-level hard negatives, busy, growing and new agents, are fleet members: fleet-roster.ts.)
import { CODING, RESEARCH, SUPPORT } from './fleet-archetypes.ts';
import type { Injector } from './injection-context.ts';
import { freshCalls, interleave, prngArgs, toolStep } from './session-plan.ts';

export const injectPaging: Injector = (context, atMs) => {
  const { prng } = context;
  const agent = context.pickAgent(atMs, [SUPPORT, CODING, RESEARCH]);
  if (agent === null) return false;
  const pageable = agent.archetype.tools.filter((tool) => tool.pageable);
  const tool = pageable[prng.int(pageable.length)]!;
  const pages = 8 + prng.int(8);
  const pageCalls = Array.from({ length: pages }, () => toolStep(tool, prngArgs(prng)));
  const keys = new Set(pageCalls.map((call) => call.args));
  const calls = [...freshCalls(prng, agent.archetype, 1), ...pageCalls, ...freshCalls(prng, agent.archetype, prng.int(2))];
  const session = context.build(agent, interleave(calls), { startMs: atMs });
  const label = context.label('paging', agent, 'session', session, { tool: tool.name, pages });
  context.emit(session, label, (span) => span.kind === 'tool' && keys.has(span.toolArgsHash));
  return true;
};
