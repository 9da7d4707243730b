import type { Finding } from '../detector/finding.ts';
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AgentSuspension } from '../enforcer/agent-status-registry.ts';

export interface SuspensionLookup {
  suspension(agentId: string): AgentSuspension | undefined;
}

/**
 * suspended_activity: a span that ended after the agent's suspend callback was delivered means
 * the kill switch did not take. Only suspended agents are held by the lookup, so the common case
 * is one Map miss per span. Every such span is reported; the alerter deduplicates.
 */
export function findSuspendedActivity(spans: readonly AgentSpan[], lookup: SuspensionLookup, out: Finding[]): void {
  for (const span of spans) {
    const suspension = lookup.suspension(span.agentId);
    if (suspension === undefined || suspension.deliveredAtMs === null) continue;
    const endMs = Number((span.startTimeUnixNano + span.durationNs) / 1_000_000n);
    if (endMs <= suspension.deliveredAtMs) continue;
    out.push({
      kind: 'suspended_activity',
      rule: 'spans_after_suspension',
      agentId: span.agentId,
      traceId: span.traceId,
      sessionId: span.sessionId,
      summary: `${span.agentId} is still active after its suspension was delivered (${span.name})`,
      evidence: {
        span_ids: [span.spanId],
        suspension_action_id: suspension.actionId,
        suspended_at: new Date(suspension.sinceMs).toISOString(),
        delivered_at: new Date(suspension.deliveredAtMs).toISOString(),
        span_end: new Date(endMs).toISOString(),
      },
      observedAtMs: endMs,
    });
  }
}
