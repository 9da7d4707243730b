import { mergeTreeEngine, onCluster, storageTable } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';
import { ttlClause } from './ttl-clause.ts';

/**
 * The span table. Columns, types and codecs up to `SpanAttributeItems` are the OpenTelemetry
 * Collector ClickHouse exporter's `otel_traces` (sqltemplates/traces_table.sql @2bf6b9e), so
 * Grafana's ClickHouse data source works on it in OTel mode. The typed agent columns after
 * them are Warden's: detectors and dashboards read them without map lookups.
 *
 * Sort key: Warden reads by agent over a time range (agent pages, per-agent dashboards) and by
 * trace id (through the lookup table below and the TraceId bloom filter). The exporter's
 * (ServiceName, SpanName, ...) key serves neither, so the key starts with the hour, then the
 * agent: a time-range query across all agents prunes by hour, a one-agent query prunes inside
 * each hour. ServiceName stays in the key for Grafana's service filters.
 */
export function otelTracesDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.spans)}${onCluster(ctx)} (
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    ResourceAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(ResourceAttributes, 'Array(Tuple(String, String))')),
    SpanAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(SpanAttributes, 'Array(Tuple(String, String))')),
    AgentId String CODEC(ZSTD(1)),
    AgentIdSource LowCardinality(String) CODEC(ZSTD(1)),
    AgentName LowCardinality(String) CODEC(ZSTD(1)),
    AgentRole LowCardinality(String) CODEC(ZSTD(1)),
    SessionId String CODEC(ZSTD(1)),
    TaskId String CODEC(ZSTD(1)),
    AgentKind LowCardinality(String) CODEC(ZSTD(1)),
    ToolName LowCardinality(String) CODEC(ZSTD(1)),
    ToolArgsHash String CODEC(ZSTD(1)),
    Model LowCardinality(String) CODEC(ZSTD(1)),
    Provider LowCardinality(String) CODEC(ZSTD(1)),
    InputTokens UInt64 CODEC(T64, ZSTD(1)),
    OutputTokens UInt64 CODEC(T64, ZSTD(1)),
    CostUsd Float64 CODEC(ZSTD(1)),
    DataClasses Array(LowCardinality(String)) CODEC(ZSTD(1)),
    DataAccess LowCardinality(String) CODEC(ZSTD(1)),
    Target LowCardinality(String) CODEC(ZSTD(1)),
    DelegationFrom String CODEC(ZSTD(1)),
    ActionTier LowCardinality(String) CODEC(ZSTD(1)),
    ApprovalId String CODEC(ZSTD(1)),
    Confidence Nullable(Float64) CODEC(ZSTD(1)),
    Intent String CODEC(ZSTD(1)),
    AgentStatus LowCardinality(String) CODEC(ZSTD(1)),
    ErrorType LowCardinality(String) CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1,
    INDEX idx_lower_span_name lower(SpanName) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8,
    INDEX idx_agent_id AgentId TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_session_id SessionId TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_task_id TaskId TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_tool_name ToolName TYPE bloom_filter(0.01) GRANULARITY 1
) ${mergeTreeEngine(ctx, 'MergeTree')}
PARTITION BY toDate(Timestamp)
PRIMARY KEY (toStartOfHour(Timestamp), AgentId, ServiceName)
ORDER BY (toStartOfHour(Timestamp), AgentId, ServiceName, Timestamp)
${ttlClause('toDateTime(Timestamp)', ctx.ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

/** Grafana's two-step trace lookup: the time range of a trace id, then otel_traces in it. */
export function traceIdTsDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.traceIdTs)}${onCluster(ctx)} (
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
) ${mergeTreeEngine(ctx, 'AggregatingMergeTree')}
PARTITION BY toStartOfWeek(Start)
ORDER BY (TraceId)
${ttlClause('toDateTime(Start)', ctx.ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

export function traceIdTsViewDdl(ctx: DdlContext): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${storageTable(ctx, TABLES.traceIdTsView)}${onCluster(ctx)}
TO ${storageTable(ctx, TABLES.traceIdTs)}
AS SELECT
    TraceId,
    min(toDateTime(Timestamp)) AS Start,
    max(toDateTime(Timestamp)) AS End
FROM ${storageTable(ctx, TABLES.spans)}
WHERE TraceId != ''
GROUP BY TraceId`;
}
