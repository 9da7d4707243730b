// What an evaluation run reports: the JSON written by --out, so runs can be compared.
import type { FindingKind, Severity } from '../policy/agent-policy.ts';
import type { AnomalyType, HardNegativeType } from './eval-labels.ts';

/** Detector kinds the evaluation scores (suspended_activity comes from the enforcer). */
export const SCORED_KINDS: readonly FindingKind[] = ['loop', 'spend_spike', 'budget_exceeded', 'policy_violation', 'permission_drift'];

export interface Spread {
  median: number;
  max: number;
}

export interface TypeResult {
  type: AnomalyType;
  kind: FindingKind;
  injected: number;
  detected: number;
  recall: number;
  /** From onset to the first matching finding. */
  seconds: Spread | null;
  /** The anomaly's spans emitted up to the first matching finding, that one included. */
  spans: Spread | null;
  /** Its key spans by then: for loop_identical, the repeated call that was caught. */
  keySpans: Spread | null;
  /** Rules of the first matching findings. */
  rules: Record<string, number>;
  missed: Array<{ label: number; agent: string }>;
}

export interface KindResult {
  kind: FindingKind;
  injected: number;
  detected: number;
  recall: number;
  findings: number;
  alerts: number;
  trueAlerts: number;
  collateralAlerts: number;
  falseAlerts: number;
  criticalFalseAlerts: number;
  /** true / (true + false); collateral alerts are left out. null without alerts. */
  precision: number | null;
  falsePerMillion: number;
}

export interface HardNegativeResult {
  type: HardNegativeType;
  count: number;
  spans: number;
  /** Alerts of a kind forbidden on it. */
  violations: number;
}

export interface FalseAlert {
  kind: FindingKind;
  rule: string;
  agent: string;
  severity: Severity;
  at: string;
  summary: string;
}

/** One injected anomaly and its first matching finding (all null when it was missed). */
export interface Detection {
  label: number;
  type: AnomalyType;
  agent: string;
  onset: string;
  detail: Record<string, string | number>;
  rule: string | null;
  seconds: number | null;
  spans: number | null;
  keySpans: number | null;
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export interface EvalResult {
  seed: number;
  agents: number;
  hours: number;
  requestedNormalSpans: number;
  normalSpans: number;
  anomalySpans: number;
  simulatedHours: number;
  elapsedSeconds: number;
  detectorSeconds: number;
  spansPerSecond: number;
  kinds: KindResult[];
  types: TypeResult[];
  hardNegatives: HardNegativeResult[];
  totals: { alerts: number; trueAlerts: number; collateralAlerts: number; falseAlerts: number; criticalFalseAlerts: number; falsePerMillion: number };
  targets: Target[];
  skipped: Record<string, number>;
  falseAlerts: FalseAlert[];
  detections: Detection[];
  detector: { spans: number; findings: number; errors: number; tables: Record<string, number> };
}
