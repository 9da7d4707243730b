import type { Logger } from 'pino';
import { fail } from '../errors/warden-error.ts';
import type { Result, WardenError } from '../errors/warden-error.ts';
import { backoffDelayMs } from './backoff.ts';
import type { BackoffOptions } from './backoff.ts';
import type { InsertFn } from './json-insert.ts';
import { createLatencyHistogram } from './latency-histogram.ts';
import type { LatencyHistogram } from './latency-histogram.ts';
import { RowBlockBuilder, rowBlockLines, splitRowBlock, type RowBlock } from './row-block.ts';
import { RowQueue } from './row-queue.ts';
import { errorMessage } from './store-error.ts';

/**
 * Rows per insert when the queue is deep; a quieter table is written every flushIntervalMs
 * anyway. ClickHouse wants about one insert per second per table: each insert makes a part
 * per table and materialized view, and every part is merged later. Measured at saturation
 * against 5 000 (four inserts a second at about 20k spans/s): the engine's CPU per row 35
 * instead of 39-44 µs, about 10 % more stored, the latency tail after saturation down (notice
 * p99 121 instead of 351 ms, event-loop p99 48 instead of 230 ms), peak RSS about 300 MB
 * higher (README "Performance").
 */
export const DEFAULT_BATCH_ROWS = 20_000;

export interface BatchWriterOptions<T> {
  /** The table written, for logs and metrics labels. */
  table: string;
  /** One row as a JSONEachRow line (no newline). Runs in offer(), so later changes to the
   *  row object do not change what is stored. */
  serialize: (row: T) => string;
  insert: InsertFn;
  /** Rows per insert. Default DEFAULT_BATCH_ROWS. */
  batchRows?: number;
  /** Milliseconds a partial batch waits before it is written. Default 200. */
  flushIntervalMs?: number;
  /** Rows held (waiting and in flight) before offer() refuses. Default 100 000. */
  maxQueuedRows?: number;
  /** Serialized bytes (UTF-8) held before offer() refuses. Default 256 MiB. */
  maxQueuedBytes?: number;
  /** Backoff between retries of a failed insert. */
  retry?: BackoffOptions;
  logger?: Logger;
  /** Rows ClickHouse refused as malformed, after bisecting the batch down to them. They are
   *  not retried (they would fail forever and block the queue); they are logged, counted in
   *  rejectedRowsTotal and handed here, e.g. to a dead-letter file. */
  onRejected?: (lines: string[], error: WardenError) => void;
  /** Called after every insert attempt, for metrics (warden_store_flush_seconds and the
   *  failure counter) without polling stats(). */
  onFlush?: (event: FlushEvent) => void;
  /** Called whenever rows were written or set aside: progress().done moved. */
  onSettled?: () => void;
}

export interface FlushEvent {
  table: string;
  rows: number;
  latencyMs: number;
  ok: boolean;
}

export interface BatchWriterStats {
  table: string;
  /** Rows accepted and not yet written, including the batch in flight. */
  queuedRows: number;
  queuedBytes: number;
  capacityRows: number;
  capacityBytes: number;
  inFlightRows: number;
  acceptedRowsTotal: number;
  /** Rows offer() refused because they did not fit (the caller pushed back). */
  refusedRowsTotal: number;
  flushedRowsTotal: number;
  flushedBatchesTotal: number;
  /** Insert attempts that failed (each is retried, or bisected when the data was refused). */
  failedFlushesTotal: number;
  /** Rows set aside as malformed (see onRejected). */
  rejectedRowsTotal: number;
  /** Milliseconds of the last successful insert; null before the first. */
  lastFlushLatencyMs: number | null;
  flushLatencyMs: LatencyHistogram;
}

/** Rows serialized by prepare(), not yet queued. */
export interface PreparedRows {
  readonly block: RowBlock;
  /** Rows offered, including any the serializer failed on. */
  readonly offered: number;
  readonly unserializable: number;
}

export interface BatchWriter<T> {
  /** Queues all rows, or none and returns false when they do not fit (or after shutdown):
   *  the caller then answers 429/UNAVAILABLE. Rows accepted are written, retrying outages. */
  offer(rows: readonly T[]): boolean;
  /**
   * The steps of offer(), for accepting rows into two writers all or nothing: prepare both,
   * check that both fit, then accept both (or refuse both). Nothing may run in between.
   */
  prepare(rows: readonly T[]): PreparedRows;
  /** Whether this many rows and bytes would be accepted now (bytes 0: check rows only). */
  fits(rows: number, bytes?: number): boolean;
  accept(prepared: PreparedRows): void;
  /** Counts rows turned away, for refusedRowsTotal. */
  refuse(rows: number): void;
  /** Resolves when every row accepted before the call is written (or set aside). */
  flush(): Promise<void>;
  /** Rows accepted so far, and rows written or set aside: FIFO, so row n is done once done >= n. */
  progress(): { accepted: number; done: number };
  /** Whether ClickHouse is failing: the last insert attempt failed and is being retried (an
   *  outage, not rows refused as malformed). False before the first insert. */
  failing(): boolean;
  stats(): BatchWriterStats;
  /** Refuses new rows and writes everything queued. With timeoutMs, gives up after that long
   *  (ClickHouse still down): stats().queuedRows then says how many rows were not written. */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

const MiB = 1024 * 1024;

/**
 * One writer per table: rows are serialized when offered, batched by size and time, and
 * written one insert at a time, so ClickHouse sees few large inserts (it wants about one per
 * second per table, not one per request) and memory stays bounded by the queue limits.
 */
export function createBatchWriter<T>(options: BatchWriterOptions<T>): BatchWriter<T> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxQueuedRows = options.maxQueuedRows ?? 100_000;
  const maxQueuedBytes = options.maxQueuedBytes ?? 256 * MiB;
  const log = options.logger;
  const histogram = createLatencyHistogram();

  const pending = new RowQueue();
  const builder = new RowBlockBuilder();
  let queuedRows = 0;
  let queuedBytes = 0;
  let inFlightRows = 0;
  let acceptedRows = 0;
  let doneRows = 0; // written or set aside; FIFO, so flush() waits for a count
  let refusedRows = 0;
  let flushedRows = 0;
  let flushedBatches = 0;
  let failedFlushes = 0;
  let rejectedRows = 0;
  let lastLatencyMs: number | null = null;
  let lastAttemptFailed = false;

  let running = false;
  let stopping = false;
  let aborted = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeSleeper: (() => void) | undefined;
  const waiters: Array<{ target: number; resolve: () => void }> = [];

  function offer(rows: readonly T[]): boolean {
    if (rows.length === 0) return !stopping;
    // Check the row count before serializing: under overload most offers are refused.
    if (!fits(rows.length)) {
      refuse(rows.length);
      return false;
    }
    const prepared = prepare(rows);
    if (!fits(prepared.block.rows, prepared.block.bytes.length)) {
      refuse(rows.length);
      return false;
    }
    accept(prepared);
    return true;
  }

  function prepare(rows: readonly T[]): PreparedRows {
    const lines: string[] = [];
    let unserializable = 0;
    for (const row of rows) {
      let line: string;
      try {
        line = options.serialize(row);
      } catch (error) {
        // A serializer bug must not take the other rows down with it; counted, not silent.
        unserializable++;
        log?.error({ table: options.table, err: error }, 'row could not be serialized; set aside');
        continue;
      }
      lines.push(line);
    }
    return { block: builder.build(lines), offered: rows.length, unserializable };
  }

  // An empty queue takes a request larger than its capacity: refusing it would make the client
  // retry forever. Memory stays bounded by the receivers' request size limit.
  function fits(rows: number, bytes = 0): boolean {
    if (stopping) return false;
    if (queuedRows === 0) return true;
    return queuedRows + rows <= maxQueuedRows && queuedBytes + bytes <= maxQueuedBytes;
  }

  function accept(prepared: PreparedRows): void {
    rejectedRows += prepared.unserializable;
    const { block } = prepared;
    pending.push(block);
    queuedRows += block.rows;
    queuedBytes += block.bytes.length;
    acceptedRows += block.rows;
    schedule();
  }

  function refuse(rows: number): void {
    refusedRows += rows;
  }

  function urgent(): boolean {
    return stopping || waiters.length > 0;
  }

  function schedule(): void {
    if (running || aborted || pending.rows === 0) return;
    if (pending.rows >= batchRows || urgent()) {
      start();
    } else if (timer === undefined) {
      timer = setTimeout(start, flushIntervalMs);
    }
  }

  function start(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (running) return;
    running = true;
    void run();
  }

  async function run(): Promise<void> {
    try {
      do {
        const batch = pending.take(batchRows);
        if (batch.rows === 0) break;
        await write(batch);
      } while (!aborted && (pending.rows >= batchRows || (pending.rows > 0 && urgent())));
    } finally {
      running = false;
    }
    schedule();
  }

  async function write(batch: RowBlock): Promise<void> {
    inFlightRows = batch.rows;
    // Refused data is bisected until the malformed rows stand alone, so one bad row costs
    // about log2(batch) extra inserts instead of the whole batch.
    const segments: RowBlock[] = [batch];
    while (segments.length > 0 && !aborted) {
      const segment = segments.shift()!;
      for (let attempt = 0; !aborted; attempt++) {
        const started = performance.now();
        const result = await insertSafely(segment);
        const latencyMs = performance.now() - started;
        notify(() => options.onFlush?.({ table: options.table, rows: segment.rows, latencyMs, ok: result.ok }));
        lastAttemptFailed = !result.ok && result.error.retryable;
        if (result.ok) {
          lastLatencyMs = latencyMs;
          histogram.observe(latencyMs);
          flushedRows += segment.rows;
          flushedBatches++;
          settle(segment);
          break;
        }
        failedFlushes++;
        if (!result.error.retryable) {
          if (segment.rows > 1) {
            segments.unshift(...splitRowBlock(segment, Math.ceil(segment.rows / 2)));
          } else {
            rejectedRows++;
            log?.error({ table: options.table, code: result.error.code, err: result.error.message }, 'row refused by ClickHouse; set aside');
            notify(() => options.onRejected?.(rowBlockLines(segment), result.error));
            settle(segment);
          }
          break;
        }
        const delayMs = backoffDelayMs(attempt, options.retry);
        log?.warn({ table: options.table, rows: segment.rows, attempt: attempt + 1, delayMs: Math.round(delayMs), err: result.error.message }, 'insert failed; retrying');
        await sleep(delayMs);
      }
    }
    inFlightRows = 0;
  }

  // A throwing metrics or dead-letter hook must not stop the writer.
  function notify(hook: () => void): void {
    try {
      hook();
    } catch (error) {
      log?.error({ table: options.table, err: error }, 'batch writer hook threw');
    }
  }

  async function insertSafely(block: RowBlock): Promise<Result<void>> {
    try {
      return await options.insert(block.bytes);
    } catch (error) {
      // An InsertFn should return its failures; one that throws is treated as an outage.
      return fail('WARDEN_STORE_UNAVAILABLE', `insert into ${options.table} threw: ${errorMessage(error)}`);
    }
  }

  function settle(block: RowBlock): void {
    queuedRows -= block.rows;
    queuedBytes -= block.bytes.length;
    inFlightRows -= block.rows;
    doneRows += block.rows;
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]!;
      if (waiter.target <= doneRows) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
    if (options.onSettled !== undefined) notify(options.onSettled);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleepTimer = setTimeout(() => {
        wakeSleeper = undefined;
        resolve();
      }, ms);
      wakeSleeper = () => {
        clearTimeout(sleepTimer);
        wakeSleeper = undefined;
        resolve();
      };
    });
  }

  function flush(): Promise<void> {
    if (doneRows >= acceptedRows || aborted) return Promise.resolve();
    return new Promise((resolve) => {
      waiters.push({ target: acceptedRows, resolve });
      schedule();
    });
  }

  async function shutdown(shutdownOptions: { timeoutMs?: number } = {}): Promise<void> {
    stopping = true;
    const drained = flush();
    const timeoutMs = shutdownOptions.timeoutMs;
    if (timeoutMs === undefined) {
      await drained;
    } else {
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        drained.then(() => false),
        new Promise<boolean>((resolve) => {
          deadline = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(deadline);
      if (timedOut) {
        aborted = true;
        wakeSleeper?.();
        for (const waiter of waiters.splice(0)) waiter.resolve();
        log?.error({ table: options.table, unwrittenRows: queuedRows }, 'shutdown deadline passed; rows not written');
      }
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function stats(): BatchWriterStats {
    return {
      table: options.table,
      queuedRows,
      queuedBytes,
      capacityRows: maxQueuedRows,
      capacityBytes: maxQueuedBytes,
      inFlightRows,
      acceptedRowsTotal: acceptedRows,
      refusedRowsTotal: refusedRows,
      flushedRowsTotal: flushedRows,
      flushedBatchesTotal: flushedBatches,
      failedFlushesTotal: failedFlushes,
      rejectedRowsTotal: rejectedRows,
      lastFlushLatencyMs: lastLatencyMs,
      flushLatencyMs: histogram.snapshot(),
    };
  }

  return {
    offer,
    prepare,
    fits,
    accept,
    refuse,
    flush,
    progress: () => ({ accepted: acceptedRows, done: doneRows }),
    failing: () => lastAttemptFailed,
    stats,
    shutdown,
  };
}
