// The simulated fleet as one stream of AgentSpans in the order their ends are reached (children
// before the agent span that encloses them, as SDKs export them), on simulated time: sessions
// arrive per agent as a Poisson process shaped by the diurnal curve, anomalies are injected at
// planned times into agents that qualify, and every span comes with its label (or null when it
// is plain normal traffic). Deterministic for a seed: every random draw comes from one seeded
// generator split into fixed sub-streams.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import { createPriceTable } from '../normalizer/price-table.ts';
import { createAgentTrack, trackSpan, type AgentTrack } from './agent-track.ts';
import { createLabel, SPECIAL_AGENT_LABEL, type AnomalyType, type EvalLabel, type HardNegativeType } from './eval-labels.ts';
import { createEventQueue } from './event-queue.ts';
import { nextArrivalMs, type RunWindow } from './fleet-activity.ts';
import { calibrate, sessionRate, type FleetCalibration } from './fleet-calibration.ts';
import { buildFleetPolicy, DEFAULT_SPEND, type FleetPolicy, type SpendSettings } from './fleet-policy.ts';
import { buildRoster, type FleetAgent } from './fleet-roster.ts';
import { anomalySpacingMs, type InjectionContext } from './injection-context.ts';
import { INJECTIONS, LAST_ATTEMPT, planInjections, RETRY_MS, type InjectionType, type PlannedInjection } from './injection-schedule.ts';
import { createPrng } from './prng.ts';
import { interleave, normalPlan, normalToolCalls } from './session-plan.ts';
import { createSessionBuilder, type BuiltSession } from './session-spans.ts';
import { createSpanFactory } from './span-factory.ts';

export interface FleetOptions {
  seed: number;
  /** Normal spans the run produces at least (labelled hard negatives count as normal). */
  normalSpans: number;
  agents: number;
  /** Simulated duration; the run goes on past it only until normalSpans is reached. */
  hours: number;
  /** Unix ms of the simulated start. Default 2025-03-03T00:00Z (a Monday, UTC). */
  startMs?: number;
  /** Spend settings of the fleet policy's defaults; default DESIGN.md's. */
  spend?: Partial<SpendSettings>;
}

export const DEFAULT_START_MS = Date.UTC(2025, 2, 3, 0);

export interface GeneratedSpan {
  span: AgentSpan;
  /** The anomaly or hard negative the span belongs to; null for plain normal traffic. */
  label: EvalLabel | null;
}

export interface FleetGenerator {
  /** The next span by end time, or null when the run is over. */
  next(): GeneratedSpan | null;
  readonly labels: readonly EvalLabel[];
  readonly roster: readonly FleetAgent[];
  readonly policy: FleetPolicy;
  readonly calibration: FleetCalibration;
  readonly run: RunWindow;
  /** Sessions per hour of an agent of weight 1 at full activity, set to produce normalSpans. */
  readonly sessionsPerHour: number;
  /** Planned injections that found no qualifying agent before the run ended, per type. */
  readonly skipped: Partial<Record<InjectionType, number>>;
}

type FleetEvent = { type: 'span'; span: AgentSpan; label: EvalLabel | null } | { type: 'arrival'; agent: FleetAgent } | { type: 'inject'; injection: PlannedInjection };

/** Planned normal spans exceed the target by this much, so the target is met despite noise. */
const OVERSHOOT = 1.03;
/**
 * A new agent is a hard negative for spend_spike and drift while it has no history: its first
 * 30 minutes, the fleet policy's spend learning_minutes (it cannot have had more active minutes).
 */
const NEW_AGENT_WINDOW_MS = 30 * 60_000;
/** An agent counts as working when it had a span this recently (for picking anomaly targets). */
const ACTIVE_MS = 30 * 60_000;

export function spanEndMs(span: AgentSpan): number {
  return (Number(span.startTimeUnixNano) + Number(span.durationNs)) / 1e6;
}

export function createFleetGenerator(options: FleetOptions): FleetGenerator {
  if (!Number.isInteger(options.normalSpans) || options.normalSpans < 1) throw new RangeError(`normalSpans must be a positive integer, got ${options.normalSpans}`);
  if (!(options.hours > 0)) throw new RangeError(`hours must be positive, got ${options.hours}`);
  const root = createPrng(options.seed);
  const [rosterPrng, arrivalPrng, planPrng, spanPrng, calibrationPrng, schedulePrng] = [root.fork(), root.fork(), root.fork(), root.fork(), root.fork(), root.fork()];
  const run: RunWindow = { startMs: options.startMs ?? DEFAULT_START_MS, durationMs: options.hours * 3_600_000 };
  const runEndMs = run.startMs + run.durationMs;
  const roster = buildRoster(rosterPrng, options.agents);
  const prices = createPriceTable();
  const factory = createSpanFactory(prices);
  const build = createSessionBuilder(spanPrng, factory);
  const calibration = calibrate(calibrationPrng, createSessionBuilder(calibrationPrng.fork(), factory));
  const sessionsPerHour = sessionRate(roster, calibration, run, options.normalSpans, OVERSHOOT);
  const policy = buildFleetPolicy(roster, calibration, sessionsPerHour, { ...DEFAULT_SPEND, ...options.spend });

  const tracks = new Map<string, AgentTrack>(roster.map((agent) => [agent.id, createAgentTrack()]));
  const trackOf = (agentId: string): AgentTrack => tracks.get(agentId) ?? createAgentTrack();
  const labels: EvalLabel[] = [];
  const agentLabels = new Map<string, EvalLabel>();
  const skipped: Partial<Record<InjectionType, number>> = {};
  const queue = createEventQueue<FleetEvent>();
  let normalPlanned = 0;

  function newLabel(type: AnomalyType | HardNegativeType, agent: FleetAgent, scope: EvalLabel['scope'], session: { sessionId: string; traceId: string }, detail: EvalLabel['detail']): EvalLabel {
    const label = createLabel(labels.length, type, agent.id, scope, session, detail);
    labels.push(label);
    return label;
  }

  for (const agent of roster) {
    if (agent.special === null) continue;
    const label = newLabel(SPECIAL_AGENT_LABEL[agent.special], agent, 'agent', { sessionId: '', traceId: '' }, { weight: agent.weight, growth: agent.growth, joins_at: agent.joinsAt });
    agentLabels.set(agent.id, label);
  }

  function emit(session: BuiltSession, label: EvalLabel | null, isKey?: (span: AgentSpan) => boolean): void {
    for (const span of session.spans) {
      queue.push(spanEndMs(span), { type: 'span', span, label });
      if (label === null) continue;
      label.spanIds.push(span.spanId);
      if (isKey?.(span) === true) label.keySpanIds.push(span.spanId);
    }
    if (label === null) return;
    label.spanCount += session.spans.length;
    if (!label.hardNegative) {
      const track = trackOf(label.agentId);
      track.busyUntilMs = Math.max(track.busyUntilMs, session.endMs + anomalySpacingMs(label.type));
    }
  }

  const context: InjectionContext = {
    prng: planPrng,
    build,
    calibration,
    runEndMs,
    policyFor: (agent) => policy.policySet.forAgent(agent.id),
    costOf: (model, inputTokens) => prices.costOf(model.name, inputTokens, 0),
    track: (agent) => trackOf(agent.id),
    pickAgent(atMs, archetypes, ready) {
      const candidates = roster.filter((agent) => {
        if (agent.special !== null || !archetypes.includes(agent.archetype)) return false;
        const track = trackOf(agent.id);
        if (track.busyUntilMs > atMs || track.mixOverride !== null || atMs - track.lastSpanMs > ACTIVE_MS) return false;
        return ready === undefined || ready(track, agent);
      });
      return candidates.length === 0 ? null : candidates[planPrng.int(candidates.length)]!;
    },
    label: newLabel,
    emit,
  };

  for (const agent of roster) queue.push(nextArrivalMs(arrivalPrng, agent, run, sessionsPerHour, run.startMs), { type: 'arrival', agent });
  for (const injection of planInjections(schedulePrng, run, options.normalSpans)) queue.push(injection.atMs, { type: 'inject', injection });

  function arrive(agent: FleetAgent, atMs: number): void {
    if (atMs >= runEndMs && normalPlanned >= options.normalSpans) return;
    const track = trackOf(agent.id);
    const override = track.mixOverride;
    if (override !== null) {
      const calls = normalToolCalls(planPrng, agent.archetype, override.weights);
      const session = build(agent, interleave(calls), { startMs: atMs });
      emit(session, override.label, (span) => span.kind === 'tool');
      override.remaining -= calls.length;
      if (override.remaining <= 0) track.mixOverride = null;
    } else {
      const session = build(agent, normalPlan(planPrng, agent), { startMs: atMs });
      emit(session, null);
      normalPlanned += session.spans.length;
    }
    queue.push(nextArrivalMs(arrivalPrng, agent, run, sessionsPerHour, atMs), { type: 'arrival', agent });
  }

  function inject(injection: PlannedInjection, atMs: number): void {
    const plan = INJECTIONS[injection.type];
    if (plan.inject(context, atMs)) return;
    if (atMs + RETRY_MS < run.startMs + (plan.until ?? LAST_ATTEMPT) * run.durationMs) queue.push(atMs + RETRY_MS, { type: 'inject', injection });
    else skipped[injection.type] = (skipped[injection.type] ?? 0) + 1;
  }

  /** The agent-level hard negative a span of the agent belongs to, if any. */
  function agentLabelAt(agentId: string, endMs: number): EvalLabel | null {
    const label = agentLabels.get(agentId);
    if (label === undefined) return null;
    if (label.type === 'new_agent' && label.onsetMs >= 0 && endMs > label.onsetMs + NEW_AGENT_WINDOW_MS) return null;
    label.spanCount++;
    return label;
  }

  return {
    next() {
      for (;;) {
        const event = queue.pop();
        if (event === undefined) return null;
        const value = event.value;
        if (value.type === 'arrival') arrive(value.agent, event.atMs);
        else if (value.type === 'inject') inject(value.injection, event.atMs);
        else {
          const { span } = value;
          trackSpan(trackOf(span.agentId), span, event.atMs);
          const label = value.label ?? agentLabelAt(span.agentId, event.atMs);
          if (label !== null) {
            if (label.onsetMs < 0) label.onsetMs = event.atMs;
            label.endMs = Math.max(label.endMs, event.atMs);
          }
          return { span, label };
        }
      }
    },
    labels,
    roster,
    policy,
    calibration,
    run,
    sessionsPerHour,
    skipped,
  };

}
