import type { AgentPolicy, FindingKind, Severity } from '../policy/agent-policy.ts';
import type { AlertAction } from './alert.ts';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };
// would_suspend below suspend: an alert that was enforced stays enforced when the policy
// switches to shadow mode while it is open.
const ACTION_RANK: Readonly<Record<AlertAction, number>> = { record: 0, notify: 1, would_suspend: 2, suspend: 3 };

/** The severity policy gives a kind, and what it says to do at that severity. */
export function judge(policy: AgentPolicy, kind: FindingKind): { severity: Severity; action: AlertAction } {
  const severity = policy.severity[kind];
  return { severity, action: actionFor(policy, severity) };
}

export function actionFor(policy: AgentPolicy, severity: Severity): AlertAction {
  const action = policy.actions[severity];
  return action === 'suspend' && !policy.enforce ? 'would_suspend' : action;
}

export function higherSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

export function higherAction(a: AlertAction, b: AlertAction): AlertAction {
  return ACTION_RANK[b] > ACTION_RANK[a] ? b : a;
}
