import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import type { AgentReattribution } from '../../../src/normalizer/late-identity.ts';
import { createStoreReader } from '../../../src/store/queries/store-reader.ts';
import type { StoreReader } from '../../../src/store/queries/store-reader.ts';
import { createSpanStore } from '../../../src/store/span-store.ts';
import type { SpanStore } from '../../../src/store/span-store.ts';
import { NS_PER_MS, agentSpan, hexId, openTestStore } from './fixtures/agent-span-fixture.ts';

const NOW_MS = Date.now();
const TRACE = hexId(0xfeed, 32);
const ROOT = hexId(0x100, 16);
let store: Awaited<ReturnType<typeof openTestStore>>;
let reader: StoreReader;
let writer: SpanStore;

// What the normalizer stores for children exported before their agent span: the service.name
// fallback identity.
function orphan(spanId: string, overrides: Partial<AgentSpan>): AgentSpan {
  return agentSpan({
    traceId: TRACE,
    spanId,
    parentSpanId: ROOT,
    startTimeUnixNano: BigInt(NOW_MS - 60_000) * NS_PER_MS,
    agentId: 'billing-service',
    agentIdSource: 'service',
    agentName: '',
    agentRole: '',
    sessionId: '',
    ...overrides,
  });
}

function correction(span: AgentSpan): AgentReattribution {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    agentId: 'billing-agent',
    agentName: 'Billing agent',
    agentRole: 'billing',
    sessionId: 'conv-1',
    taskId: '',
    startTimeUnixNano: span.startTimeUnixNano,
  };
}

const llm = orphan(hexId(0x101, 16), { kind: 'llm', inputTokens: 1200, outputTokens: 300, costUsd: 0.0009 });
const tool = orphan(hexId(0x102, 16), { kind: 'tool', toolName: 'lookup_invoice', inputTokens: 0, outputTokens: 0, costUsd: 0 });
const root = agentSpan({
  traceId: TRACE,
  spanId: ROOT,
  startTimeUnixNano: BigInt(NOW_MS - 61_000) * NS_PER_MS,
  agentId: 'billing-agent',
  agentIdSource: 'span',
  agentName: 'Billing agent',
  agentRole: 'billing',
  sessionId: 'conv-1',
  kind: 'agent',
  inputTokens: 1200,
  outputTokens: 300,
  costUsd: 0.0009,
});

beforeAll(async () => {
  store = await openTestStore('warden_reattribution');
  const createdReader = createStoreReader(store.client, { database: 'warden_reattribution' });
  const createdWriter = createSpanStore(store.client, { database: 'warden_reattribution' });
  if (!createdReader.ok || !createdWriter.ok) throw new Error('store setup failed');
  reader = createdReader.value;
  writer = createdWriter.value;

  // Three requests, children first, as a simple span processor sends them.
  expect(writer.write([llm], [])).toBe(true);
  await writer.flush();
  expect(writer.write([tool], [])).toBe(true);
  expect(writer.write([root], [], [correction(llm), correction(tool)])).toBe(true);
  // A correction sent twice moves the usage once.
  expect(writer.write([], [], [correction(llm)])).toBe(true);
  await writer.flush();
});

afterAll(async () => {
  await writer?.shutdown();
  await store?.close();
});

describe('re-attributed spans', () => {
  it('show their corrected agent in the trace', async () => {
    const result = await reader.getTrace(TRACE);
    expect(result.ok).toBe(true);
    const spans = result.ok ? result.value : [];
    expect(spans.map((s) => [s.kind, s.agent_id, s.agent_name, s.session_id])).toEqual([
      ['agent', 'billing-agent', 'Billing agent', 'conv-1'],
      ['llm', 'billing-agent', 'Billing agent', 'conv-1'],
      ['tool', 'billing-agent', 'Billing agent', 'conv-1'],
    ]);
  });

  it('count for the agent they were re-attributed to, once', async () => {
    const result = await reader.getAgent('billing-agent', NOW_MS);
    expect(result).toMatchObject({
      ok: true,
      value: { id: 'billing-agent', name: 'Billing agent', role: 'billing', spans_1h: 3, input_tokens_1h: 1200, output_tokens_1h: 300 },
    });
    expect(result.ok && result.value?.cost_usd_1h).toBeCloseTo(0.0009, 12);
  });

  it('no longer make the fallback identity an agent', async () => {
    expect(await reader.getAgent('billing-service', NOW_MS)).toEqual({ ok: true, value: null });
    const list = await reader.listAgents(NOW_MS);
    expect(list.ok && list.value.map((a) => a.id)).toEqual(['billing-agent']);
  });

  it('are recorded even when the store no longer remembers the span', async () => {
    const forgotten = orphan(hexId(0x103, 16), { kind: 'tool', toolName: 'send_email' });
    const restarted = createSpanStore(store.client, { database: 'warden_reattribution' });
    if (!restarted.ok) throw new Error(restarted.error.message);
    expect(writer.write([forgotten], [])).toBe(true);
    await writer.flush();
    // A fresh store (a restart) has not seen the span: the trace view is still corrected.
    expect(restarted.value.write([], [], [correction(forgotten)])).toBe(true);
    await restarted.value.shutdown();
    const result = await reader.getTrace(TRACE);
    const span = result.ok ? result.value.find((s) => s.span_id === forgotten.spanId) : undefined;
    expect(span?.agent_id).toBe('billing-agent');
  });
});
