import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import { createStoreReader } from '../../../src/store/queries/store-reader.ts';
import type { StoreReader } from '../../../src/store/queries/store-reader.ts';
import { migrate } from '../../../src/store/schema/migrate.ts';
import { createSpanStore } from '../../../src/store/span-store.ts';
import { agentSpan, openTestStore } from './fixtures/agent-span-fixture.ts';

const HOSTILE = [
  "it's \"quoted\" \\ back\\slashed \\u0041 \\ud800",
  "'; DROP TABLE otel_traces; --",
  '\u0000\u0001\u0007\b\t\n\r\u001b\u001f\u007f end',
  '\u2028\u2029 emoji 😀 and CJK 漢字',
  '{"json":"looking"}\n{"second":"line"}',
];
const LONE_SURROGATES = 'a\ud800b\udc00c\ud83d';

const START = 1_700_000_000_123_456_789n;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function fullSpan(): AgentSpan {
  return agentSpan({
    traceId: TRACE,
    spanId: '00f067aa0ba902b7',
    parentSpanId: '53995c3f42cd8ad8',
    traceState: 'rojo=00f067aa0ba902b7',
    name: HOSTILE[0]!,
    spanKind: 3,
    startTimeUnixNano: START,
    durationNs: 987_654_321n,
    serviceName: 'support-bot',
    scopeName: '@ai-sdk/openai',
    scopeVersion: '1.2.3',
    resourceAttributes: { 'service.name': 'support-bot', 'host.cpu.count': 8, 'deployment.canary': false },
    attributes: {
      string: HOSTILE[1]!,
      int: 42,
      bigint: '9223372036854775807',
      double: 0.25,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      bool: true,
      empty: null,
      array: ['a', 1, true, null],
      kvlist: { nested: { deep: [1, 2] }, s: 'x' },
      control: HOSTILE[2]!,
      unicode: HOSTILE[3]!,
      jsonish: HOSTILE[4]!,
      lone: LONE_SURROGATES,
      'key "with" \\ quotes': 'v',
      ['__proto__']: 'own key',
    },
    events: [
      { timeUnixNano: START + 1n, name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': 'hello', n: 3 } },
      { timeUnixNano: START + 999_999_999n, name: 'exception', attributes: { 'exception.type': 'TimeoutError' } },
    ],
    links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceState: 'k=v', attributes: { 'link.kind': 'parent' } }],
    statusCode: 2,
    statusMessage: 'upstream timed out',
    agentId: 'support-1',
    agentIdSource: 'ancestor',
    agentName: 'Support One',
    agentRole: 'support-tier-1',
    sessionId: 'session-42',
    taskId: 'case-7',
    kind: 'tool',
    toolName: 'customer-lookup',
    toolArgsHash: 'sha256:abc123',
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 1234,
    outputTokens: 56,
    costUsd: 0.01234,
    dataClasses: ['customer_name', 'email'],
    dataAccess: 'read',
    target: 'crm.internal',
    delegationFrom: 'router-agent',
    actionTier: 'gated',
    approvalId: 'APR-1',
    confidence: 0.87,
    intent: LONE_SURROGATES,
    status: 'error',
    errorType: 'TimeoutError',
  });
}

let store: Awaited<ReturnType<typeof openTestStore>>;
let reader: StoreReader;

beforeAll(async () => {
  // No TTL: the fixed 2023 timestamps below would be expired, and ClickHouse drops a part
  // whose rows are all past their TTL right after the insert.
  store = await openTestStore('warden_rt_auto', 0);
  const second = await migrate(store.client, { database: 'warden_rt_client', ttlDays: 0 });
  if (!second.ok) throw new Error(second.error.message);
  const created = createStoreReader(store.client, { database: 'warden_rt_auto' });
  if (!created.ok) throw new Error(created.error.message);
  reader = created.value;
});
afterAll(async () => {
  await store?.close();
});

async function select<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await store.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

// The embedded engine's raw insert, and the client's exec path a ClickHouse server gets.
describe.each([
  ['auto', 'warden_rt_auto'],
  ['client', 'warden_rt_client'],
] as const)('a span written through the %s insert path', (insertPath, database) => {
  beforeAll(async () => {
    const spanStore = createSpanStore(store.client, { database, insertPath });
    if (!spanStore.ok) throw new Error(spanStore.error.message);
    expect(spanStore.value.writeSpans([fullSpan()])).toBe(true);
    await spanStore.value.shutdown();
    expect(spanStore.value.stats().spans).toMatchObject({ flushedRowsTotal: 1, queuedRows: 0, rejectedRowsTotal: 0 });
  });

  it('keeps the timestamps to the nanosecond', async () => {
    const [row] = await select<Record<string, unknown>>(
      `SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ts, toString(Duration) AS duration,
              arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS events
       FROM ${database}.otel_traces`,
    );
    expect(row).toEqual({
      ts: START.toString(),
      duration: '987654321',
      events: [(START + 1n).toString(), (START + 999_999_999n).toString()],
    });
  });

  it('stores the exporter columns as the exporter writes them', async () => {
    const [row] = await select<Record<string, unknown>>(
      `SELECT TraceId, SpanId, ParentSpanId, TraceState, SpanKind, StatusCode, StatusMessage, ServiceName,
              ScopeName, ScopeVersion, ResourceAttributes, Events.Name, Events.Attributes,
              Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes
       FROM ${database}.otel_traces`,
    );
    expect(row).toEqual({
      TraceId: TRACE,
      SpanId: '00f067aa0ba902b7',
      ParentSpanId: '53995c3f42cd8ad8',
      TraceState: 'rojo=00f067aa0ba902b7',
      SpanKind: 'Client',
      StatusCode: 'Error',
      StatusMessage: 'upstream timed out',
      ServiceName: 'support-bot',
      ScopeName: '@ai-sdk/openai',
      ScopeVersion: '1.2.3',
      ResourceAttributes: { 'service.name': 'support-bot', 'host.cpu.count': '8', 'deployment.canary': 'false' },
      'Events.Name': ['gen_ai.content.prompt', 'exception'],
      'Events.Attributes': [{ 'gen_ai.prompt': 'hello', n: '3' }, { 'exception.type': 'TimeoutError' }],
      'Links.TraceId': ['0af7651916cd43dd8448eb211c80319c'],
      'Links.SpanId': ['b7ad6b7169203331'],
      'Links.TraceState': ['k=v'],
      'Links.Attributes': [{ 'link.kind': 'parent' }],
    });
  });

  it('stores attributes of every value type as text, hostile strings inert', async () => {
    const [row] = await select<{ SpanName: string; SpanAttributes: Record<string, string> }>(
      `SELECT SpanName, SpanAttributes FROM ${database}.otel_traces`,
    );
    expect(row?.SpanName).toBe(HOSTILE[0]);
    const attributes = row?.SpanAttributes ?? {};
    expect(attributes['string']).toBe(HOSTILE[1]);
    expect(attributes['int']).toBe('42');
    expect(attributes['bigint']).toBe('9223372036854775807');
    expect(attributes['double']).toBe('0.25');
    expect(attributes['nan']).toBe('NaN');
    expect(attributes['inf']).toBe('Infinity');
    expect(attributes['bool']).toBe('true');
    expect(attributes['empty']).toBe('');
    expect(attributes['array']).toBe('["a",1,true,null]');
    expect(JSON.parse(attributes['kvlist'] ?? '')).toEqual({ nested: { deep: [1, 2] }, s: 'x' });
    expect(attributes['control']).toBe(HOSTILE[2]);
    expect(attributes['unicode']).toBe(HOSTILE[3]);
    expect(attributes['jsonish']).toBe(HOSTILE[4]);
    expect(attributes['lone']).toBe('a\ufffdb\ufffdc\ufffd');
    expect(attributes['key "with" \\ quotes']).toBe('v');
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('own key');
    // Nothing was executed: the table is still there with its one row.
    const [count] = await select<{ n: string }>(`SELECT toString(count()) AS n FROM ${database}.otel_traces`);
    expect(count?.n).toBe('1');
  });

  it('stores the typed agent columns', async () => {
    const [row] = await select<Record<string, unknown>>(
      `SELECT AgentId, AgentIdSource, AgentName, AgentRole, SessionId, TaskId, AgentKind, ToolName, ToolArgsHash,
              Model, Provider, toString(InputTokens) AS InputTokens, toString(OutputTokens) AS OutputTokens, CostUsd,
              DataClasses, DataAccess, Target, DelegationFrom, ActionTier, ApprovalId, Confidence, Intent,
              AgentStatus, ErrorType
       FROM ${database}.otel_traces`,
    );
    expect(row).toEqual({
      AgentId: 'support-1',
      AgentIdSource: 'ancestor',
      AgentName: 'Support One',
      AgentRole: 'support-tier-1',
      SessionId: 'session-42',
      TaskId: 'case-7',
      AgentKind: 'tool',
      ToolName: 'customer-lookup',
      ToolArgsHash: 'sha256:abc123',
      Model: 'gpt-4o',
      Provider: 'openai',
      InputTokens: '1234',
      OutputTokens: '56',
      CostUsd: 0.01234,
      DataClasses: ['customer_name', 'email'],
      DataAccess: 'read',
      Target: 'crm.internal',
      DelegationFrom: 'router-agent',
      ActionTier: 'gated',
      ApprovalId: 'APR-1',
      Confidence: 0.87,
      Intent: 'a\ufffdb\ufffdc\ufffd',
      AgentStatus: 'error',
      ErrorType: 'TimeoutError',
    });
  });

  it('fills the trace id lookup table', async () => {
    const rows = await select<{ TraceId: string; Start: number; End: number }>(
      `SELECT TraceId, toUnixTimestamp(min(Start)) AS Start, toUnixTimestamp(max(End)) AS End
       FROM ${database}.otel_traces_trace_id_ts GROUP BY TraceId`,
    );
    expect(rows).toEqual([{ TraceId: TRACE, Start: 1_700_000_000, End: 1_700_000_000 }]);
  });
});

describe('getTrace', () => {
  it('returns the stored spans of a trace with their agent fields', async () => {
    const result = await reader.getTrace(TRACE.toUpperCase());
    expect(result.ok).toBe(true);
    const spans = result.ok ? result.value : [];
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      trace_id: TRACE,
      span_id: '00f067aa0ba902b7',
      parent_span_id: '53995c3f42cd8ad8',
      name: HOSTILE[0],
      start: '2023-11-14T22:13:20.123456789Z',
      start_unix_nano: START.toString(),
      duration_ns: 987_654_321,
      service_name: 'support-bot',
      span_kind: 'Client',
      status_code: 'Error',
      agent_id: 'support-1',
      agent_name: 'Support One',
      session_id: 'session-42',
      kind: 'tool',
      tool_name: 'customer-lookup',
      tool_args_hash: 'sha256:abc123',
      model: 'gpt-4o',
      input_tokens: 1234,
      output_tokens: 56,
      cost_usd: 0.01234,
      status: 'error',
      error_type: 'TimeoutError',
      confidence: 0.87,
      data_classes: ['customer_name', 'email'],
      resource_attributes: { 'service.name': 'support-bot', 'host.cpu.count': '8', 'deployment.canary': 'false' },
      events: [
        { time: '2023-11-14T22:13:20.123456790Z', time_unix_nano: '1700000000123456790', name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': 'hello', n: '3' } },
        { time: '2023-11-14T22:13:21.123456788Z', time_unix_nano: '1700000001123456788', name: 'exception', attributes: { 'exception.type': 'TimeoutError' } },
      ],
    });
    expect(spans[0]?.attributes['string']).toBe(HOSTILE[1]);
  });

  it('returns the spans of a trace spread over hours, oldest first, and only that trace', async () => {
    const trace = 'aaaabbbbccccddddeeeeffff00001111';
    const base = 1_700_100_000_000_000_000n;
    const spanStore = createSpanStore(store.client, { database: 'warden_rt_auto' });
    if (!spanStore.ok) throw new Error(spanStore.error.message);
    const spans = [0n, 3_600n, 7_300n].map((seconds, i) =>
      agentSpan({ traceId: trace, spanId: `000000000000000${i + 1}`, startTimeUnixNano: base + seconds * 1_000_000_000n, name: `step ${i + 1}` }),
    );
    const other = agentSpan({ traceId: 'aaaabbbbccccddddeeeeffff00002222', spanId: '0000000000000009', startTimeUnixNano: base });
    expect(spanStore.value.writeSpans([spans[2]!, other, spans[0]!])).toBe(true);
    expect(spanStore.value.writeSpans([spans[1]!])).toBe(true);
    await spanStore.value.shutdown();

    const result = await reader.getTrace(trace);
    expect(result.ok && result.value.map((s) => s.name)).toEqual(['step 1', 'step 2', 'step 3']);
  });

  it('returns no spans for an unknown or malformed trace id', async () => {
    expect(await reader.getTrace('ffffffffffffffffffffffffffffffff')).toEqual({ ok: true, value: [] });
    expect(await reader.getTrace("' OR 1=1 --")).toEqual({ ok: true, value: [] });
  });
});
