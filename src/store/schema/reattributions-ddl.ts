import { mergeTreeEngine, onCluster, storageTable } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';
import { ttlClause } from './ttl-clause.ts';
import { ttlExpressionOf } from './ttl-tables.ts';

/**
 * Agent identities learned after a span was stored: SDKs export children before the
 * invoke_agent span that names their agent, so those children are stored under the fallback
 * identity (service.name) and corrected here when the ancestor arrives (normalizer
 * late-identity.ts). Reads of a trace apply the latest correction of each span; the agent
 * summaries are corrected when this is written (usage-compensation.ts). Timestamp is the
 * span's start, so a trace's corrections sit in the same partitions as its spans.
 */
export function reattributionsDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.reattributions)}${onCluster(ctx)} (
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    AgentId String CODEC(ZSTD(1)),
    AgentName LowCardinality(String) CODEC(ZSTD(1)),
    AgentRole LowCardinality(String) CODEC(ZSTD(1)),
    SessionId String CODEC(ZSTD(1)),
    TaskId String CODEC(ZSTD(1)),
    CorrectedAt DateTime64(9) CODEC(Delta(8), ZSTD(1))
) ${mergeTreeEngine(ctx, 'ReplacingMergeTree', 'CorrectedAt')}
PARTITION BY toDate(Timestamp)
ORDER BY (TraceId, SpanId)
${ttlClause(ttlExpressionOf(TABLES.reattributions), ctx.ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}
