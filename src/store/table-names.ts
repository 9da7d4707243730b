/**
 * Table names are fixed: Grafana's ClickHouse data source finds `otel_traces` and its
 * `_trace_id_ts` lookup by name, and dashboards query the rest.
 */
export const TABLES = {
  spans: 'otel_traces',
  traceIdTs: 'otel_traces_trace_id_ts',
  traceIdTsView: 'otel_traces_trace_id_ts_mv',
  agentDirectory: 'agent_directory',
  agentDirectoryView: 'agent_directory_mv',
  agentUsage: 'agent_usage_1m',
  agentUsageView: 'agent_usage_1m_mv',
  outcomes: 'outcomes',
  reattributions: 'span_reattributions',
  alerts: 'alerts',
  actions: 'actions',
  detectorBaselines: 'detector_baselines',
  outbox: 'delivery_outbox',
  migrations: 'schema_migrations',
} as const;

export type TableName = (typeof TABLES)[keyof typeof TABLES];
