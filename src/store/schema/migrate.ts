import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { fail, ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { qualifiedTable, validateIdentifier } from '../identifiers.ts';
import { millisToDateTime64 } from '../datetime64.ts';
import { errorMessage } from '../store-error.ts';
import { TABLES } from '../table-names.ts';
import { distributedDdl, onCluster } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { MIGRATIONS } from './migrations.ts';
import type { Migration } from './migrations.ts';
import { reconcileTtl } from './reconcile-ttl.ts';
import { migrationsDdl } from './warden-tables-ddl.ts';

export interface MigrateOptions {
  database: string;
  /** Days spans, summaries and outcomes are kept; 0 keeps them forever. */
  ttlDays: number;
  /** Cluster mode (storage.cluster): ON CLUSTER, Replicated and Distributed tables. */
  cluster?: string | undefined;
  logger?: Logger;
  /** For tests of later versions; defaults to every released migration. */
  migrations?: readonly Migration[];
}

// The exporter's Nested columns (Events.*, Links.*) are defined for flattened storage, which
// is the default but a server profile may change it.
const DDL_SETTINGS = { flatten_nested: 1 } as const;

/**
 * Creates the database and every table, applies the versions not yet recorded in
 * schema_migrations, then brings the TTLs in line with ttlDays. Safe to run at every start.
 */
export async function migrate(client: ClickHouseClient, options: MigrateOptions): Promise<Result<void>> {
  const database = validateIdentifier(options.database, 'storage.database');
  if (!database.ok) return database;
  if (!Number.isInteger(options.ttlDays) || options.ttlDays < 0) {
    return fail('WARDEN_CONFIG_INVALID', `storage.ttlDays must be a whole number of days >= 0, got ${options.ttlDays}`);
  }
  const db = database.value;
  if (options.cluster !== undefined) {
    const cluster = validateIdentifier(options.cluster, 'storage.cluster');
    if (!cluster.ok) return cluster;
  }
  const ctx: DdlContext = { database: db, ttlDays: options.ttlDays, cluster: options.cluster };
  const step = async (what: string, run: () => Promise<unknown>): Promise<Result<void>> => {
    try {
      await run();
      return ok(undefined);
    } catch (error) {
      return fail('WARDEN_STORE_SCHEMA', `${what} failed: ${errorMessage(error)}`);
    }
  };

  const base = await step(`creating database ${db}`, async () => {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${db}\`${onCluster(ctx)}` });
    for (const statement of [migrationsDdl(ctx), ...distributedDdl(ctx, TABLES.migrations, 'version')]) {
      await client.command({ query: statement });
    }
  });
  if (!base.ok) return base;

  let applied: Set<number>;
  try {
    const result = await client.query({
      query: `SELECT DISTINCT version FROM ${qualifiedTable(db, TABLES.migrations)}`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ version: number | string }>();
    applied = new Set(rows.map((row) => Number(row.version)));
  } catch (error) {
    return fail('WARDEN_STORE_SCHEMA', `reading ${TABLES.migrations} failed: ${errorMessage(error)}`);
  }

  const pending = [...(options.migrations ?? MIGRATIONS)]
    .filter((m) => !applied.has(m.version))
    .sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    const label = `schema version ${migration.version} (${migration.name})`;
    for (const statement of migration.statements(ctx)) {
      const done = await step(label, () => client.command({ query: statement, clickhouse_settings: DDL_SETTINGS }));
      if (!done.ok) return done;
    }
    const recorded = await step(`recording ${label}`, () =>
      client.insert({
        table: qualifiedTable(db, TABLES.migrations),
        values: [{ version: migration.version, name: migration.name, applied_at: millisToDateTime64(Date.now()) }],
        format: 'JSONEachRow',
      }),
    );
    if (!recorded.ok) return recorded;
    options.logger?.info({ version: migration.version, name: migration.name }, 'schema migration applied');
  }

  return reconcileTtl(client, ctx, options.logger);
}
