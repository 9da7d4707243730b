import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { fail, ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { onCluster, storageName, storageTable } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { errorMessage } from '../store-error.ts';
import { ttlClause, ttlDaysOf } from './ttl-clause.ts';
import { TTL_TABLES } from './ttl-tables.ts';

/**
 * Tables are created with the TTL configured at the time; when storage.ttlDays changes later,
 * this ALTERs them to match. ClickHouse then recomputes the TTL of existing parts in the
 * background (materialize_ttl_after_modify), cheap here since expired parts are only dropped
 * whole (ttl_only_drop_parts).
 */
export async function reconcileTtl(
  client: ClickHouseClient,
  ctx: DdlContext,
  logger?: Logger,
): Promise<Result<void>> {
  const { database, ttlDays } = ctx;
  try {
    const result = await client.query({
      query: 'SELECT name, engine_full FROM system.tables WHERE database = {database:String}',
      query_params: { database },
      format: 'JSONEachRow',
    });
    const engines = new Map((await result.json<{ name: string; engine_full: string }>()).map((t) => [t.name, t.engine_full]));
    for (const { table, expression } of TTL_TABLES) {
      const engineFull = engines.get(storageName(ctx, table));
      if (engineFull === undefined) continue;
      const current = ttlDaysOf(engineFull);
      if (current === null) {
        logger?.warn({ table }, 'table TTL was changed outside Warden; leaving it as it is');
        continue;
      }
      if (current === ttlDays) continue;
      const change = ttlDays > 0 ? `MODIFY ${ttlClause(expression, ttlDays)}` : 'REMOVE TTL';
      await client.command({ query: `ALTER TABLE ${storageTable(ctx, table)}${onCluster(ctx)} ${change}` });
      logger?.info({ table, from: current, to: ttlDays }, 'table TTL changed');
    }
    return ok(undefined);
  } catch (error) {
    return fail('WARDEN_STORE_SCHEMA', `changing table TTLs to ${ttlDays} days failed: ${errorMessage(error)}`);
  }
}
