import type { AgentPolicy, FindingKind, PolicyAction, Severity } from './agent-policy.ts';

// The built-in policy: what every agent gets when no file is set, and what a file's `defaults`
// and `agents` entries are overlaid on. The one place these numbers live; the README quotes them.

/** Severity of a finding per kind, before the policy file changes it. */
export const DEFAULT_SEVERITIES: Readonly<Record<FindingKind, Severity>> = Object.freeze({
  // Most loops are a confused agent wasting money, not a breach; a person looks, nobody is stopped.
  loop: 'warning',
  // A learned baseline can be wrong (a legitimately busy day); budgets are the hard stop.
  spend_spike: 'warning',
  // The owner wrote this number down as the limit: crossing it is the circuit breaker.
  budget_exceeded: 'critical',
  // The agent did what its policy forbids.
  policy_violation: 'critical',
  // New behaviour is suspicious, not forbidden: it may be a legitimate new feature.
  permission_drift: 'warning',
  // The kill switch did not work; always a page.
  suspended_activity: 'critical',
  // A notification destination keeps failing: people may not be hearing about alerts.
  delivery_failure: 'warning',
});

/** What policy says to do about an alert of each severity. */
export const DEFAULT_ACTIONS: Readonly<Record<Severity, PolicyAction>> = Object.freeze({
  critical: 'suspend',
  warning: 'notify',
  info: 'record',
});

const noList = Object.freeze({ allow: null, deny: Object.freeze([]) });

export const DEFAULT_AGENT_POLICY: AgentPolicy = Object.freeze({
  matchedRule: null,
  role: null,
  enforce: true,
  actions: DEFAULT_ACTIONS,
  loop: Object.freeze({
    // The target: every injected loop caught by its 5th identical call.
    maxIdenticalCalls: 5,
    maxCycleRepeats: 3,
    maxSteps: 50,
    // "returns to an agent it left more than twice": the third return fires.
    maxDelegationReturns: 2,
  }),
  spend: Object.freeze({
    sensitivity: 4,
    // USD per minute: $3 an hour. Below this no spike is worth a person's attention.
    minUsdPerMinute: 0.05,
    // Tokens per minute: about one mid-sized LLM call a minute. The dollar floor is blind to
    // models without a price (self-hosted, unknown to the price table); this floor is not.
    minTokensPerMinute: 5000,
    learningMinutes: 30,
  }),
  drift: Object.freeze({
    learningSpans: 500,
    divergence: 0.3,
  }),
  tools: noList,
  data: noList,
  targets: noList,
  budget: Object.freeze({ usdPerHour: null, usdPerDay: null, tokensPerSession: null }),
  limits: Object.freeze({ actionsPerMinute: null, writesPerHour: null }),
  minConfidence: null,
  severity: DEFAULT_SEVERITIES,
});
