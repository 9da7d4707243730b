import { ok, type Result } from '../../errors/warden-error.ts';
import { nanosToDateTime64 } from '../datetime64.ts';
import { qualifiedTable } from '../identifiers.ts';
import { TABLES } from '../table-names.ts';
import { numberOf, queryJson, type StoreContext } from './query-json.ts';
import { STORED_SPAN_COLUMNS, type StoredSpanRow } from './stored-span.ts';

/** Stored spans whose start is in [fromNs, toNs), optionally of one agent (after correction). */
export interface SpanRange {
  fromNs: bigint;
  toNs: bigint;
  agentId?: string | undefined;
}

/** A position in (Timestamp, TraceId, SpanId) order: the last span of the previous page. */
export interface SpanKey {
  timestampNs: bigint;
  traceId: string;
  spanId: string;
}

// Bounds on DateTime64 columns stay DateTime64 (see get-trace.ts: ClickHouse issue #113993).

export interface SpanCount {
  spans: number;
  /** The earliest start among them; null when there are none. */
  firstNs: bigint | null;
}

/**
 * How many spans a range holds (for progress) and where the first one starts (so reading
 * skips the empty stretch before it). With an agent it counts the spans stored under that
 * agent or corrected to it; a span corrected away from it (rare: only a fallback id, a
 * service name, is ever corrected) is still counted, so the total can be slightly high.
 */
export async function countSpans(context: StoreContext, range: SpanRange): Promise<Result<SpanCount>> {
  const spans = qualifiedTable(context.database, TABLES.spans);
  const corrections = qualifiedTable(context.database, TABLES.reattributions);
  const agentFilter =
    range.agentId === undefined
      ? ''
      : `AND (AgentId = {agent:String} OR (TraceId, SpanId) IN (
           SELECT TraceId, SpanId FROM ${corrections}
           WHERE AgentId = {agent:String} AND Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}))`;
  const rows = await queryJson<{ spans: number | string; first: string }>(
    context,
    'span count',
    `SELECT count() AS spans, toString(toUnixTimestamp64Nano(min(Timestamp))) AS first FROM ${spans}
     WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)} ${agentFilter}`,
    { from: nanosToDateTime64(range.fromNs), to: nanosToDateTime64(range.toNs), ...(range.agentId === undefined ? {} : { agent: range.agentId }) },
  );
  if (!rows.ok) return rows;
  const count = numberOf(rows.value[0]?.spans);
  return ok({ spans: count, firstNs: count === 0 ? null : BigInt(rows.value[0]?.first ?? '0') });
}

/**
 * Up to `limit` spans starting in [window.fromNs, window.toNs) after `after`, in
 * (Timestamp, TraceId, SpanId) order, each with the latest correction of its identity
 * (span_reattributions) applied. Only the window's corrections are joined, so a query's
 * memory is bounded by the window, not the whole range.
 */
export async function readSpanWindow(
  context: StoreContext,
  range: SpanRange,
  window: { fromNs: bigint; toNs: bigint; after: SpanKey | null },
  limit: number,
): Promise<Result<StoredSpanRow[]>> {
  const spans = qualifiedTable(context.database, TABLES.spans);
  const corrections = qualifiedTable(context.database, TABLES.reattributions);
  const afterFilter = window.after === null ? '' : 'AND (s.Timestamp, s.TraceId, s.SpanId) > ({afterTs:DateTime64(9)}, {afterTrace:String}, {afterSpan:String})';
  const agentFilter = range.agentId === undefined ? '' : `AND if(c.NewAgentId != '', c.NewAgentId, s.AgentId) = {agent:String}`;
  return queryJson<StoredSpanRow>(
    context,
    'stored spans',
    `SELECT ${STORED_SPAN_COLUMNS}
     FROM ${spans} AS s
     LEFT JOIN (
        SELECT TraceId, SpanId,
               argMax(AgentId, CorrectedAt) AS NewAgentId, argMax(AgentName, CorrectedAt) AS NewAgentName,
               argMax(AgentRole, CorrectedAt) AS NewAgentRole, argMax(SessionId, CorrectedAt) AS NewSessionId,
               argMax(TaskId, CorrectedAt) AS NewTaskId
        FROM ${corrections}
        WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
        GROUP BY TraceId, SpanId
     ) AS c ON s.TraceId = c.TraceId AND s.SpanId = c.SpanId
     WHERE s.Timestamp >= {from:DateTime64(9)} AND s.Timestamp < {to:DateTime64(9)} ${afterFilter} ${agentFilter}
     ORDER BY s.Timestamp, s.TraceId, s.SpanId
     LIMIT {limit:UInt32}
     SETTINGS join_use_nulls = 0`,
    {
      from: nanosToDateTime64(window.fromNs),
      to: nanosToDateTime64(window.toNs),
      limit,
      ...(window.after === null ? {} : { afterTs: nanosToDateTime64(window.after.timestampNs), afterTrace: window.after.traceId, afterSpan: window.after.spanId }),
      ...(range.agentId === undefined ? {} : { agent: range.agentId }),
    },
  );
}
