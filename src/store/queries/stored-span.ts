import type { AgentIdSource, AgentSpan, AgentSpanKind, AgentSpanStatus } from '../../normalizer/agent-span.ts';
import type { Attributes, SpanKindNumber, StatusCodeNumber } from '../../otlp/otlp-types.ts';
import { SPAN_KIND_TEXT, STATUS_CODE_TEXT } from '../span-row.ts';
import { numberOf } from './query-json.ts';

/** One otel_traces row as selected by STORED_SPAN_COLUMNS, with its re-attribution applied. */
export interface StoredSpanRow {
  start_unix_nano: string;
  duration_ns: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  trace_state: string;
  name: string;
  span_kind: string;
  service_name: string;
  scope_name: string;
  scope_version: string;
  resource_attributes: Record<string, string>;
  attributes: Record<string, string>;
  status_code: string;
  status_message: string;
  event_times: string[];
  event_names: string[];
  event_attributes: Array<Record<string, string>>;
  link_trace_ids: string[];
  link_span_ids: string[];
  link_trace_states: string[];
  link_attributes: Array<Record<string, string>>;
  agent_id: string;
  agent_id_source: string;
  agent_name: string;
  agent_role: string;
  session_id: string;
  task_id: string;
  kind: string;
  tool_name: string;
  tool_args_hash: string;
  model: string;
  provider: string;
  input_tokens: string;
  output_tokens: string;
  cost_usd: number;
  data_classes: string[];
  data_access: string;
  target: string;
  delegation_from: string;
  action_tier: string;
  approval_id: string;
  confidence: number | null;
  intent: string;
  status: string;
  error_type: string;
}

/**
 * The select list for StoredSpanRow over `otel_traces AS s` joined with the latest correction
 * of each span as `c` (NewAgentId, NewAgentName, NewAgentRole, NewSessionId, NewTaskId, ''
 * when there is none). A corrected span's identity came from an ancestor that arrived later.
 */
export const STORED_SPAN_COLUMNS = `
    toString(toUnixTimestamp64Nano(s.Timestamp)) AS start_unix_nano, toString(s.Duration) AS duration_ns,
    s.TraceId AS trace_id, s.SpanId AS span_id, s.ParentSpanId AS parent_span_id, s.TraceState AS trace_state,
    s.SpanName AS name, s.SpanKind AS span_kind, s.ServiceName AS service_name,
    s.ScopeName AS scope_name, s.ScopeVersion AS scope_version,
    s.ResourceAttributes AS resource_attributes, s.SpanAttributes AS attributes,
    s.StatusCode AS status_code, s.StatusMessage AS status_message,
    arrayMap(t -> toString(toUnixTimestamp64Nano(t)), s.Events.Timestamp) AS event_times,
    s.Events.Name AS event_names, s.Events.Attributes AS event_attributes,
    s.Links.TraceId AS link_trace_ids, s.Links.SpanId AS link_span_ids,
    s.Links.TraceState AS link_trace_states, s.Links.Attributes AS link_attributes,
    if(c.NewAgentId != '', c.NewAgentId, s.AgentId) AS agent_id,
    if(c.NewAgentId != '', 'ancestor', s.AgentIdSource) AS agent_id_source,
    if(c.NewAgentId != '', c.NewAgentName, s.AgentName) AS agent_name,
    if(c.NewAgentId != '', c.NewAgentRole, s.AgentRole) AS agent_role,
    if(c.NewAgentId != '', c.NewSessionId, s.SessionId) AS session_id,
    if(c.NewAgentId != '', c.NewTaskId, s.TaskId) AS task_id,
    s.AgentKind AS kind, s.ToolName AS tool_name, s.ToolArgsHash AS tool_args_hash, s.Model AS model, s.Provider AS provider,
    toString(s.InputTokens) AS input_tokens, toString(s.OutputTokens) AS output_tokens, s.CostUsd AS cost_usd,
    s.DataClasses AS data_classes, s.DataAccess AS data_access, s.Target AS target, s.DelegationFrom AS delegation_from,
    s.ActionTier AS action_tier, s.ApprovalId AS approval_id, s.Confidence AS confidence, s.Intent AS intent,
    s.AgentStatus AS status, s.ErrorType AS error_type`;

const ID_SOURCES: ReadonlySet<string> = new Set<AgentIdSource>(['span', 'ancestor', 'resource', 'service', 'none']);
const KINDS: ReadonlySet<string> = new Set<AgentSpanKind>(['agent', 'llm', 'tool', 'other']);
const STATUSES: ReadonlySet<string> = new Set<AgentSpanStatus>(['unset', 'ok', 'error']);

/**
 * A stored span back as the AgentSpan the detectors saw live. Lossy where the table is:
 * attribute values come back as the strings they were stored as (numbers and booleans in
 * their text form, arrays and maps as JSON); nothing Warden derives from them is lost, since
 * the typed agent columns hold the mapped values.
 */
export function agentSpanFromRow(row: StoredSpanRow): AgentSpan {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    traceState: row.trace_state,
    name: row.name,
    spanKind: textIndex(SPAN_KIND_TEXT, row.span_kind) as SpanKindNumber,
    startTimeUnixNano: BigInt(row.start_unix_nano),
    durationNs: BigInt(row.duration_ns),
    serviceName: row.service_name,
    scopeName: row.scope_name,
    scopeVersion: row.scope_version,
    resourceAttributes: attributes(row.resource_attributes),
    attributes: attributes(row.attributes),
    events: row.event_times.map((time, i) => ({ timeUnixNano: BigInt(time), name: row.event_names[i] ?? '', attributes: attributes(row.event_attributes[i]) })),
    links: row.link_trace_ids.map((traceId, i) => ({
      traceId,
      spanId: row.link_span_ids[i] ?? '',
      traceState: row.link_trace_states[i] ?? '',
      attributes: attributes(row.link_attributes[i]),
    })),
    statusCode: textIndex(STATUS_CODE_TEXT, row.status_code) as StatusCodeNumber,
    statusMessage: row.status_message,
    agentId: row.agent_id,
    agentIdSource: (ID_SOURCES.has(row.agent_id_source) ? row.agent_id_source : 'none') as AgentIdSource,
    agentName: row.agent_name,
    agentRole: row.agent_role,
    sessionId: row.session_id,
    taskId: row.task_id,
    kind: (KINDS.has(row.kind) ? row.kind : 'other') as AgentSpanKind,
    toolName: row.tool_name,
    toolArgsHash: row.tool_args_hash,
    model: row.model,
    provider: row.provider,
    inputTokens: numberOf(row.input_tokens),
    outputTokens: numberOf(row.output_tokens),
    costUsd: numberOf(row.cost_usd),
    dataClasses: row.data_classes,
    dataAccess: row.data_access,
    target: row.target,
    delegationFrom: row.delegation_from,
    actionTier: row.action_tier,
    approvalId: row.approval_id,
    confidence: row.confidence === null ? null : numberOf(row.confidence),
    intent: row.intent,
    status: (STATUSES.has(row.status) ? row.status : 'unset') as AgentSpanStatus,
    errorType: row.error_type,
  };
}

function textIndex(texts: readonly string[], text: string): number {
  const index = texts.indexOf(text);
  return index < 0 ? 0 : index;
}

// Null prototype, as attributesToMap writes them: an attribute named `__proto__` stays a key.
function attributes(map: Record<string, string> | undefined): Attributes {
  const out: Attributes = Object.create(null) as Attributes;
  if (map !== undefined) for (const key of Object.keys(map)) out[key] = map[key] ?? '';
  return out;
}
