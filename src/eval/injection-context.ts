// What an anomaly injector may use: the generator's randomness, session builder and bookkeeping.
// An injector picks an agent that qualifies, writes a plan, builds it at the given time and hands
// the spans back under a label; it returns false when no agent qualifies yet (the generator tries
// again a little later).
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AgentPolicy } from '../policy/agent-policy.ts';
import type { AgentTrack } from './agent-track.ts';
import type { AnomalyType, EvalLabel, HardNegativeType, LabelScope } from './eval-labels.ts';
import type { Archetype, ModelSpec } from './fleet-archetypes.ts';
import type { FleetCalibration } from './fleet-calibration.ts';
import type { FleetAgent } from './fleet-roster.ts';
import type { Prng } from './prng.ts';
import type { BuiltSession, SessionBuilder } from './session-spans.ts';

export interface InjectionContext {
  readonly prng: Prng;
  readonly build: SessionBuilder;
  readonly calibration: FleetCalibration;
  /** When the simulated run ends (Unix ms). */
  readonly runEndMs: number;
  policyFor(agent: FleetAgent): AgentPolicy;
  /** USD for this many input tokens on the model (Warden's price table). */
  costOf(model: ModelSpec, inputTokens: number): number;
  track(agent: FleetAgent): AgentTrack;
  /**
   * A random regular agent (not one of the hard negatives' special agents) of one of the
   * archetypes, free of other anomalies, that has acted in the last 30 minutes and passes
   * `ready`; null when there is none.
   */
  pickAgent(atMs: number, archetypes: readonly Archetype[], ready?: (track: AgentTrack, agent: FleetAgent) => boolean): FleetAgent | null;
  label(type: AnomalyType | HardNegativeType, agent: FleetAgent, scope: LabelScope, session: { sessionId: string; traceId: string }, detail: Record<string, string | number>): EvalLabel;
  /** Queues a session's spans under the label; `isKey` marks the spans that are the anomaly proper. */
  emit(session: BuiltSession, label: EvalLabel | null, isKey?: (span: AgentSpan) => boolean): void;
}

export type Injector = (context: InjectionContext, atMs: number) => boolean;

/**
 * After an anomaly ends, its agent gets no other for this long, so each finding has one cause:
 * 20 minutes, or 70 for anomalies that fill an hour-long window (an hourly budget stays crossed,
 * and the spend history holds the inflated minutes, for about an hour).
 */
export function anomalySpacingMs(type: AnomalyType | HardNegativeType): number {
  return type === 'budget_usd_per_hour' || type === 'budget_writes_per_hour' || type === 'spend_spike' ? 70 * 60_000 : 20 * 60_000;
}
