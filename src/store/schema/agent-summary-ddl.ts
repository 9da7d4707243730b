import { mergeTreeEngine, onCluster, storageTable } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';
import { ttlClause } from './ttl-clause.ts';
import { ttlExpressionOf } from './ttl-tables.ts';

/**
 * Summaries kept up to date by materialized views on otel_traces, so the agent list and agent
 * pages never scan spans.
 *
 * agent_usage_1m keeps usage per agent, minute and trace, split by span kind, because tokens
 * must be counted once: LLM spans carry the usage, and an agent span (Vercel AI SDK's
 * invoke_agent / ai.generateText) reports the sum of its children. The read side takes the
 * LLM sums of a trace, and the agent-span sums only for a trace with no LLM spans, which needs
 * the per-trace split kept here (spans of one trace arrive in different inserts, so the view
 * cannot decide it).
 *
 * Sums are signed: when a span stored under a fallback identity (service.name) is re-attributed
 * to the agent found later, the store moves its usage with a negative row for the old agent and
 * a positive one for the new (usage-compensation.ts).
 */
export function agentUsageDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.agentUsage)}${onCluster(ctx)} (
    AgentId String CODEC(ZSTD(1)),
    Minute DateTime CODEC(Delta(4), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    Spans SimpleAggregateFunction(sum, Int64),
    LlmSpans SimpleAggregateFunction(sum, Int64),
    LlmInputTokens SimpleAggregateFunction(sum, Int64),
    LlmOutputTokens SimpleAggregateFunction(sum, Int64),
    LlmCostUsd SimpleAggregateFunction(sum, Float64),
    AgentSpanInputTokens SimpleAggregateFunction(sum, Int64),
    AgentSpanOutputTokens SimpleAggregateFunction(sum, Int64),
    AgentSpanCostUsd SimpleAggregateFunction(sum, Float64),
    LastSeen SimpleAggregateFunction(max, DateTime64(9))
) ${mergeTreeEngine(ctx, 'AggregatingMergeTree')}
PARTITION BY toDate(Minute)
ORDER BY (AgentId, Minute, TraceId)
${ttlClause(ttlExpressionOf(TABLES.agentUsage), ctx.ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

export function agentUsageViewDdl(ctx: DdlContext): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${storageTable(ctx, TABLES.agentUsageView)}${onCluster(ctx)}
TO ${storageTable(ctx, TABLES.agentUsage)}
AS SELECT
    AgentId,
    toStartOfMinute(Timestamp) AS Minute,
    TraceId,
    toInt64(count()) AS Spans,
    toInt64(countIf(AgentKind = 'llm')) AS LlmSpans,
    toInt64(sumIf(InputTokens, AgentKind = 'llm')) AS LlmInputTokens,
    toInt64(sumIf(OutputTokens, AgentKind = 'llm')) AS LlmOutputTokens,
    sumIf(CostUsd, AgentKind = 'llm') AS LlmCostUsd,
    toInt64(sumIf(InputTokens, AgentKind = 'agent')) AS AgentSpanInputTokens,
    toInt64(sumIf(OutputTokens, AgentKind = 'agent')) AS AgentSpanOutputTokens,
    sumIf(CostUsd, AgentKind = 'agent') AS AgentSpanCostUsd,
    max(Timestamp) AS LastSeen
FROM ${storageTable(ctx, TABLES.spans)}
WHERE AgentId != ''
GROUP BY AgentId, Minute, TraceId`;
}

/**
 * One row per agent and day: when it was seen and its latest non-empty name and role. An
 * empty name is ranked at the epoch so any real name outranks it.
 */
export function agentDirectoryDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.agentDirectory)}${onCluster(ctx)} (
    AgentId String CODEC(ZSTD(1)),
    Day Date,
    FirstSeen SimpleAggregateFunction(min, DateTime64(9)),
    LastSeen SimpleAggregateFunction(max, DateTime64(9)),
    Name AggregateFunction(argMax, String, DateTime64(9)),
    Role AggregateFunction(argMax, String, DateTime64(9)),
    Spans SimpleAggregateFunction(sum, Int64)
) ${mergeTreeEngine(ctx, 'AggregatingMergeTree')}
PARTITION BY toYYYYMM(Day)
ORDER BY (AgentId, Day)
${ttlClause(ttlExpressionOf(TABLES.agentDirectory), ctx.ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

export function agentDirectoryViewDdl(ctx: DdlContext): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${storageTable(ctx, TABLES.agentDirectoryView)}${onCluster(ctx)}
TO ${storageTable(ctx, TABLES.agentDirectory)}
AS SELECT
    AgentId,
    toDate(Timestamp) AS Day,
    min(Timestamp) AS FirstSeen,
    max(Timestamp) AS LastSeen,
    argMaxState(CAST(AgentName, 'String'), if(AgentName = '', toDateTime64(0, 9), Timestamp)) AS Name,
    argMaxState(CAST(AgentRole, 'String'), if(AgentRole = '', toDateTime64(0, 9), Timestamp)) AS Role,
    toInt64(count()) AS Spans
FROM ${storageTable(ctx, TABLES.spans)}
WHERE AgentId != ''
GROUP BY AgentId, Day`;
}
