import type { AgentSpan } from '../normalizer/agent-span.ts';
import { attributesToMap } from './attribute-map.ts';
import { countValue, finiteOrNull, finiteValue, uint64Text } from './column-values.ts';
import { nanosToDateTime64 } from './datetime64.ts';
import { toJsonLine } from './json-line.ts';

// The exporter's spellings (traces_table.sql renderer); Grafana's trace view matches them.
export const SPAN_KIND_TEXT = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
export const STATUS_CODE_TEXT = ['Unset', 'Ok', 'Error'] as const;

/** One otel_traces row as a JSONEachRow line. */
export function spanToJsonLine(span: AgentSpan): string {
  return toJsonLine({
    Timestamp: nanosToDateTime64(span.startTimeUnixNano),
    TraceId: span.traceId.toLowerCase(),
    SpanId: span.spanId.toLowerCase(),
    ParentSpanId: span.parentSpanId.toLowerCase(),
    TraceState: span.traceState,
    SpanName: span.name,
    SpanKind: SPAN_KIND_TEXT[span.spanKind] ?? 'Unspecified',
    ServiceName: span.serviceName,
    ResourceAttributes: attributesToMap(span.resourceAttributes),
    ScopeName: span.scopeName,
    ScopeVersion: span.scopeVersion,
    SpanAttributes: attributesToMap(span.attributes),
    Duration: uint64Text(span.durationNs),
    StatusCode: STATUS_CODE_TEXT[span.statusCode] ?? 'Unset',
    StatusMessage: span.statusMessage,
    'Events.Timestamp': span.events.map((e) => nanosToDateTime64(e.timeUnixNano)),
    'Events.Name': span.events.map((e) => e.name),
    'Events.Attributes': span.events.map((e) => attributesToMap(e.attributes)),
    'Links.TraceId': span.links.map((l) => l.traceId.toLowerCase()),
    'Links.SpanId': span.links.map((l) => l.spanId.toLowerCase()),
    'Links.TraceState': span.links.map((l) => l.traceState),
    'Links.Attributes': span.links.map((l) => attributesToMap(l.attributes)),
    AgentId: span.agentId,
    AgentIdSource: span.agentIdSource,
    AgentName: span.agentName,
    AgentRole: span.agentRole,
    SessionId: span.sessionId,
    TaskId: span.taskId,
    AgentKind: span.kind,
    ToolName: span.toolName,
    ToolArgsHash: span.toolArgsHash,
    Model: span.model,
    Provider: span.provider,
    InputTokens: countValue(span.inputTokens),
    OutputTokens: countValue(span.outputTokens),
    CostUsd: finiteValue(span.costUsd),
    DataClasses: span.dataClasses,
    DataAccess: span.dataAccess,
    Target: span.target,
    DelegationFrom: span.delegationFrom,
    ActionTier: span.actionTier,
    ApprovalId: span.approvalId,
    Confidence: finiteOrNull(span.confidence),
    Intent: span.intent,
    AgentStatus: span.status,
    ErrorType: span.errorType,
  });
}
