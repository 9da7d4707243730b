import type { ClickHouseClient } from '@clickhouse/client';
import pino, { type Logger } from 'pino';
import { ok } from '../errors/warden-error.ts';
import type { Result, WardenError } from '../errors/warden-error.ts';
import type { AgentSpan, OutcomeSignal } from '../normalizer/agent-span.ts';
import type { AgentReattribution } from '../normalizer/late-identity.ts';
import { ACCEPTED_IN_MEMORY, REFUSED, type Admission } from './admission.ts';
import type { BackoffOptions } from './backoff.ts';
import { createBatchWriter } from './batch-writer.ts';
import type { BatchWriter, BatchWriterStats, FlushEvent } from './batch-writer.ts';
import { validateIdentifier } from './identifiers.ts';
import { createJsonInsert } from './json-insert.ts';
import { createJournaledIntake, type JournaledIntake } from './journal/journaled-intake.ts';
import type { Journal } from './journal/journal.ts';
import type { InsertFn } from './json-insert.ts';
import { outcomeToJsonLine } from './outcome-row.ts';
import { reattributionToJsonLine } from './reattribution-row.ts';
import { spanToJsonLine } from './span-row.ts';
import { TABLES } from './table-names.ts';
import type { TableName } from './table-names.ts';
import { compensationLines } from './usage-compensation.ts';
import { createWeakSpanIndex, mayBeReattributed } from './weak-span-index.ts';

export interface SpanStoreOptions {
  database: string;
  /** Rows per insert. Default DEFAULT_BATCH_ROWS (batch-writer.ts). */
  batchRows?: number;
  /** Milliseconds a partial batch waits. Default 200. */
  flushIntervalMs?: number;
  /** Spans held before writeSpans() refuses. Default 100 000. */
  maxQueuedSpans?: number;
  /** Outcomes held before writeOutcomes() refuses. Default 10 000. */
  maxQueuedOutcomes?: number;
  /** Recently stored spans whose agent may be re-attributed, remembered so their usage can
   *  be moved to the right agent in the summaries. Default 100 000. */
  weakSpanIndexSize?: number;
  /** Serialized bytes held per table before refusing. Default 256 MiB. */
  maxQueuedBytes?: number;
  retry?: BackoffOptions;
  logger?: Logger;
  /** See JsonInsertOptions.path. Default 'auto'. */
  insertPath?: 'auto' | 'client';
  /** See BatchWriterOptions.onFlush. */
  onFlush?: (event: FlushEvent) => void;
  /** See BatchWriterOptions.onRejected. */
  onRejected?: (table: string, lines: string[], error: WardenError) => void;
  /** Replaces the ClickHouse insert (unit tests of the wiring). */
  createInsert?: (table: string) => InsertFn;
  /**
   * The write-ahead journal (opened; the store closes it at shutdown). With it, an admission is
   * durable once journaled, and full queues spill into the journal up to its bound instead of
   * pushing back at once. Without it, accepted rows live in memory until written.
   */
  journal?: Journal;
}

export interface SpanStoreStats {
  spans: BatchWriterStats;
  outcomes: BatchWriterStats;
  reattributions: BatchWriterStats;
  agentUsage: BatchWriterStats;
  agentDirectory: BatchWriterStats;
}

/** The storage stage: what the pipeline hands spans and outcomes to. */
export interface SpanStore {
  /** False (nothing queued) when the spans do not fit: answer 429 / UNAVAILABLE. */
  writeSpans(spans: readonly AgentSpan[]): boolean;
  writeOutcomes(outcomes: readonly OutcomeSignal[]): boolean;
  /**
   * Spans, outcomes and re-attributions of one request, all accepted or all refused.
   * Re-attributions (normalizer takeReattributions()) correct the agent of spans stored
   * earlier: the trace view applies them and the agent summaries move the spans' usage.
   */
  write(spans: readonly AgentSpan[], outcomes: readonly OutcomeSignal[], reattributions?: readonly AgentReattribution[]): boolean;
  /** write(), saying when the accepted rows are durable: acknowledge clients after that. */
  admit(spans: readonly AgentSpan[], outcomes: readonly OutcomeSignal[], reattributions?: readonly AgentReattribution[]): Admission;
  /** Whether admit() would refuse any request with spans ('traces') or outcomes ('logs') now. */
  refusesAll(signal: 'traces' | 'logs'): boolean;
  /** Rows waiting in the journal for room in the queues (ClickHouse behind or down, or a replay). */
  backlogging(): boolean;
  /** Resolves when everything accepted so far is written. */
  flush(): Promise<void>;
  stats(): SpanStoreStats;
  /** Refuses new rows and writes what is queued (see BatchWriter.shutdown). */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

export function createSpanStore(client: ClickHouseClient, options: SpanStoreOptions): Result<SpanStore> {
  const database = validateIdentifier(options.database, 'storage.database');
  if (!database.ok) return database;
  const insertFor =
    options.createInsert ??
    ((table: string) => createJsonInsert(client, { database: database.value, table, path: options.insertPath ?? 'auto' }));
  const common = {
    batchRows: options.batchRows,
    flushIntervalMs: options.flushIntervalMs,
    maxQueuedBytes: options.maxQueuedBytes,
    retry: options.retry,
    logger: options.logger,
    onFlush: options.onFlush,
    onSettled: () => intake?.settled(),
  };
  let intake: JournaledIntake | undefined;

  const spans = createBatchWriter<AgentSpan>({
    ...common,
    table: TABLES.spans,
    serialize: spanToJsonLine,
    insert: insertFor(TABLES.spans),
    maxQueuedRows: options.maxQueuedSpans ?? 100_000,
    onRejected: (lines, error) => options.onRejected?.(TABLES.spans, lines, error),
  });
  const outcomes = createBatchWriter<OutcomeSignal>({
    ...common,
    table: TABLES.outcomes,
    serialize: outcomeToJsonLine,
    insert: insertFor(TABLES.outcomes),
    maxQueuedRows: options.maxQueuedOutcomes ?? 10_000,
    onRejected: (lines, error) => options.onRejected?.(TABLES.outcomes, lines, error),
  });
  // Rows built whole in write(), so these writers queue lines as they are.
  const lineWriter = (table: TableName, maxQueuedRows: number): BatchWriter<string> =>
    createBatchWriter<string>({
      ...common,
      table,
      serialize: (line) => line,
      insert: insertFor(table),
      maxQueuedRows,
      onRejected: (lines, error) => options.onRejected?.(table, lines, error),
    });
  const correctionCapacity = options.maxQueuedSpans ?? 100_000;
  const reattributions = lineWriter(TABLES.reattributions, correctionCapacity);
  const agentUsage = lineWriter(TABLES.agentUsage, 2 * correctionCapacity);
  const agentDirectory = lineWriter(TABLES.agentDirectory, 2 * correctionCapacity);
  const writers = [spans, outcomes, reattributions, agentUsage, agentDirectory] as const;
  const tables = [TABLES.spans, TABLES.outcomes, TABLES.reattributions, TABLES.agentUsage, TABLES.agentDirectory] as const;
  if (options.journal !== undefined) {
    const logger = options.logger ?? (pino({ level: 'silent' }) as Logger);
    intake = createJournaledIntake(options.journal, writers.map((writer, i) => ({ table: tables[i]!, writer: writer as BatchWriter<unknown> })), logger.child({ component: 'journal' }));
  }

  const weakSpans = createWeakSpanIndex(options.weakSpanIndexSize ?? 100_000);
  let lastCorrectedAt = 0n;

  function admit(
    spanRows: readonly AgentSpan[],
    outcomeRows: readonly OutcomeSignal[],
    corrections: readonly AgentReattribution[] = [],
  ): Admission {
    const refuse = (): Admission => {
      spans.refuse(spanRows.length);
      outcomes.refuse(outcomeRows.length);
      reattributions.refuse(corrections.length);
      return REFUSED;
    };
    // Under overload most requests are refused: check the row counts before serializing.
    if (intake === undefined && (!spans.fits(spanRows.length) || !outcomes.fits(outcomeRows.length) || !reattributions.fits(corrections.length))) {
      return refuse();
    }

    // Strictly increasing, so the latest of two corrections of one span wins in
    // ReplacingMergeTree even within one millisecond.
    const now = BigInt(Date.now()) * 1_000_000n;
    lastCorrectedAt = now > lastCorrectedAt ? now : lastCorrectedAt + 1n;
    const correctionLines: string[] = [];
    const usageLines: string[] = [];
    const directoryLines: string[] = [];
    const moved: AgentReattribution[] = [];
    for (const correction of corrections) {
      correctionLines.push(reattributionToJsonLine(correction, lastCorrectedAt));
      const stored = weakSpans.get(correction.traceId, correction.spanId);
      if (stored === undefined || stored.agentId === correction.agentId) continue;
      const lines = compensationLines(stored, correction.agentId);
      usageLines.push(...lines.usage);
      directoryLines.push(...lines.directory);
      moved.push(correction);
    }

    const prepared = [
      spans.prepare(spanRows),
      outcomes.prepare(outcomeRows),
      reattributions.prepare(correctionLines),
      agentUsage.prepare(usageLines),
      agentDirectory.prepare(directoryLines),
    ] as const;
    let admission: Admission = ACCEPTED_IN_MEMORY;
    if (intake !== undefined) {
      admission = intake.admit(prepared);
      if (!admission.ok) return refuse();
    } else {
      for (let i = 0; i < writers.length; i++) {
        const rows = prepared[i]!;
        if (!writers[i]!.fits(rows.block.rows, rows.block.bytes.length)) return refuse();
      }
      spans.accept(prepared[0]);
      outcomes.accept(prepared[1]);
      reattributions.accept(prepared[2]);
      agentUsage.accept(prepared[3]);
      agentDirectory.accept(prepared[4]);
    }
    for (const span of spanRows) if (mayBeReattributed(span)) weakSpans.add(span);
    // Moved once: a repeated correction must not move the usage again.
    for (const correction of moved) weakSpans.delete(correction.traceId, correction.spanId);
    return admission;
  }

  const write = (spanRows: readonly AgentSpan[], outcomeRows: readonly OutcomeSignal[], corrections: readonly AgentReattribution[] = []): boolean =>
    admit(spanRows, outcomeRows, corrections).ok;

  return ok({
    writeSpans: (rows) => write(rows, []),
    writeOutcomes: (rows) => write([], rows),
    write,
    admit,
    refusesAll: (signal) => {
      const writer = signal === 'traces' ? spans : outcomes;
      return intake !== undefined ? intake.refusesAll(writer) : !writer.fits(1);
    },
    backlogging: () => intake?.backlogging() ?? false,
    flush: async () => {
      await Promise.all(writers.map((writer) => writer.flush()));
    },
    stats: () => ({
      spans: spans.stats(),
      outcomes: outcomes.stats(),
      reattributions: reattributions.stats(),
      agentUsage: agentUsage.stats(),
      agentDirectory: agentDirectory.stats(),
    }),
    shutdown: async (shutdownOptions) => {
      // Rows still in the journal's backlog stay there for the next start.
      await intake?.stop();
      await Promise.all(writers.map((writer) => writer.shutdown(shutdownOptions)));
      intake?.settled();
      await options.journal?.close();
    },
  });
}
