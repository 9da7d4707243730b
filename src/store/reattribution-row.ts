import type { AgentReattribution } from '../normalizer/late-identity.ts';
import { nanosToDateTime64 } from './datetime64.ts';
import { toJsonLine } from './json-line.ts';

/** One span_reattributions row as a JSONEachRow line; correctedAtNs orders corrections of one span. */
export function reattributionToJsonLine(reattribution: AgentReattribution, correctedAtNs: bigint): string {
  return toJsonLine({
    TraceId: reattribution.traceId.toLowerCase(),
    SpanId: reattribution.spanId.toLowerCase(),
    Timestamp: nanosToDateTime64(reattribution.startTimeUnixNano),
    AgentId: reattribution.agentId,
    AgentName: reattribution.agentName,
    AgentRole: reattribution.agentRole,
    SessionId: reattribution.sessionId,
    TaskId: reattribution.taskId,
    CorrectedAt: nanosToDateTime64(correctedAtNs),
  });
}
