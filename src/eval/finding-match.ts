// How a finding is judged against the labels. A finding matches an anomaly when the kind is the
// anomaly's, it concerns the anomaly's session, trace or agent (its scope), and it was observed
// between the anomaly's onset and its end plus a grace period. A finding that matches nothing is
// collateral when an injected anomaly plausibly caused it:
// - the span that triggered it belongs to one;
// - it concerns the agent (or session, trace) of one that was running or ended within
//   COLLATERAL_GRACE_MS, or within the window a budget rule sums over (a runaway session crossing
//   tokens_per_session, a spike crossing usd_per_hour);
// - it is a tool_mix finding on an agent whose tool-mix baseline still holds an anomaly's tool
//   calls (kept until the agent idles out: after a burst of writes, the return to the usual mix
//   reads as drift hours later).
// Otherwise it is false.
import type { Finding } from '../detector/finding.ts';
import type { FindingKind } from '../policy/agent-policy.ts';
import type { EvalLabel } from './eval-labels.ts';

/** How long after an anomaly's last span a finding of its kind still counts as finding it. */
export const MATCH_GRACE_MS: Readonly<Record<FindingKind, number>> = {
  loop: 60_000,
  // Minute rates: the minute after the spike still carries it, and hysteresis holds.
  spend_spike: 3 * 60_000,
  budget_exceeded: 2 * 60_000,
  policy_violation: 60_000,
  // The tool-mix window still holds the shifted calls for a while after the shift ends.
  permission_drift: 10 * 60_000,
  suspended_activity: 0,
  delivery_failure: 0,
};

export const COLLATERAL_GRACE_MS = 15 * 60_000;

/**
 * Budget rules sum over a window: while an anomaly's spend or writes are inside it, a crossing
 * (even a second one, after the first alert resolved) is the anomaly's doing. ms, window plus
 * one bucket (budget-windows.ts).
 */
const RULE_WINDOW_MS: Readonly<Record<string, number>> = {
  usd_per_hour: 61 * 60_000,
  writes_per_hour: 65 * 60_000,
  usd_per_day: 25 * 3_600_000,
};

export type FindingVerdict = 'matched' | 'collateral' | 'false';

/** A finding with what the runner knew when it came: the labels it could concern and their progress. */
export interface FindingRecord {
  finding: Finding;
  /** The label of the span that triggered it. */
  trigger: EvalLabel | null;
  /** Labels of its agent, session or trace started by then, with spans and key spans emitted so far. */
  candidates: Array<{ label: EvalLabel; spans: number; keySpans: number }>;
  alertIndex: number;
  /** The agent's detector state still holds tool calls of an injected anomaly. */
  tainted: boolean;
  verdict: FindingVerdict;
  matched: EvalLabel | null;
  /** A hard negative it breaks (its kind is forbidden there), if any. */
  hardNegative: EvalLabel | null;
}

export function inScope(label: EvalLabel, finding: Finding): boolean {
  if (label.scope === 'agent') return finding.agentId === label.agentId;
  if (label.scope === 'trace') return label.traceId !== '' && finding.traceId === label.traceId;
  return (label.sessionId !== '' && finding.sessionId === label.sessionId) || (label.traceId !== '' && finding.traceId === label.traceId);
}

function within(label: EvalLabel, atMs: number, graceMs: number): boolean {
  return label.onsetMs >= 0 && atMs >= Math.floor(label.onsetMs) && atMs <= label.endMs + graceMs;
}

/** Judges a finding once every label is complete (the run is over). */
export function judgeFinding(record: FindingRecord): void {
  const { finding } = record;
  const at = finding.observedAtMs;
  for (const { label } of record.candidates) {
    if (label.hardNegative || label.kind !== finding.kind) continue;
    if (inScope(label, finding) && within(label, at, MATCH_GRACE_MS[finding.kind])) {
      record.verdict = 'matched';
      record.matched = label;
      return;
    }
  }
  const grace = Math.max(COLLATERAL_GRACE_MS, RULE_WINDOW_MS[finding.rule] ?? 0);
  const caused =
    (record.trigger !== null && !record.trigger.hardNegative) ||
    (record.tainted && finding.rule === 'tool_mix') ||
    record.candidates.some(({ label }) => !label.hardNegative && (label.agentId === finding.agentId || inScope(label, finding)) && within(label, at, grace));
  record.verdict = caused ? 'collateral' : 'false';
  if (caused) return;
  for (const { label } of record.candidates) {
    if (label.hardNegative && label.forbidden.includes(finding.kind) && inScope(label, finding) && within(label, at, 0)) {
      record.hardNegative = label;
      return;
    }
  }
}
