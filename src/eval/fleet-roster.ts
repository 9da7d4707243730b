// Who is in the simulated fleet: agents of each archetype with their own activity level, each
// orchestrator with its team of workers, and the special agents the hard negatives are about (a
// busy but normal agent, an agent whose activity grows slowly, agents that join mid-run).
import type { Attributes } from '../otlp/otlp-types.ts';
import { CODING, ORCHESTRATOR, RESEARCH, SUPPORT, WORKER, WORKERS_PER_ORCHESTRATOR, type Archetype } from './fleet-archetypes.ts';
import type { Prng } from './prng.ts';

export type SpecialRole = 'busy' | 'growth' | 'new';

export interface FleetAgent {
  id: string;
  name: string;
  archetype: Archetype;
  /** Relative session rate (log-normal around 1; busy agents x8). */
  weight: number;
  /** Activity multiplier reached at the end of the run, ramping linearly from 1; 1 = steady. */
  growth: number;
  /** Fraction of the run after which the agent first acts; 0 = from the start. */
  joinsAt: number;
  special: SpecialRole | null;
  /** Orchestrators: the workers they delegate to. */
  workers: FleetAgent[];
  /** Shared by every span of the agent (frozen). */
  resource: Attributes;
}

/** Shares of the regular fleet per archetype; orchestrators bring their workers on top. */
const MIX: ReadonlyArray<[Archetype, number]> = [
  [SUPPORT, 0.42],
  [CODING, 0.2],
  [RESEARCH, 0.2],
  [ORCHESTRATOR, 0.045],
];

export const BUSY_WEIGHT = 8;
export const GROWTH_FACTOR = 4;
/** New agents act this much busier than a typical one: a new deployment under real load. */
export const NEW_AGENT_WEIGHT = 3;

/**
 * `total` agents (at least 20): five special agents, then the archetype mix, orchestrators with
 * three workers each. Ids are stable for a seed: `support-bot-007`, `worker-02-b`.
 */
export function buildRoster(prng: Prng, total: number): FleetAgent[] {
  if (!Number.isInteger(total) || total < 20) throw new RangeError(`the fleet needs at least 20 agents, got ${total}`);
  const agents: FleetAgent[] = [];
  const add = (id: string, archetype: Archetype, weight: number, extra: Partial<FleetAgent> = {}): FleetAgent => {
    const agent: FleetAgent = {
      id,
      name: `${archetype.role} ${id}`,
      archetype,
      weight,
      growth: 1,
      joinsAt: 0,
      special: null,
      workers: [],
      resource: Object.freeze({ 'service.name': archetype.service, 'agent.id': id, 'deployment.environment.name': 'production' }),
      ...extra,
    };
    agents.push(agent);
    return agent;
  };

  add('support-busy-01', SUPPORT, BUSY_WEIGHT, { special: 'busy' });
  add('coder-busy-01', CODING, BUSY_WEIGHT, { special: 'busy' });
  add('coder-growth-01', CODING, 1, { special: 'growth', growth: GROWTH_FACTOR });
  add('research-new-01', RESEARCH, NEW_AGENT_WEIGHT, { special: 'new', joinsAt: 0.4 });
  add('support-new-01', SUPPORT, NEW_AGENT_WEIGHT, { special: 'new', joinsAt: 0.6 });

  const regular = total - agents.length;
  const orchestrators = Math.max(1, Math.round((regular * MIX[3]![1]) / (1 + WORKERS_PER_ORCHESTRATOR * MIX[3]![1])));
  const rest = regular - orchestrators * (1 + WORKERS_PER_ORCHESTRATOR);
  const shares = MIX.slice(0, 3);
  const shareTotal = shares.reduce((sum, [, share]) => sum + share, 0);
  const counts = shares.map(([, share]) => Math.floor((rest * share) / shareTotal));
  counts[0]! += rest - counts.reduce((sum, count) => sum + count, 0);

  const prefix: Record<string, string> = { support: 'support-bot', coding: 'coder', research: 'research' };
  shares.forEach(([archetype], index) => {
    for (let i = 1; i <= counts[index]!; i++) add(`${prefix[archetype.name]}-${pad(i, 3)}`, archetype, activityWeight(prng));
  });
  for (let o = 1; o <= orchestrators; o++) {
    const orchestrator = add(`orchestrator-${pad(o, 2)}`, ORCHESTRATOR, activityWeight(prng));
    for (let w = 0; w < WORKERS_PER_ORCHESTRATOR; w++) {
      orchestrator.workers.push(add(`worker-${pad(o, 2)}-${String.fromCharCode(97 + w)}`, WORKER, 0));
    }
  }
  return agents;
}

/** Log-normal around 1, clamped to [0.3, 3]: most agents alike, a few much busier or quieter. */
export const MAX_REGULAR_WEIGHT = 3;

function activityWeight(prng: Prng): number {
  return Math.min(MAX_REGULAR_WEIGHT, Math.max(0.3, prng.logNormal(1, 0.5)));
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
