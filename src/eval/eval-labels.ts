// Ground truth: what was injected where, and which normal-but-tricky behaviour must stay quiet.
import type { FindingKind } from '../policy/agent-policy.ts';
import type { SpecialRole } from './fleet-roster.ts';

export type AnomalyType =
  | 'loop_identical'
  | 'loop_cycle'
  | 'loop_steps'
  | 'loop_delegation'
  | 'spend_spike'
  | 'budget_usd_per_hour'
  | 'budget_tokens_per_session'
  | 'budget_actions_per_minute'
  | 'budget_writes_per_hour'
  | 'violation_tool_denied'
  | 'violation_tool_not_allowed'
  | 'violation_data_class_denied'
  | 'violation_target'
  | 'violation_blocked_tier'
  | 'violation_gated_without_approval'
  | 'violation_low_confidence'
  | 'drift_new_tool'
  | 'drift_new_data_class'
  | 'drift_new_target'
  | 'drift_tool_mix';

export type HardNegativeType = 'paging' | 'busy_agent' | 'new_agent' | 'diurnal_growth';

/** How a finding is tied to a label besides its kind and time. */
export type LabelScope = 'session' | 'trace' | 'agent';

export interface EvalLabel {
  id: number;
  type: AnomalyType | HardNegativeType;
  hardNegative: boolean;
  /** The kind an anomaly must be found as; null for hard negatives. */
  kind: FindingKind | null;
  /** Kinds that must not be found on a hard negative; empty for anomalies. */
  forbidden: readonly FindingKind[];
  scope: LabelScope;
  agentId: string;
  sessionId: string;
  traceId: string;
  /** End (Unix ms) of the label's first span: the earliest moment a detector could know. Set at emission. */
  onsetMs: number;
  /** End of its last span emitted so far. */
  endMs: number;
  /** Every span of an anomaly, or of a session-scoped hard negative; agent-scoped hard negatives
   *  keep none (they cover all of an agent's spans; see spanCount). */
  spanIds: string[];
  /** The spans that are the anomaly proper: the repeated calls, the cycle, the violating call. */
  keySpanIds: string[];
  /** Spans planned for the label (emitted or not yet). */
  spanCount: number;
  detail: Record<string, string | number>;
}

/** Which finding kind each anomaly type must be found as. */
export const KIND_OF: Readonly<Record<AnomalyType, FindingKind>> = {
  loop_identical: 'loop',
  loop_cycle: 'loop',
  loop_steps: 'loop',
  loop_delegation: 'loop',
  spend_spike: 'spend_spike',
  budget_usd_per_hour: 'budget_exceeded',
  budget_tokens_per_session: 'budget_exceeded',
  budget_actions_per_minute: 'budget_exceeded',
  budget_writes_per_hour: 'budget_exceeded',
  violation_tool_denied: 'policy_violation',
  violation_tool_not_allowed: 'policy_violation',
  violation_data_class_denied: 'policy_violation',
  violation_target: 'policy_violation',
  violation_blocked_tier: 'policy_violation',
  violation_gated_without_approval: 'policy_violation',
  violation_low_confidence: 'policy_violation',
  drift_new_tool: 'permission_drift',
  drift_new_data_class: 'permission_drift',
  drift_new_target: 'permission_drift',
  drift_tool_mix: 'permission_drift',
};

export const ANOMALY_TYPES = Object.keys(KIND_OF) as AnomalyType[];

/** What must not be reported on each hard negative. */
export const FORBIDDEN_ON: Readonly<Record<HardNegativeType, readonly FindingKind[]>> = {
  // Legitimate repetition with different arguments.
  paging: ['loop'],
  // High but steady spend within generous budgets.
  busy_agent: ['spend_spike', 'budget_exceeded'],
  // No history: budgets only, and nothing is new to an agent still learning.
  new_agent: ['spend_spike', 'permission_drift'],
  // Activity growing 4x over the day, slowly.
  diurnal_growth: ['spend_spike', 'budget_exceeded'],
};

/** The hard negative each special fleet member is. */
export const SPECIAL_AGENT_LABEL: Readonly<Record<SpecialRole, HardNegativeType>> = { busy: 'busy_agent', growth: 'diurnal_growth', new: 'new_agent' };

export function createLabel(
  id: number,
  type: AnomalyType | HardNegativeType,
  agentId: string,
  scope: LabelScope,
  session: { sessionId: string; traceId: string },
  detail: EvalLabel['detail'],
): EvalLabel {
  const anomaly = type in KIND_OF;
  return {
    id,
    type,
    hardNegative: !anomaly,
    kind: anomaly ? KIND_OF[type as AnomalyType] : null,
    forbidden: anomaly ? [] : FORBIDDEN_ON[type as HardNegativeType],
    scope,
    agentId,
    sessionId: scope === 'session' ? session.sessionId : '',
    traceId: scope === 'agent' ? '' : session.traceId,
    onsetMs: -1,
    endMs: -1,
    spanIds: [],
    keySpanIds: [],
    spanCount: 0,
    detail,
  };
}
