import type { FindingKind } from '../policy/agent-policy.ts';
import type { ObservedSpan } from './detector.ts';
import type { Finding, FindingEvidence } from './finding.ts';

// Rules become part of an alert's fingerprint and of its URL filters; a tool or target name is
// agent-supplied text of any length, so the part of it that enters a rule is bounded.
const RULE_VALUE_MAX = 128;

/** `prefix:value`, e.g. `tool_denied:code-execute`, with the value cut to a bounded length. */
export function ruleFor(prefix: string, value: string): string {
  return `${prefix}:${value.length > RULE_VALUE_MAX ? value.slice(0, RULE_VALUE_MAX) : value}`;
}

/** A finding about the observed span; agentId is the agent as currently known (see callers). */
export function makeFinding(
  kind: FindingKind,
  rule: string,
  agentId: string,
  observed: ObservedSpan,
  summary: string,
  evidence: FindingEvidence,
): Finding {
  return {
    kind,
    rule,
    agentId,
    traceId: observed.span.traceId,
    sessionId: observed.span.sessionId,
    summary,
    evidence,
    observedAtMs: Math.floor(observed.endMs),
  };
}
