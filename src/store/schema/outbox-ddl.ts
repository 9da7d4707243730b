import { mergeTreeEngine, onCluster, storageTable } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';

/**
 * The delivery outbox (src/delivery/create-outbox.ts): every notification and callback is
 * written here as `pending` before it is attempted, and every state change (attempt counted,
 * delivered, failed) is a new row version, so a restarted Warden resumes what was pending.
 * Rows expire 30 days after their last change, whatever the span TTL: the loader ignores a
 * pending row untouched for that long (an older version could otherwise outlive the newer
 * one that settled it, for as long as TTL merges lag).
 */
export function outboxDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.outbox)}${onCluster(ctx)} (
    id String CODEC(ZSTD(1)),
    destination LowCardinality(String),
    idempotency_key String CODEC(ZSTD(1)),
    order_key String CODEC(ZSTD(1)),
    payload String CODEC(ZSTD(3)),
    meta Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    status LowCardinality(String),
    attempts UInt32,
    next_attempt_at DateTime64(3),
    last_error String CODEC(ZSTD(1)),
    created_at DateTime64(3),
    sequence UInt64,
    updated_at DateTime64(3),
    version UInt64
) ${mergeTreeEngine(ctx, 'ReplacingMergeTree', 'version')}
ORDER BY id
TTL toDateTime(updated_at) + INTERVAL 30 DAY
SETTINGS index_granularity = 8192`;
}
