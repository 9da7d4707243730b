import { fail, ok, type Result } from '../errors/warden-error.ts';
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { StoreContext } from '../store/queries/query-json.ts';
import { countSpans, type SpanRange } from '../store/queries/read-spans.ts';
import { createSpanPager } from '../store/queries/span-pages.ts';
import { createEndOrderBuffer } from './end-order-buffer.ts';
import type { ProgressUpdate } from './progress-reporter.ts';
import { REPLAY_TICK_MS, type ReplaySession } from './replay-session.ts';

/** Stored spans carry no request boundaries; they are fed in batches of at most this many,
 *  cut wherever the span clock passes a tick, so alerts age as they did live. */
const MAX_BATCH_SPANS = 1000;

export interface StoredReplayStats {
  /** The count() estimate the progress was measured against. */
  estimatedSpans: number;
  spansRead: number;
  /** Spans fed before their end came (the end-order buffer was full): see end-order-buffer.ts. */
  outOfOrder: number;
}

/**
 * Feeds the stored spans of a range into the session: read in start order a page at a time,
 * re-attributions applied, put back into end order (the order live Warden received them in).
 */
export async function replayStoredSpans(
  context: StoreContext,
  range: SpanRange,
  session: ReplaySession,
  options: { pageRows?: number; onProgress?: (update: ProgressUpdate) => void } = {},
): Promise<Result<StoredReplayStats>> {
  const counted = await countSpans(context, range);
  if (!counted.ok) return withHint(counted);
  const { spans: estimatedSpans, firstNs } = counted.value;
  const stats: StoredReplayStats = { estimatedSpans, spansRead: 0, outOfOrder: 0 };
  if (firstNs === null) return ok(stats);
  // From the first span: a --from well before the data would otherwise cost a query per empty hour.
  const pager = createSpanPager(context, { ...range, fromNs: firstNs }, options.pageRows === undefined ? {} : { pageRows: options.pageRows });
  const buffer = createEndOrderBuffer();
  const batcher = createBatcher(session);
  const ready: AgentSpan[] = [];
  for (;;) {
    const page = await pager.next();
    if (!page.ok) return withHint(page);
    if (page.value === null) break;
    for (const span of page.value) buffer.push(span, ready);
    stats.spansRead += page.value.length;
    batcher.add(ready);
    ready.length = 0;
    options.onProgress?.({ done: stats.spansRead, total: Math.max(stats.estimatedSpans, stats.spansRead), spans: session.spans });
  }
  buffer.drain(ready);
  batcher.add(ready);
  batcher.flush();
  stats.outOfOrder = buffer.forced;
  return ok(stats);
}

function createBatcher(session: ReplaySession): { add(spans: readonly AgentSpan[]): void; flush(): void } {
  let batch: AgentSpan[] = [];
  let boundaryMs = -Infinity;
  const flush = (): void => {
    if (batch.length > 0) session.feed(batch);
    batch = [];
  };
  return {
    add(spans) {
      for (const span of spans) {
        const endMs = (Number(span.startTimeUnixNano) + Number(span.durationNs)) / 1e6;
        if (batch.length >= MAX_BATCH_SPANS || endMs >= boundaryMs) {
          flush();
          boundaryMs = endMs + REPLAY_TICK_MS;
        }
        batch.push(span);
      }
    },
    flush,
  };
}

function withHint<T>(result: Result<T> & { ok: false }): Result<never> {
  const { message, code } = result.error;
  if (!/UNKNOWN_TABLE|UNKNOWN_DATABASE/.test(message)) return result;
  return fail(code, `${message}\nThe store has no Warden tables: has \`warden serve\` ever run against it?`);
}
