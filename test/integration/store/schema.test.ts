import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/store/schema/migrate.ts';
import { MIGRATIONS } from '../../../src/store/schema/migrations.ts';
import { openTestStore } from './fixtures/agent-span-fixture.ts';

// The Collector ClickHouse exporter's otel_traces (sqltemplates/traces_table.sql), as
// system.columns reports it: Grafana's OTel mode relies on these names and types.
const EXPORTER_COLUMNS: Array<[name: string, type: string, codec: string]> = [
  ['Timestamp', 'DateTime64(9)', 'CODEC(Delta(8), ZSTD(1))'],
  ['TraceId', 'String', 'CODEC(ZSTD(1))'],
  ['SpanId', 'String', 'CODEC(ZSTD(1))'],
  ['ParentSpanId', 'String', 'CODEC(ZSTD(1))'],
  ['TraceState', 'String', 'CODEC(ZSTD(1))'],
  ['SpanName', 'LowCardinality(String)', 'CODEC(ZSTD(1))'],
  ['SpanKind', 'LowCardinality(String)', 'CODEC(ZSTD(1))'],
  ['ServiceName', 'LowCardinality(String)', 'CODEC(ZSTD(1))'],
  ['ResourceAttributes', 'Map(LowCardinality(String), String)', 'CODEC(ZSTD(1))'],
  ['ScopeName', 'String', 'CODEC(ZSTD(1))'],
  ['ScopeVersion', 'String', 'CODEC(ZSTD(1))'],
  ['SpanAttributes', 'Map(LowCardinality(String), String)', 'CODEC(ZSTD(1))'],
  ['Duration', 'UInt64', 'CODEC(T64, ZSTD(1))'],
  ['StatusCode', 'LowCardinality(String)', 'CODEC(ZSTD(1))'],
  ['StatusMessage', 'String', 'CODEC(ZSTD(1))'],
  ['Events.Timestamp', 'Array(DateTime64(9))', 'CODEC(ZSTD(1))'],
  ['Events.Name', 'Array(LowCardinality(String))', 'CODEC(ZSTD(1))'],
  ['Events.Attributes', 'Array(Map(LowCardinality(String), String))', 'CODEC(ZSTD(1))'],
  ['Links.TraceId', 'Array(String)', 'CODEC(ZSTD(1))'],
  ['Links.SpanId', 'Array(String)', 'CODEC(ZSTD(1))'],
  ['Links.TraceState', 'Array(String)', 'CODEC(ZSTD(1))'],
  ['Links.Attributes', 'Array(Map(LowCardinality(String), String))', 'CODEC(ZSTD(1))'],
  ['ResourceAttributeItems', 'Array(String)', ''],
  ['SpanAttributeItems', 'Array(String)', ''],
];

const AGENT_COLUMNS: Array<[name: string, type: string]> = [
  ['AgentId', 'String'],
  ['AgentIdSource', 'LowCardinality(String)'],
  ['AgentName', 'LowCardinality(String)'],
  ['AgentRole', 'LowCardinality(String)'],
  ['SessionId', 'String'],
  ['TaskId', 'String'],
  ['AgentKind', 'LowCardinality(String)'],
  ['ToolName', 'LowCardinality(String)'],
  ['ToolArgsHash', 'String'],
  ['Model', 'LowCardinality(String)'],
  ['Provider', 'LowCardinality(String)'],
  ['InputTokens', 'UInt64'],
  ['OutputTokens', 'UInt64'],
  ['CostUsd', 'Float64'],
  ['DataClasses', 'Array(LowCardinality(String))'],
  ['DataAccess', 'LowCardinality(String)'],
  ['Target', 'LowCardinality(String)'],
  ['DelegationFrom', 'String'],
  ['ActionTier', 'LowCardinality(String)'],
  ['ApprovalId', 'String'],
  ['Confidence', 'Nullable(Float64)'],
  ['Intent', 'String'],
  ['AgentStatus', 'LowCardinality(String)'],
  ['ErrorType', 'LowCardinality(String)'],
];

interface ColumnRow {
  name: string;
  type: string;
  compression_codec: string;
}

let store: Awaited<ReturnType<typeof openTestStore>>;

beforeAll(async () => {
  store = await openTestStore('warden_schema', 30);
});
afterAll(async () => {
  await store?.close();
});

async function select<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await store.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

async function columnsOf(table: string): Promise<Map<string, ColumnRow>> {
  const rows = await select<ColumnRow>(
    'SELECT name, type, compression_codec FROM system.columns WHERE database = {db:String} AND table = {table:String}',
    { db: store.database, table },
  );
  return new Map(rows.map((row) => [row.name, row]));
}

async function engineOf(table: string): Promise<string> {
  const rows = await select<{ engine_full: string }>(
    'SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}',
    { db: store.database, table },
  );
  return rows[0]?.engine_full ?? '';
}

describe('schema migrations', () => {
  it('are idempotent: a second and third run change nothing', async () => {
    const before = await select<{ name: string }>('SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', {
      db: store.database,
    });
    expect((await migrate(store.client, { database: store.database, ttlDays: 30 })).ok).toBe(true);
    expect((await migrate(store.client, { database: store.database, ttlDays: 30 })).ok).toBe(true);
    const after = await select<{ name: string }>('SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', {
      db: store.database,
    });
    expect(after).toEqual(before);
    expect(after.map((t) => t.name)).toEqual([
      'actions',
      'agent_directory',
      'agent_directory_mv',
      'agent_usage_1m',
      'agent_usage_1m_mv',
      'alerts',
      'delivery_outbox',
      'detector_baselines',
      'otel_traces',
      'otel_traces_trace_id_ts',
      'otel_traces_trace_id_ts_mv',
      'outcomes',
      'schema_migrations',
      'span_reattributions',
    ]);
    const versions = await select<{ version: number }>(
      `SELECT version FROM ${store.database}.schema_migrations FINAL ORDER BY version`,
    );
    expect(versions.map((v) => Number(v.version))).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
  });

  it('gives otel_traces the exporter columns with the exporter types and codecs', async () => {
    const columns = await columnsOf('otel_traces');
    for (const [name, type, codec] of EXPORTER_COLUMNS) {
      expect(columns.get(name), name).toMatchObject({ type, compression_codec: codec });
    }
  });

  it('adds the typed agent columns', async () => {
    const columns = await columnsOf('otel_traces');
    for (const [name, type] of AGENT_COLUMNS) {
      expect(columns.get(name)?.type, name).toBe(type);
    }
  });

  it('partitions by day, keeps the TTL and drops only whole parts', async () => {
    const engine = await engineOf('otel_traces');
    expect(engine).toContain('PARTITION BY toDate(Timestamp)');
    expect(engine).toContain('TTL toDateTime(Timestamp) + toIntervalDay(30)');
    expect(engine).toContain('ttl_only_drop_parts = 1');
    const lookup = await columnsOf('otel_traces_trace_id_ts');
    expect(lookup.get('Start')?.type).toBe('SimpleAggregateFunction(min, DateTime)');
    expect(lookup.get('End')?.type).toBe('SimpleAggregateFunction(max, DateTime)');
    expect(await engineOf('otel_traces_trace_id_ts')).toMatch(/^AggregatingMergeTree PARTITION BY toStartOfWeek\(Start\) ORDER BY \(TraceId\)/);
  });

  it('creates the bloom filter indexes on trace, agent and session ids', async () => {
    const indexes = await select<{ name: string; type_full: string; expr: string }>(
      "SELECT name, type_full, expr FROM system.data_skipping_indices WHERE database = {db:String} AND table = 'otel_traces'",
      { db: store.database },
    );
    const byName = new Map(indexes.map((i) => [i.name, i]));
    expect(byName.get('idx_trace_id')?.type_full).toBe('bloom_filter(0.001)');
    expect(byName.get('idx_agent_id')?.expr).toBe('AgentId');
    expect(byName.get('idx_session_id')?.expr).toBe('SessionId');
    expect(byName.get('idx_span_attr_key')?.expr).toBe('mapKeys(SpanAttributes)');
  });

  it('changes the TTL of every expiring table when ttlDays changes, and removes it at 0', async () => {
    const expiring = ['otel_traces', 'otel_traces_trace_id_ts', 'agent_usage_1m', 'agent_directory', 'outcomes', 'span_reattributions'];
    expect((await migrate(store.client, { database: store.database, ttlDays: 7 })).ok).toBe(true);
    for (const table of expiring) expect(await engineOf(table), table).toContain('+ toIntervalDay(7)');
    expect((await migrate(store.client, { database: store.database, ttlDays: 0 })).ok).toBe(true);
    for (const table of expiring) expect(await engineOf(table), table).not.toContain('TTL');
    expect((await migrate(store.client, { database: store.database, ttlDays: 30 })).ok).toBe(true);
    for (const table of expiring) expect(await engineOf(table), table).toContain('+ toIntervalDay(30)');
    // The audit log and alerts never expire.
    expect(await engineOf('actions')).not.toContain('TTL');
    expect(await engineOf('alerts')).toMatch(/^ReplacingMergeTree\(version\)/);
  });

  it('applies only versions not yet recorded', async () => {
    const result = await migrate(store.client, {
      database: store.database,
      ttlDays: 30,
      migrations: [
        {
          version: 100,
          name: 'test: add a column',
          statements: ({ database }) => [`ALTER TABLE \`${database}\`.alerts ADD COLUMN IF NOT EXISTS note String DEFAULT ''`],
        },
      ],
    });
    expect(result.ok).toBe(true);
    expect((await columnsOf('alerts')).get('note')?.type).toBe('String');
    const versions = await select<{ version: number }>(`SELECT DISTINCT version FROM ${store.database}.schema_migrations ORDER BY version`);
    expect(versions.map((v) => Number(v.version))).toEqual([...MIGRATIONS.map((m) => m.version).sort((a, b) => a - b), 100]);
  });

  it('refuses a database name that is not a plain identifier', async () => {
    const result = await migrate(store.client, { database: 'x`; DROP DATABASE warden_schema; --', ttlDays: 30 });
    expect(result).toMatchObject({ ok: false, error: { code: 'WARDEN_CONFIG_INVALID' } });
  });

  it('reports a failing statement as WARDEN_STORE_SCHEMA', async () => {
    const result = await migrate(store.client, {
      database: store.database,
      ttlDays: 30,
      migrations: [{ version: 101, name: 'broken', statements: () => ['CREATE TABLE nonsense ('] }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'WARDEN_STORE_SCHEMA', retryable: false } });
    expect(result.ok === false && result.error.message).toContain('schema version 101 (broken)');
  });
});

describe('cluster DDL', () => {
  it('parses in the engine (EXPLAIN AST, nothing executed)', async () => {
    const ctx = { database: 'warden_cluster', ttlDays: 30, cluster: 'wc' };
    for (const statement of MIGRATIONS.flatMap((m) => m.statements(ctx))) {
      const result = await store.client.query({ query: `EXPLAIN AST ${statement}`, format: 'TabSeparated' });
      expect(await result.text(), statement).toMatch(/^"?(CreateQuery|AlterQuery) warden_cluster /);
    }
  });
});
