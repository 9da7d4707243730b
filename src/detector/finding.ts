import type { FindingKind } from '../policy/agent-policy.ts';

/**
 * What a detector reports: one observation that an agent misbehaves, with the evidence a person
 * needs to judge it. Severity and action are not here: the alerter takes them from the policy.
 */
export interface Finding {
  kind: FindingKind;
  /**
   * The rule within the kind, stable across repeats, so kind + agent + rule fingerprints one
   * alert: e.g. `identical_calls`, `cycle`, `max_steps`, `delegation_cycle`, `usd_rate`,
   * `tokens_rate`, `usd_per_hour`, `tool_denied:code-execute`, `new_tool:ssh`, `tool_mix`.
   */
  rule: string;
  agentId: string;
  traceId: string;
  sessionId: string;
  /** One line for people: what happened, with the numbers. */
  summary: string;
  /** Kind-specific facts; always includes `span_ids` (the spans that show it). */
  evidence: FindingEvidence;
  /** Unix milliseconds of the span that triggered the finding (its end). */
  observedAtMs: number;
}

export interface FindingEvidence {
  span_ids: string[];
  [key: string]: unknown;
}
