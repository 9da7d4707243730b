// The agents of one trace and who delegated to whom, to find chains that return to an agent they
// left. An edge X -> Y "returns" when Y can already reach X through earlier delegations: the
// work went round (A -> B -> A, or A -> B -> C -> A). An orchestrator handing out work to many
// agents, even the same one many times, never returns. Arrival order does not matter: spans come
// children first, so the edges of a nested chain arrive innermost first.
//
// At most 32 agents per trace, so each agent's out-edges are one 32-bit mask.

export interface DelegationGraph {
  readonly agents: string[];
  /** outEdges[i] has bit j set when agents[i] delegated to agents[j]. */
  readonly outEdges: number[];
  returns: number;
  /** Agents beyond the cap, whose delegations are not followed. */
  overflowed: boolean;
}

export function createDelegationGraph(): DelegationGraph {
  return { agents: [], outEdges: [], returns: 0, overflowed: false };
}

function indexOf(graph: DelegationGraph, agentId: string, maxAgents: number): number {
  const index = graph.agents.indexOf(agentId);
  if (index >= 0) return index;
  if (graph.agents.length >= maxAgents) {
    graph.overflowed = true;
    return -1;
  }
  graph.agents.push(agentId);
  graph.outEdges.push(0);
  return graph.agents.length - 1;
}

/**
 * Adds the delegation from -> to. Returns the chain it closes ([to, ..., from, to]) when it is a
 * return, else null.
 */
export function addDelegation(graph: DelegationGraph, from: string, to: string, maxAgents: number): string[] | null {
  if (from === to || from === '' || to === '') return null;
  const source = indexOf(graph, from, maxAgents);
  const target = indexOf(graph, to, maxAgents);
  if (source < 0 || target < 0) return null;
  const chain = pathBetween(graph, target, source);
  graph.outEdges[source] = (graph.outEdges[source] ?? 0) | (1 << target);
  if (chain === null) return null;
  graph.returns++;
  chain.push(to);
  return chain;
}

/** Breadth-first over the out-edge masks: the agents from `start` to `goal`, or null. */
function pathBetween(graph: DelegationGraph, start: number, goal: number): string[] | null {
  const cameFrom = new Int8Array(graph.agents.length).fill(-1);
  let visited = 1 << start;
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head] ?? 0;
    if (at === goal) {
      const path: string[] = [];
      for (let step = at; step !== -1; step = step === start ? -1 : (cameFrom[step] ?? -1)) path.push(graph.agents[step] ?? '');
      return path.reverse();
    }
    let next = (graph.outEdges[at] ?? 0) & ~visited;
    while (next !== 0) {
      const bit = next & -next;
      const index = 31 - Math.clz32(bit);
      next &= ~bit;
      visited |= bit;
      cameFrom[index] = at;
      queue.push(index);
    }
  }
  return null;
}
