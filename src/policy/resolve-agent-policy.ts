import type { AccessList, AgentPolicy, FindingKind, PolicyAction, Severity } from './agent-policy.ts';
import type { PolicySettings } from './policy-schema.ts';

type AccessSettings = PolicySettings['tools'];

/**
 * `settings` laid over `base`, field by field: a field the settings leave out keeps the base's
 * value, nested sections included (`loop: { max_steps: 100 }` changes max_steps only). A list
 * given replaces the base's list, it does not add to it, so an entry that sets `tools.deny` must
 * repeat any default denials it still wants. null on a budget, limit or min_confidence removes
 * the inherited value. The result is frozen: detectors share it.
 */
export function overlayPolicy(base: AgentPolicy, settings: PolicySettings | null | undefined, matchedRule: string | null): AgentPolicy {
  const s = settings ?? {};
  const { loop, spend, drift, budget, limits } = s;
  return deepFreeze({
    matchedRule,
    role: s.role ?? base.role,
    enforce: s.enforce ?? base.enforce,
    actions: overlayRecord<Severity, PolicyAction>(base.actions, s.actions),
    loop: {
      maxIdenticalCalls: loop?.max_identical_calls ?? base.loop.maxIdenticalCalls,
      maxCycleRepeats: loop?.max_cycle_repeats ?? base.loop.maxCycleRepeats,
      maxSteps: loop?.max_steps ?? base.loop.maxSteps,
      maxDelegationReturns: loop?.max_delegation_returns ?? base.loop.maxDelegationReturns,
    },
    spend: {
      sensitivity: spend?.sensitivity ?? base.spend.sensitivity,
      minUsdPerMinute: spend?.min_usd_per_minute ?? base.spend.minUsdPerMinute,
      minTokensPerMinute: spend?.min_tokens_per_minute ?? base.spend.minTokensPerMinute,
      learningMinutes: spend?.learning_minutes ?? base.spend.learningMinutes,
    },
    drift: {
      learningSpans: drift?.learning_spans ?? base.drift.learningSpans,
      divergence: drift?.divergence ?? base.drift.divergence,
    },
    tools: overlayAccess(base.tools, s.tools),
    data: overlayAccess(base.data, s.data),
    targets: overlayAccess(base.targets, s.targets),
    budget: {
      usdPerHour: inherit(budget?.usd_per_hour, base.budget.usdPerHour),
      usdPerDay: inherit(budget?.usd_per_day, base.budget.usdPerDay),
      tokensPerSession: inherit(budget?.tokens_per_session, base.budget.tokensPerSession),
    },
    limits: {
      actionsPerMinute: inherit(limits?.actions_per_minute, base.limits.actionsPerMinute),
      writesPerHour: inherit(limits?.writes_per_hour, base.limits.writesPerHour),
    },
    minConfidence: inherit(s.min_confidence, base.minConfidence),
    severity: overlayRecord<FindingKind, Severity>(base.severity, s.severity),
  });
}

/** undefined inherits; null is a value ("none"). */
function inherit<T>(value: T | null | undefined, base: T | null): T | null {
  return value === undefined ? base : value;
}

function overlayAccess(base: AccessList, settings: AccessSettings): AccessList {
  return {
    allow: inherit(settings?.allow, base.allow),
    deny: settings?.deny === undefined ? base.deny : (settings.deny ?? []),
  };
}

function overlayRecord<K extends string, V>(base: Readonly<Record<K, V>>, settings: Partial<Record<K, V>> | null | undefined): Record<K, V> {
  const merged: Record<K, V> = { ...base };
  for (const [key, value] of Object.entries(settings ?? {}) as Array<[K, V | undefined]>) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
