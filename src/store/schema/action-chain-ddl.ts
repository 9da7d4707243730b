import { alterColumnsDdl } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';

/**
 * The chain an action row belongs to. Several Wardens may write to one ClickHouse server, and
 * a hash chain has one writer: each instance appends to its own chain (its instance id), so
 * their sequences never race. Rows written before this column existed belong to 'default'.
 */
export function actionChainColumnDdl(ctx: DdlContext): string[] {
  return alterColumnsDdl(
    ctx,
    TABLES.actions,
    `ADD COLUMN IF NOT EXISTS chain LowCardinality(String) DEFAULT 'default' FIRST`,
  );
}
