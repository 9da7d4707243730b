import { ok, type Result } from '../../errors/warden-error.ts';
import type { AgentSpan } from '../../normalizer/agent-span.ts';
import type { StoreContext } from './query-json.ts';
import { readSpanWindow, type SpanKey, type SpanRange } from './read-spans.ts';
import { agentSpanFromRow } from './stored-span.ts';

/** Spans per page: the most a reader holds at once. */
export const DEFAULT_SPAN_PAGE_ROWS = 10_000;
const MS = 1_000_000n;
const MIN_WINDOW_NS = 1n * MS;
// One hour: the table's primary key starts with the hour, so a window never spans more
// granules than an hour of data.
const MAX_WINDOW_NS = 3_600_000n * MS;
const FIRST_WINDOW_NS = 60_000n * MS;

export interface SpanPager {
  /** The next page in (Timestamp, TraceId, SpanId) order; null after the last. Never empty. */
  next(): Promise<Result<AgentSpan[] | null>>;
}

/**
 * Reads a time range of stored spans page by page, with keyset pagination inside a time
 * window that adapts to the data: after a full page the window is four times what that page
 * covered (so the next query reads about four pages' worth, not the rest of the range), after
 * a short one it grows, up to an hour. Each query's cost and memory are bounded by its window
 * whatever the length of the range.
 */
export function createSpanPager(context: StoreContext, range: SpanRange, options: { pageRows?: number } = {}): SpanPager {
  const pageRows = options.pageRows ?? DEFAULT_SPAN_PAGE_ROWS;
  let fromNs = range.fromNs;
  let after: SpanKey | null = null;
  let windowNs = FIRST_WINDOW_NS;

  return {
    async next() {
      while (fromNs < range.toNs) {
        const toNs = min(range.toNs, fromNs + windowNs);
        const read = await readSpanWindow(context, range, { fromNs, toNs, after }, pageRows);
        if (!read.ok) return read;
        const rows = read.value;
        const last = rows[rows.length - 1];
        if (last !== undefined && rows.length >= pageRows) {
          // Full: the window may hold more. Go on from the last span read.
          const lastNs = BigInt(last.start_unix_nano);
          windowNs = clamp(4n * (lastNs - fromNs));
          fromNs = lastNs;
          after = { timestampNs: lastNs, traceId: last.trace_id, spanId: last.span_id };
          return ok(rows.map(agentSpanFromRow));
        }
        // Short: the window is done. Size the next one for about a page.
        windowNs = clamp((windowNs * BigInt(pageRows)) / BigInt(Math.max(rows.length, Math.ceil(pageRows / 4))));
        fromNs = toNs;
        after = null;
        if (rows.length > 0) return ok(rows.map(agentSpanFromRow));
      }
      return ok(null);
    },
  };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function clamp(ns: bigint): bigint {
  return ns < MIN_WINDOW_NS ? MIN_WINDOW_NS : ns > MAX_WINDOW_NS ? MAX_WINDOW_NS : ns;
}
