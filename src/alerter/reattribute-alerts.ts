import type { AgentReattribution } from '../normalizer/late-identity.ts';
import { alertFingerprint } from './alert-identity.ts';
import type { AlertLifecycle } from './alert-lifecycle.ts';
import { raise } from './open-alert.ts';
import type { OpenAlert } from './open-alert.ts';

/**
 * Spans exported before their agent's root were attributed to the resource or service.name
 * fallback, and so were the alerts raised on them. When the root arrives the normalizer
 * re-attributes those spans; an open alert whose evidence holds one of them moves to the real
 * agent: its fingerprint changes, and if that agent already has an open alert of the same kind
 * and rule, the moved alert is folded into it (resolved with merged_into) instead.
 *
 * Matching is by span id, not trace alone: another agent's alert in the same trace (a
 * delegate that named itself) must not move.
 */
export function reattributeAlerts(lifecycle: AlertLifecycle, reattributions: readonly AgentReattribution[], nowMs: number): void {
  const { open } = lifecycle;
  if (open.size === 0) return;
  const bySpan = new Map<string, AgentReattribution>();
  const traces = new Set<string>();
  for (const reattribution of reattributions) {
    const traceId = reattribution.traceId.toLowerCase();
    if (!open.hasTrace(traceId)) continue;
    traces.add(traceId);
    bySpan.set(reattribution.spanId.toLowerCase(), reattribution);
  }
  for (const traceId of traces) {
    for (const alert of open.inTrace(traceId)) {
      if (open.getById(alert.id) !== alert) continue; // folded earlier in this batch
      const target = alert.spanIds.map((spanId) => bySpan.get(spanId.toLowerCase())).find((r) => r !== undefined);
      if (target === undefined || target.agentId === '' || target.agentId === alert.agentId) continue;
      move(lifecycle, alert, target, nowMs);
    }
  }
}

function move(lifecycle: AlertLifecycle, alert: OpenAlert, target: AgentReattribution, nowMs: number): void {
  const { open } = lifecycle;
  const fingerprint = alertFingerprint(alert.kind, target.agentId, alert.rule);
  lifecycle.counters.reattributed++;
  lifecycle.logger.info({ alertId: alert.id, from: alert.agentId, to: target.agentId }, 'alert re-attributed to the agent its spans belong to');
  const existing = open.get(fingerprint);
  if (existing !== undefined && existing !== alert) {
    lifecycle.fold(existing, alert, nowMs);
    return;
  }
  open.rekey(alert, fingerprint);
  // Detectors name the agent in the summary; it named the fallback identity until now.
  alert.summary = alert.summary.split(alert.agentId).join(target.agentId);
  alert.agentId = target.agentId;
  if (alert.sessionId === '') alert.sessionId = target.sessionId;
  raise(alert, lifecycle.judge(target.agentId, alert.kind));
  lifecycle.publish(alert, 'updated', nowMs, 'reattributed');
}
