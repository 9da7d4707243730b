// How many of each anomaly (and paging hard negative) a run gets, and when: a rate per million
// normal spans with a floor of MIN_PER_TYPE, at stratified random times between the warm-up and
// 90% of the run, or the type's `until` (each in its own equal slice of that span, so they spread
// out).
import { injectDelegationCycle, injectCycleLoop, injectIdenticalLoop, injectRunawaySteps } from './loop-injectors.ts';
import { injectNewDataClass, injectNewTarget, injectNewTool, injectToolMixShift } from './drift-injectors.ts';
import type { AnomalyType } from './eval-labels.ts';
import type { RunWindow } from './fleet-activity.ts';
import { injectPaging } from './hard-negative-injectors.ts';
import type { Injector } from './injection-context.ts';
import {
  injectBlockedTier,
  injectDeniedDataClass,
  injectDeniedTool,
  injectForbiddenTarget,
  injectGatedWithoutApproval,
  injectLowConfidence,
  injectToolNotAllowed,
} from './policy-injectors.ts';
import type { Prng } from './prng.ts';
import { injectActionsPerMinute, injectSpendSpike, injectTokensPerSession, injectUsdPerHour, injectWritesPerHour } from './spend-injectors.ts';

export type InjectionType = AnomalyType | 'paging';

export interface InjectionPlan {
  perMillion: number;
  inject: Injector;
  /** Fraction of the run after which neither the plan nor a retry may start one (default LAST_ATTEMPT). */
  until?: number;
}

export const INJECTIONS: Readonly<Record<InjectionType, InjectionPlan>> = {
  loop_identical: { perMillion: 40, inject: injectIdenticalLoop },
  loop_cycle: { perMillion: 20, inject: injectCycleLoop },
  loop_steps: { perMillion: 15, inject: injectRunawaySteps },
  loop_delegation: { perMillion: 15, inject: injectDelegationCycle },
  spend_spike: { perMillion: 30, inject: injectSpendSpike },
  budget_usd_per_hour: { perMillion: 10, inject: injectUsdPerHour },
  budget_tokens_per_session: { perMillion: 10, inject: injectTokensPerSession },
  budget_actions_per_minute: { perMillion: 10, inject: injectActionsPerMinute },
  budget_writes_per_hour: { perMillion: 10, inject: injectWritesPerHour },
  violation_tool_denied: { perMillion: 10, inject: injectDeniedTool },
  violation_tool_not_allowed: { perMillion: 10, inject: injectToolNotAllowed },
  violation_data_class_denied: { perMillion: 10, inject: injectDeniedDataClass },
  violation_target: { perMillion: 10, inject: injectForbiddenTarget },
  violation_blocked_tier: { perMillion: 10, inject: injectBlockedTier },
  violation_gated_without_approval: { perMillion: 10, inject: injectGatedWithoutApproval },
  violation_low_confidence: { perMillion: 10, inject: injectLowConfidence },
  drift_new_tool: { perMillion: 12, inject: injectNewTool },
  drift_new_data_class: { perMillion: 10, inject: injectNewDataClass },
  drift_new_target: { perMillion: 10, inject: injectNewTarget },
  // A shift takes its agent SHIFTED_CALLS tool calls, hours for a quiet agent: it must start
  // early enough to be complete before the run ends.
  drift_tool_mix: { perMillion: 8, inject: injectToolMixShift, until: 0.6 },
  paging: { perMillion: 60, inject: injectPaging },
};

export const MIN_PER_TYPE = 3;
/** Nothing is injected in the run's first hours: baselines and learning periods fill first. */
export const WARM_UP_MS = 2 * 3_600_000;
/** An injection that finds no qualifying agent is tried again this much later. */
export const RETRY_MS = 5 * 60_000;
/** ...until this fraction of the run; after it the injection is counted as skipped. */
export const LAST_ATTEMPT = 0.95;

export interface PlannedInjection {
  atMs: number;
  type: InjectionType;
}

export function planInjections(prng: Prng, run: RunWindow, normalSpans: number): PlannedInjection[] {
  const planned: PlannedInjection[] = [];
  const from = run.startMs + Math.min(WARM_UP_MS, 0.2 * run.durationMs);
  const span = run.startMs + 0.9 * run.durationMs - from;
  for (const [type, { perMillion, until }] of Object.entries(INJECTIONS) as Array<[InjectionType, InjectionPlan]>) {
    const count = Math.max(MIN_PER_TYPE, Math.round((perMillion * normalSpans) / 1e6));
    const length = Math.min(span, run.startMs + (until ?? 0.9) * run.durationMs - from);
    for (let i = 0; i < count; i++) planned.push({ atMs: from + ((i + prng.next()) * length) / count, type });
  }
  return planned;
}
