import { mergeTreeEngine, onCluster, storageTable } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';
import { ttlClause } from './ttl-clause.ts';
import { ttlExpressionOf } from './ttl-tables.ts';

/** Business outcome signals (POST /api/v1/outcomes, `agent.outcome` events and log records). */
export function outcomesDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.outcomes)}${onCluster(ctx)} (
    agent_id String CODEC(ZSTD(1)),
    trace_id String CODEC(ZSTD(1)),
    session_id String CODEC(ZSTD(1)),
    name LowCardinality(String) CODEC(ZSTD(1)),
    value Float64 CODEC(ZSTD(1)),
    success Nullable(Bool),
    time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    source LowCardinality(String) CODEC(ZSTD(1)),
    attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1
) ${mergeTreeEngine(ctx, 'MergeTree')}
PARTITION BY toDate(time)
ORDER BY (agent_id, time)
${ttlClause(ttlExpressionOf(TABLES.outcomes), ctx.ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

/**
 * Alerts with their evidence. An update (count, last_seen, status, ack, agent re-attribution)
 * is a new row with a higher `version`; ReplacingMergeTree keeps the highest version of an id
 * after merges, and readers take it explicitly (FINAL, or argMax by version) because merges
 * happen whenever ClickHouse likes. No partition key: replacement only works within one
 * partition, and alerts are few.
 */
export function alertsDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.alerts)}${onCluster(ctx)} (
    id String,
    fingerprint String,
    kind LowCardinality(String),
    severity LowCardinality(String),
    status LowCardinality(String),
    agent_id String,
    trace_id String,
    summary String,
    evidence String CODEC(ZSTD(3)),
    first_seen DateTime64(3),
    last_seen DateTime64(3),
    count UInt64,
    action LowCardinality(String),
    acked_at Nullable(DateTime64(3)),
    acked_by String,
    updated_at DateTime64(3),
    version UInt64,
    INDEX idx_fingerprint fingerprint TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_agent_id agent_id TYPE bloom_filter(0.01) GRANULARITY 1
) ${mergeTreeEngine(ctx, 'ReplacingMergeTree', 'version')}
ORDER BY id`;
}

/**
 * The enforcement log: suspend, resume and callback deliveries, append-only. Each row carries
 * the previous row's hash and its own (over its content and prev_hash), in `seq` order, so
 * `warden audit verify` can prove nothing was altered or removed. No TTL for that reason.
 */
export function actionsDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.actions)}${onCluster(ctx)} (
    seq UInt64,
    id String,
    at DateTime64(3),
    type LowCardinality(String),
    agent_id String,
    actor String,
    reason String,
    alert_id String,
    payload String CODEC(ZSTD(3)),
    prev_hash String,
    hash String,
    INDEX idx_agent_id agent_id TYPE bloom_filter(0.01) GRANULARITY 1
) ${mergeTreeEngine(ctx, 'MergeTree')}
ORDER BY seq`;
}

/** Applied schema versions; re-recording a version (two Wardens starting at once) is harmless. */
export function migrationsDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.migrations)}${onCluster(ctx)} (
    version UInt32,
    name String,
    applied_at DateTime64(3)
) ${mergeTreeEngine(ctx, 'ReplacingMergeTree')}
ORDER BY version`;
}
