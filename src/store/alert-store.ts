import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { AlertVersion } from '../alerter/alert.ts';
import type { AlertStore } from '../alerter/alert-store.ts';
import { ok } from '../errors/warden-error.ts';
import type { Result, WardenError } from '../errors/warden-error.ts';
import { alertVersionToJsonLine } from './alert-row.ts';
import type { BackoffOptions } from './backoff.ts';
import { createBatchWriter } from './batch-writer.ts';
import type { BatchWriterStats, FlushEvent } from './batch-writer.ts';
import { validateIdentifier } from './identifiers.ts';
import { createJsonInsert } from './json-insert.ts';
import type { InsertFn } from './json-insert.ts';
import { getAlert, listAlerts, loadFiringAlerts } from './queries/list-alerts.ts';
import type { AlertFilter } from './queries/list-alerts.ts';
import { TABLES } from './table-names.ts';

export interface AlertStoreOptions {
  database: string;
  /** This Warden's instance id: stamped on every version, and the only alerts restored. */
  instance: string;
  /** Milliseconds a partial batch waits before it is written. Default 200. */
  flushIntervalMs?: number;
  /** Versions held before write() refuses. Default 50 000: alerts are few and small, and a
   *  refused version is kept and retried by the alerter anyway. */
  maxQueuedRows?: number;
  retry?: BackoffOptions;
  logger?: Logger;
  onFlush?: (event: FlushEvent) => void;
  onRejected?: (table: string, lines: string[], error: WardenError) => void;
  /** Replaces the ClickHouse insert (unit tests of the wiring). */
  createInsert?: (table: string) => InsertFn;
}

/** The alerts table: what the alerter writes and restores from, and what the API lists. */
export interface ClickHouseAlertStore extends AlertStore {
  list(filter?: AlertFilter): Promise<Result<AlertVersion[]>>;
  stats(): BatchWriterStats;
  /** Refuses new versions and writes what is queued (see BatchWriter.shutdown). */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

export function createAlertStore(client: ClickHouseClient, options: AlertStoreOptions): Result<ClickHouseAlertStore> {
  const database = validateIdentifier(options.database, 'storage.database');
  if (!database.ok) return database;
  const context = { client, database: database.value };
  const writer = createBatchWriter<AlertVersion>({
    table: TABLES.alerts,
    serialize: (version) => alertVersionToJsonLine(version, options.instance),
    insert: options.createInsert?.(TABLES.alerts) ?? createJsonInsert(client, { database: database.value, table: TABLES.alerts }),
    batchRows: 1000,
    flushIntervalMs: options.flushIntervalMs,
    maxQueuedRows: options.maxQueuedRows ?? 50_000,
    maxQueuedBytes: 64 * 1024 * 1024,
    retry: options.retry,
    logger: options.logger,
    onFlush: options.onFlush,
    onRejected: (lines, error) => options.onRejected?.(TABLES.alerts, lines, error),
  });
  return ok({
    instance: options.instance,
    write: (versions) => writer.offer(versions),
    loadFiring: (limit) => loadFiringAlerts(context, options.instance, limit),
    get: (id) => getAlert(context, id),
    list: (filter) => listAlerts(context, filter),
    flush: () => writer.flush(),
    stats: () => writer.stats(),
    shutdown: (shutdownOptions) => writer.shutdown(shutdownOptions),
  });
}
