import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARD_DIR } from './dashboard-targets.ts';

const load = (path: string): unknown => parse(readFileSync(join(DASHBOARD_DIR, 'provisioning', path), 'utf8'));

describe('Grafana provisioning', () => {
  it('declares the ClickHouse data source the dashboards default to, traces in OTel mode on otel_traces', () => {
    expect(load('datasources/clickhouse.yaml')).toMatchObject({
      apiVersion: 1,
      datasources: [{
        uid: 'warden-clickhouse',
        type: 'grafana-clickhouse-datasource',
        jsonData: {
          host: 'clickhouse', port: 8123, protocol: 'http', defaultDatabase: 'warden',
          traces: {
            defaultDatabase: 'warden', defaultTable: 'otel_traces', otelEnabled: true, otelVersion: 'latest',
            traceTimestampTableSuffix: '_trace_id_ts', traceIdColumn: 'TraceId', spanIdColumn: 'SpanId',
            startTimeColumn: 'Timestamp', durationColumn: 'Duration', durationUnit: 'nanoseconds',
          },
        },
      }],
    });
  });

  it('loads the dashboards into the Warden folder', () => {
    expect(load('dashboards/warden.yaml')).toMatchObject({
      apiVersion: 1,
      providers: [{ folder: 'Warden', type: 'file', options: { path: '/var/lib/grafana/dashboards' } }],
    });
  });
});
