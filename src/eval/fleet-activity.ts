// When agents work: a diurnal curve shared by the fleet (quiet at night, busy in the afternoon),
// each agent's own weight, a slow ramp for growing agents, and join times for new ones. Sessions
// arrive as a Poisson process with that time-varying rate, drawn by thinning (Lewis and Shedler):
// candidates at the peak rate, each kept with probability rate(t) / peak.
import type { FleetAgent } from './fleet-roster.ts';
import type { Prng } from './prng.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const TROUGH = 0.1;
const TROUGH_HOUR_UTC = 3;

/** Fleet activity at a time of day: 0.1 at 03:00 UTC rising to 1 at 15:00 UTC. */
export function diurnalActivity(timeMs: number): number {
  const phase = (((timeMs % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS - TROUGH_HOUR_UTC / 24;
  return TROUGH + (1 - TROUGH) * 0.5 * (1 - Math.cos(2 * Math.PI * phase));
}

/** The mean of diurnalActivity over a day. */
export const MEAN_ACTIVITY = TROUGH + (1 - TROUGH) * 0.5;

export interface RunWindow {
  startMs: number;
  durationMs: number;
}

/** The agent's activity multiplier at a time: 1 for most, ramping to agent.growth over the run. */
export function growthAt(agent: FleetAgent, run: RunWindow, timeMs: number): number {
  if (agent.growth === 1) return 1;
  const fraction = Math.min(1, Math.max(0, (timeMs - run.startMs) / run.durationMs));
  return 1 + (agent.growth - 1) * fraction;
}

export function joinTimeMs(agent: FleetAgent, run: RunWindow): number {
  return run.startMs + agent.joinsAt * run.durationMs;
}

/**
 * The agent's next session start after `afterMs`, given sessions per hour at full activity and
 * weight 1 (`sessionsPerHour`). Infinity for an agent that starts no sessions of its own.
 */
export function nextArrivalMs(prng: Prng, agent: FleetAgent, run: RunWindow, sessionsPerHour: number, afterMs: number): number {
  const peak = sessionsPerHour * agent.weight * agent.growth;
  if (peak <= 0) return Number.POSITIVE_INFINITY;
  let timeMs = Math.max(afterMs, joinTimeMs(agent, run));
  for (;;) {
    timeMs += prng.exponential(HOUR_MS / peak);
    const rate = diurnalActivity(timeMs) * growthAt(agent, run, timeMs);
    if (prng.next() * agent.growth < rate) return timeMs;
  }
}
