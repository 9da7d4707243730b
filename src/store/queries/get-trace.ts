import { ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { nanosToIso } from '../datetime64.ts';
import { qualifiedTable } from '../identifiers.ts';
import { TABLES } from '../table-names.ts';
import { numberOf, queryJson } from './query-json.ts';
import type { StoreContext } from './query-json.ts';

export interface TraceSpanEvent {
  time: string;
  time_unix_nano: string;
  name: string;
  attributes: Record<string, string>;
}

/** One stored span as GET /api/v1/traces/{traceId} returns it. */
export interface TraceSpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  /** ISO 8601 UTC with all nine fractional digits; start_unix_nano is the exact value. */
  start: string;
  start_unix_nano: string;
  duration_ns: number;
  service_name: string;
  span_kind: string;
  status_code: string;
  status_message: string;
  agent_id: string;
  agent_name: string;
  agent_role: string;
  session_id: string;
  task_id: string;
  kind: string;
  tool_name: string;
  tool_args_hash: string;
  model: string;
  provider: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  data_classes: string[];
  data_access: string;
  target: string;
  delegation_from: string;
  action_tier: string;
  approval_id: string;
  confidence: number | null;
  intent: string;
  /** The agent status: unset, ok or error. */
  status: string;
  error_type: string;
  attributes: Record<string, string>;
  resource_attributes: Record<string, string>;
  events: TraceSpanEvent[];
}

const TRACE_ID = /^[0-9a-f]{32}$/;
/** A trace larger than this is cut (oldest spans first are kept). */
export const MAX_TRACE_SPANS = 10_000;

interface RawSpan extends Omit<TraceSpanRow, 'start' | 'duration_ns' | 'input_tokens' | 'output_tokens' | 'events'> {
  duration_ns: string;
  input_tokens: string;
  output_tokens: string;
  event_times: string[];
  event_names: string[];
  event_attributes: Array<Record<string, string>>;
}

// The bounds are DateTime64(9), not DateTime: ClickHouse 26.7 mis-prunes parts when a
// DateTime64 column is strictly compared with a whole second (`Timestamp < toDateTime(x)`
// becomes `Timestamp <= x - 1` in index analysis, so a span at x - 0.5 s is missed),
// ClickHouse issue #113993. Keep every bound on a DateTime64 column a DateTime64.

/**
 * Grafana's two-step lookup: the trace's time range from otel_traces_trace_id_ts, then
 * otel_traces by TraceId within it, so only the partitions and hours that hold the trace are
 * read (the bloom filter on TraceId narrows the granules inside them).
 */
export async function getTrace(context: StoreContext, traceId: string): Promise<Result<TraceSpanRow[]>> {
  const id = traceId.toLowerCase();
  if (!TRACE_ID.test(id)) return ok([]);

  const range = await queryJson<{ found: number | string; start: number | string; end: number | string }>(
    context,
    'trace time range lookup',
    `SELECT count() AS found, toUnixTimestamp(min(Start)) AS start, toUnixTimestamp(max(End)) AS end
     FROM ${qualifiedTable(context.database, TABLES.traceIdTs)}
     WHERE TraceId = {traceId:String}`,
    { traceId: id },
  );
  if (!range.ok) return range;
  const bounds = range.value[0];
  if (bounds === undefined || numberOf(bounds.found) === 0) return ok([]);

  const spansTable = qualifiedTable(context.database, TABLES.spans);
  const correctionsTable = qualifiedTable(context.database, TABLES.reattributions);
  // A span stored before its agent was known carries the fallback identity; the latest
  // correction of it (span_reattributions) replaces agent, name, role, session and task.
  const corrected = (column: string, alias: string): string =>
    `if(c.NewAgentId != '', c.New${column}, s.${column}) AS ${alias}`;
  const rows = await queryJson<RawSpan>(
    context,
    'trace spans',
    `SELECT
        s.TraceId AS trace_id, s.SpanId AS span_id, s.ParentSpanId AS parent_span_id, s.SpanName AS name,
        toString(toUnixTimestamp64Nano(s.Timestamp)) AS start_unix_nano, toString(s.Duration) AS duration_ns,
        s.ServiceName AS service_name, s.SpanKind AS span_kind, s.StatusCode AS status_code, s.StatusMessage AS status_message,
        ${corrected('AgentId', 'agent_id')}, ${corrected('AgentName', 'agent_name')}, ${corrected('AgentRole', 'agent_role')},
        ${corrected('SessionId', 'session_id')}, ${corrected('TaskId', 'task_id')},
        s.AgentKind AS kind, s.ToolName AS tool_name, s.ToolArgsHash AS tool_args_hash, s.Model AS model, s.Provider AS provider,
        toString(s.InputTokens) AS input_tokens, toString(s.OutputTokens) AS output_tokens, s.CostUsd AS cost_usd,
        s.DataClasses AS data_classes, s.DataAccess AS data_access, s.Target AS target, s.DelegationFrom AS delegation_from,
        s.ActionTier AS action_tier, s.ApprovalId AS approval_id, s.Confidence AS confidence, s.Intent AS intent,
        s.AgentStatus AS status, s.ErrorType AS error_type,
        s.SpanAttributes AS attributes, s.ResourceAttributes AS resource_attributes,
        arrayMap(t -> toString(toUnixTimestamp64Nano(t)), s.Events.Timestamp) AS event_times,
        s.Events.Name AS event_names, s.Events.Attributes AS event_attributes
     FROM ${spansTable} AS s
     LEFT JOIN (
        SELECT SpanId,
               argMax(AgentId, CorrectedAt) AS NewAgentId, argMax(AgentName, CorrectedAt) AS NewAgentName,
               argMax(AgentRole, CorrectedAt) AS NewAgentRole, argMax(SessionId, CorrectedAt) AS NewSessionId,
               argMax(TaskId, CorrectedAt) AS NewTaskId
        FROM ${correctionsTable}
        WHERE TraceId = {traceId:String}
        GROUP BY SpanId
     ) AS c ON s.SpanId = c.SpanId
     WHERE s.TraceId = {traceId:String}
       AND s.Timestamp >= {start:DateTime64(9)} AND s.Timestamp < {end:DateTime64(9)}
     ORDER BY s.Timestamp, s.SpanId
     LIMIT {limit:UInt32}
     SETTINGS join_use_nulls = 0`,
    {
      traceId: id,
      start: `${numberOf(bounds.start)}.000000000`,
      end: `${numberOf(bounds.end) + 1}.000000000`,
      limit: MAX_TRACE_SPANS,
    },
  );
  if (!rows.ok) return rows;
  return ok(rows.value.map(toTraceSpanRow));
}

function toTraceSpanRow(raw: RawSpan): TraceSpanRow {
  const { event_times, event_names, event_attributes, ...span } = raw;
  return {
    ...span,
    start: nanosToIso(raw.start_unix_nano),
    duration_ns: numberOf(raw.duration_ns),
    input_tokens: numberOf(raw.input_tokens),
    output_tokens: numberOf(raw.output_tokens),
    events: event_times.map((time, i) => ({
      time: nanosToIso(time),
      time_unix_nano: time,
      name: event_names[i] ?? '',
      attributes: event_attributes[i] ?? {},
    })),
  };
}
