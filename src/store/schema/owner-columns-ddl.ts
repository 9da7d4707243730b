import { alterColumnsDdl } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';

/**
 * The Warden instance that owns a row of the tables a Warden reads back at start: its open
 * alerts and its pending deliveries. Several Wardens may share one ClickHouse; each restores
 * only its own rows, so two instances never both resume one delivery (a double callback) or
 * both advance one alert. Rows written before this column existed belong to 'default', the
 * instance id of a Warden that was never given one.
 */
export function ownerColumnsDdl(ctx: DdlContext): string[] {
  const column = `ADD COLUMN IF NOT EXISTS instance LowCardinality(String) DEFAULT 'default'`;
  return [...alterColumnsDdl(ctx, TABLES.alerts, column), ...alterColumnsDdl(ctx, TABLES.outbox, column)];
}
