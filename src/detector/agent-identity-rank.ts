import type { AgentIdSource } from '../normalizer/agent-span.ts';

// Spans arrive children first, so a session's or trace's early spans often carry a fallback
// identity (the resource, service.name) and later ones the agent named on a span. State keyed by
// session or trace keeps the strongest identity seen, and its findings name that agent.
const RANK: Record<AgentIdSource, number> = { span: 4, ancestor: 3, resource: 2, service: 1, none: 0 };

export function identityRank(source: AgentIdSource): number {
  return RANK[source] ?? 0;
}

/** True for identities that name an agent, not a process that may host several agents. */
export function isNamedAgent(source: AgentIdSource): boolean {
  return identityRank(source) >= RANK.resource;
}
