/** How bad a finding is; the policy maps each kind to one. */
export type Severity = 'info' | 'warning' | 'critical';

/** What policy says to do about an alert of a severity. */
export type PolicyAction = 'record' | 'notify' | 'suspend';

/**
 * What was detected. `suspended_activity` is raised by the enforcer (a later stage), not a
 * detector; `delivery_failure` by the outbox, about Warden itself (agent id ''), not an agent.
 */
export type FindingKind =
  | 'loop'
  | 'spend_spike'
  | 'budget_exceeded'
  | 'policy_violation'
  | 'permission_drift'
  | 'suspended_activity'
  | 'delivery_failure';

export const FINDING_KINDS: readonly FindingKind[] = [
  'loop',
  'spend_spike',
  'budget_exceeded',
  'policy_violation',
  'permission_drift',
  'suspended_activity',
  'delivery_failure',
];

/** An allow list (null = everything allowed) and a deny list, matched exactly. */
export interface AccessList {
  allow: readonly string[] | null;
  deny: readonly string[];
}

/**
 * The policy in force for one agent: the file's `defaults` overlaid by the first `agents` entry
 * whose glob matches the agent id (DESIGN.md "Policy file"). Detectors read only this.
 */
export interface AgentPolicy {
  /** The `match` glob of the entry that applied; null when only defaults apply. */
  matchedRule: string | null;
  role: string | null;
  /** false = shadow mode: suspensions are recorded as would_suspend, nobody is called. */
  enforce: boolean;
  actions: Readonly<Record<Severity, PolicyAction>>;
  loop: {
    /** Same tool with the same argument hash this many times in a session. */
    maxIdenticalCalls: number;
    /** A cycle of period 2..8 repeated this many times in a row. */
    maxCycleRepeats: number;
    /** LLM and tool steps in one session. */
    maxSteps: number;
    /** A delegation chain returning to an agent it left (A -> B -> A) more than this many times. */
    maxDelegationReturns: number;
  };
  spend: {
    /** k in baseline + k * scale. */
    sensitivity: number;
    /** Absolute floor: a rate below this never fires, however unusual. USD per minute. */
    minUsdPerMinute: number;
    /** Absolute floor for the token rate. Tokens per minute. */
    minTokensPerMinute: number;
    /** Minutes of history before the baseline is trusted (cold agents: budgets only). */
    learningMinutes: number;
  };
  drift: {
    /** Spans of an agent seen before first-use and divergence checks start. */
    learningSpans: number;
    /** Jensen-Shannon divergence (base 2, 0..1) of recent tool mix vs baseline that fires. */
    divergence: number;
  };
  tools: AccessList;
  data: AccessList;
  targets: AccessList;
  budget: {
    usdPerHour: number | null;
    usdPerDay: number | null;
    tokensPerSession: number | null;
  };
  limits: {
    actionsPerMinute: number | null;
    writesPerHour: number | null;
  };
  /** Minimum agent.confidence for supervised and gated actions; null = no minimum. */
  minConfidence: number | null;
  severity: Readonly<Record<FindingKind, Severity>>;
}
