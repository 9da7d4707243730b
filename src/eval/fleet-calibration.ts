// What a normal session of each archetype costs, measured on a sample drawn with its own random
// stream (so calibrating does not shift the run). The generator sets its session rate from the
// span counts (to produce the requested number of normal spans), and the policy sets budgets from
// the costs and counts (generous for normal behaviour).
import { CODING, DELEGATIONS_PER_SESSION, ORCHESTRATOR, RESEARCH, SUPPORT, WORKER, WORKERS_PER_ORCHESTRATOR, type Archetype, type ArchetypeName } from './fleet-archetypes.ts';
import { diurnalActivity, growthAt, joinTimeMs, type RunWindow } from './fleet-activity.ts';
import type { FleetAgent } from './fleet-roster.ts';
import type { Prng } from './prng.ts';
import { MAX_EXTRA_CALLS, normalPlan } from './session-plan.ts';
import type { SessionBuilder } from './session-spans.ts';

export interface SessionStats {
  /** Spans per session, workers' included. */
  spans: number;
  /** Per session, of the agent that owns the session (for workers: all workers of one session). */
  costUsd: number;
  toolCalls: number;
  writes: number;
  /** The most tokens one session of this agent can count (LLM spans; see tokensBound). */
  maxTokens: number;
}

export type FleetCalibration = Readonly<Record<ArchetypeName, SessionStats>>;

const SAMPLE_SESSIONS = 400;

export function calibrate(prng: Prng, build: SessionBuilder): FleetCalibration {
  const sampleAgent = (archetype: Archetype, workers: FleetAgent[] = []): FleetAgent => ({
    id: `calibration-${archetype.name}`,
    name: archetype.role,
    archetype,
    weight: 1,
    growth: 1,
    joinsAt: 0,
    special: null,
    workers,
    resource: {},
  });
  const workers = Array.from({ length: WORKERS_PER_ORCHESTRATOR }, () => sampleAgent(WORKER));
  const totals = new Map<ArchetypeName, SessionStats>();
  for (const archetype of [SUPPORT, CODING, RESEARCH, ORCHESTRATOR]) {
    const agent = sampleAgent(archetype, archetype === ORCHESTRATOR ? workers : []);
    const own: SessionStats = { spans: 0, costUsd: 0, toolCalls: 0, writes: 0, maxTokens: tokensBound(archetype) };
    const delegated: SessionStats = { spans: 0, costUsd: 0, toolCalls: 0, writes: 0, maxTokens: tokensBound(WORKER) };
    for (let i = 0; i < SAMPLE_SESSIONS; i++) {
      const session = build(agent, normalPlan(prng, agent), { startMs: 0 });
      own.spans += session.spans.length;
      for (const span of session.spans) {
        const stats = span.agentId === agent.id ? own : delegated;
        if (span.kind === 'llm') stats.costUsd += span.costUsd;
        if (span.kind === 'tool') {
          stats.toolCalls++;
          if (span.dataAccess === 'write' || span.dataAccess === 'delete') stats.writes++;
        }
      }
    }
    totals.set(archetype.name, perSession(own));
    if (archetype === ORCHESTRATOR) totals.set('worker', perSession(delegated));
  }
  return Object.freeze(Object.fromEntries(totals)) as FleetCalibration;
}

function perSession(stats: SessionStats): SessionStats {
  return {
    spans: stats.spans / SAMPLE_SESSIONS,
    costUsd: stats.costUsd / SAMPLE_SESSIONS,
    toolCalls: stats.toolCalls / SAMPLE_SESSIONS,
    writes: stats.writes / SAMPLE_SESSIONS,
    maxTokens: stats.maxTokens,
  };
}

/**
 * An upper bound on the tokens of one normal session: every LLM call at twice its context
 * (the noise is clamped to 2x) plus four times the median output (clamped to 4x), for the most
 * LLM calls a normal plan can make. A bound, not an estimate: tokens_per_session is set above it,
 * so no normal session can cross it.
 */
export function tokensBound(archetype: Archetype): number {
  const delegations = archetype === ORCHESTRATOR ? DELEGATIONS_PER_SESSION.max : 0;
  const llmCalls = archetype.toolCalls.max + MAX_EXTRA_CALLS + delegations + 1;
  const { base, perCall, cap } = archetype.inputTokens;
  let total = 0;
  for (let n = 0; n < llmCalls; n++) total += 2 * Math.min(cap, base + perCall * n) + 4 * archetype.outputTokens.median;
  return total;
}

/**
 * Sessions per hour at weight 1 and full activity so the run plans `overshoot` x normalSpans:
 * each agent contributes weight x mean spans per session x its mean activity over the run
 * (diurnal curve x growth ramp, from its join time), integrated minute by minute.
 */
export function sessionRate(roster: readonly FleetAgent[], calibration: FleetCalibration, run: RunWindow, normalSpans: number, overshoot: number): number {
  const steps = Math.max(1, Math.round(run.durationMs / 60_000));
  let spanHours = 0;
  for (const agent of roster) {
    if (agent.weight <= 0) continue;
    const joinMs = joinTimeMs(agent, run);
    let activity = 0;
    for (let i = 0; i < steps; i++) {
      const timeMs = run.startMs + ((i + 0.5) * run.durationMs) / steps;
      if (timeMs >= joinMs) activity += diurnalActivity(timeMs) * growthAt(agent, run, timeMs);
    }
    spanHours += agent.weight * calibration[agent.archetype.name].spans * (activity / steps) * (run.durationMs / 3_600_000);
  }
  return (overshoot * normalSpans) / spanHours;
}
