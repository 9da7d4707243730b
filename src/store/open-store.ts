import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { AlertReadModel, ApiReadModel } from '../api/read-model.ts';
import type { WardenConfig } from '../config/config-schema.ts';
import type { AgentSpan, OutcomeSignal } from '../normalizer/agent-span.ts';
import type { AgentReattribution } from '../normalizer/late-identity.ts';
import type { WardenMetrics } from '../telemetry/metrics.ts';
import { createAlertStore } from './alert-store.ts';
import type { ClickHouseAlertStore } from './alert-store.ts';
import { createBaselineStore, type BaselineStore } from './baseline-store.ts';
import { createAlertReadModel, createApiReadModel } from './api-read-model.ts';
import type { BatchWriterStats, FlushEvent } from './batch-writer.ts';
import { openClickHouse } from './clickhouse-client.ts';
import { createStoreReader } from './queries/store-reader.ts';
import type { StoreReader } from './queries/store-reader.ts';
import { migrate } from './schema/migrate.ts';
import type { Admission } from './admission.ts';
import { openJournal } from './journal/journal.ts';
import { createSpanStore } from './span-store.ts';
import type { SpanStore } from './span-store.ts';

export interface OpenedStore {
  /**
   * What the ingest pipeline writes to: a request's spans, outcomes and the re-attributions
   * the normalizer produced for it (takeReattributions()), all or nothing.
   */
  writer: {
    write(spans: AgentSpan[], outcomes: OutcomeSignal[], reattributions?: AgentReattribution[]): boolean;
    admit(spans: AgentSpan[], outcomes: OutcomeSignal[], reattributions?: AgentReattribution[]): Admission;
    refusesAll(signal: 'traces' | 'logs'): boolean;
  };
  spans: SpanStore;
  reader: StoreReader;
  readModel: ApiReadModel;
  /** The alerts table: the alerter's store (write, restore) and the API's alert reads. */
  alerts: ClickHouseAlertStore;
  alertReadModel: AlertReadModel;
  /** The client and database, for stages that own their tables (the actions log, the outbox). */
  client: ClickHouseClient;
  database: string;
  /** Snapshots of the detectors' per-agent baselines, so a restart does not start cold. */
  baselines: BaselineStore;
  /** null while inserts succeed and the queues have room; else why Warden is not ready. */
  notReadyReason(): string | null;
  /** Writes everything accepted (retrying while ClickHouse is down), then closes the client.
   *  Shut the alerter down first so its last versions are among what is written. */
  close(): Promise<void>;
}

export interface StoreDeps {
  /** This Warden's instance id, for the rows only it may restore (see owner-columns-ddl.ts). */
  instanceId: string;
  logger: Logger;
  metrics: WardenMetrics;
}

// Readiness turns false a little before the queue refuses, so a load balancer moves traffic
// before clients see 429s.
const NOT_READY_FILL = 0.9;
const GAUGE_INTERVAL_MS = 1000;
/** How long shutdown waits for ClickHouse to take what is queued, where waiting longer loses nothing or little. */
const SHUTDOWN_WRITE_MS = 10_000;

/**
 * Opens ClickHouse (embedded under dataDir, or the configured server), creates and migrates
 * the schema, and starts the writers. Throws when the schema cannot be created: Warden
 * cannot run without it.
 */
export async function openStore(storage: WardenConfig['storage'], deps: StoreDeps): Promise<OpenedStore> {
  const { logger, metrics } = deps;
  const client = openClickHouse({
    url: storage.clickhouseUrl,
    username: storage.username,
    password: storage.password,
    database: storage.database,
    dataDir: storage.dataDir,
    cluster: storage.cluster,
    tls: storage.tls,
  });
  const failOpen = async (message: string, code: string): Promise<never> => {
    await client.close();
    throw Object.assign(new Error(message), { code });
  };

  if (storage.cluster !== undefined && (storage.clickhouseUrl ?? '') === '') {
    return failOpen('storage.cluster needs a ClickHouse server (storage.clickhouseUrl)', 'WARDEN_CONFIG_INVALID');
  }
  const migrated = await migrate(client, { database: storage.database, ttlDays: storage.ttlDays, cluster: storage.cluster, logger });
  if (!migrated.ok) return failOpen(migrated.error.message, migrated.error.code);

  const lastFlushFailed = new Map<string, boolean>();
  const onFlush = (event: FlushEvent): void => {
    lastFlushFailed.set(event.table, !event.ok);
    if (event.ok) {
      metrics.rowsWritten.inc({ table: event.table }, event.rows);
      metrics.flushSeconds.observe({ table: event.table }, event.latencyMs / 1000);
    } else {
      metrics.flushFailures.inc({ table: event.table });
    }
  };
  const journal = storage.journal.enabled
    ? await openJournal({
        dir: storage.journal.dir ?? join(storage.dataDir, 'journal'),
        maxBytes: storage.journal.maxBytes,
        fsync: storage.journal.fsync,
        logger: logger.child({ component: 'journal' }),
      }).catch((error: unknown) => failOpen(`the write-ahead journal cannot be opened: ${(error as Error).message}`, 'WARDEN_CONFIG_INVALID'))
    : undefined;
  const spans = createSpanStore(client, {
    journal,
    database: storage.database,
    batchRows: storage.batchRows,
    flushIntervalMs: storage.flushIntervalMs,
    maxQueuedSpans: storage.maxQueuedSpans ?? (journal === undefined ? 200_000 : 50_000),
    logger,
    onFlush,
  });
  if (!spans.ok) return failOpen(spans.error.message, spans.error.code);
  const reader = createStoreReader(client, { database: storage.database });
  if (!reader.ok) return failOpen(reader.error.message, reader.error.code);
  const store = spans.value;
  const alertStore = createAlertStore(client, { database: storage.database, instance: deps.instanceId, flushIntervalMs: storage.flushIntervalMs, logger, onFlush });
  if (!alertStore.ok) return failOpen(alertStore.error.message, alertStore.error.code);
  const alerts = alertStore.value;
  const allStats = (): BatchWriterStats[] => [...Object.values(store.stats()), alerts.stats()];

  const updateGauges = (): void => {
    for (const stats of allStats()) {
      metrics.queueDepth.set({ table: stats.table }, stats.queuedRows);
      metrics.queueCapacity.set({ table: stats.table }, stats.capacityRows);
    }
  };
  updateGauges();
  const gauges = setInterval(updateGauges, GAUGE_INTERVAL_MS);
  gauges.unref();

  return {
    writer: {
      write: (spanRows, outcomes, reattributions) => store.write(spanRows, outcomes, reattributions),
      admit: (spanRows, outcomes, reattributions) => store.admit(spanRows, outcomes, reattributions),
      refusesAll: (signal) => store.refusesAll(signal),
    },
    spans: store,
    reader: reader.value,
    readModel: createApiReadModel(reader.value),
    alerts,
    alertReadModel: createAlertReadModel(alerts),
    baselines: createBaselineStore(client, storage.database),
    client,
    database: storage.database,
    notReadyReason() {
      for (const stats of allStats()) {
        if (lastFlushFailed.get(stats.table) === true) return `ClickHouse is not accepting inserts into ${stats.table}; retrying`;
        // With a journal, full queues spill to disk: only the journal's own bound pushes back.
        if (journal === undefined && stats.queuedRows >= stats.capacityRows * NOT_READY_FILL) return `the ${stats.table} write queue is nearly full`;
      }
      const journalStats = journal?.stats();
      if (journalStats !== undefined && journalStats.bytes >= journalStats.maxBytes * NOT_READY_FILL) return 'the write-ahead journal is nearly full (ClickHouse is behind)';
      return null;
    },
    async close() {
      clearInterval(gauges);
      // With a journal, rows not written by the deadline are still on disk and replayed at the
      // next start, so a shutdown while ClickHouse is down does not hang; without one, they
      // exist only here, and shutdown waits for ClickHouse.
      await Promise.all([store.shutdown(journal === undefined ? {} : { timeoutMs: SHUTDOWN_WRITE_MS }), alerts.shutdown({ timeoutMs: SHUTDOWN_WRITE_MS })]);
      updateGauges();
      await client.close();
    },
  };
}
