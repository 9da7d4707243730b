import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import { createStoreReader } from '../../../src/store/queries/store-reader.ts';
import type { StoreReader } from '../../../src/store/queries/store-reader.ts';
import { createSpanStore } from '../../../src/store/span-store.ts';
import type { SpanStore } from '../../../src/store/span-store.ts';
import { NS_PER_MS, agentSpan, hexId, openTestStore, outcome } from './fixtures/agent-span-fixture.ts';

const NOW_MS = Date.now();
const MINUTE_MS = 60_000;
let store: Awaited<ReturnType<typeof openTestStore>>;
let reader: StoreReader;
let writer: SpanStore;
let nextSpan = 1;

function at(msAgo: number, overrides: Partial<AgentSpan>): AgentSpan {
  return agentSpan({ spanId: hexId(nextSpan++, 16), startTimeUnixNano: BigInt(NOW_MS - msAgo) * NS_PER_MS, ...overrides });
}

beforeAll(async () => {
  store = await openTestStore('warden_agents');
  const createdReader = createStoreReader(store.client, { database: 'warden_agents' });
  const createdWriter = createSpanStore(store.client, { database: 'warden_agents' });
  if (!createdReader.ok || !createdWriter.ok) throw new Error('store setup failed');
  reader = createdReader.value;
  writer = createdWriter.value;

  const vercel = { agentId: 'vercel-agent', agentName: 'Vercel Agent', agentRole: 'researcher' };
  const t1 = hexId(0xa1, 32);
  const t2 = hexId(0xa2, 32);
  // Trace 1, children first (as SDKs export them): two LLM calls and a tool call...
  expect(
    writer.writeSpans([
      at(10 * MINUTE_MS, { ...vercel, traceId: t1, kind: 'llm', name: 'ai.generateText.doGenerate', inputTokens: 100, outputTokens: 20, costUsd: 0.01 }),
      at(9 * MINUTE_MS, { ...vercel, traceId: t1, kind: 'tool', name: 'ai.toolCall', toolName: 'search', inputTokens: 0, outputTokens: 0, costUsd: 0 }),
      at(8 * MINUTE_MS, { ...vercel, traceId: t1, kind: 'llm', name: 'ai.generateText.doGenerate', inputTokens: 200, outputTokens: 40, costUsd: 0.02 }),
    ]),
  ).toBe(true);
  await writer.flush();
  // ...then, in a later insert, the agent span reporting the sum of its children.
  expect(
    writer.writeSpans([at(10 * MINUTE_MS, { ...vercel, traceId: t1, kind: 'agent', name: 'ai.generateText', inputTokens: 300, outputTokens: 60, costUsd: 0.03 })]),
  ).toBe(true);
  // Trace 2 has usage only on its agent span: that usage counts.
  expect(
    writer.writeSpans([at(5 * MINUTE_MS, { ...vercel, traceId: t2, kind: 'agent', name: 'invoke_agent', inputTokens: 50, outputTokens: 5, costUsd: 0.005 })]),
  ).toBe(true);

  // An agent whose name changed, then sent spans without one.
  const plain = { agentId: 'plain-agent', traceId: hexId(0xb1, 32), kind: 'llm' as const, inputTokens: 10, outputTokens: 1, costUsd: 0.001 };
  expect(
    writer.writeSpans([
      at(30 * MINUTE_MS, { ...plain, agentName: 'Old name', agentRole: 'old-role' }),
      at(20 * MINUTE_MS, { ...plain, agentName: 'New name', agentRole: 'new-role' }),
      at(1 * MINUTE_MS, { ...plain, agentName: '', agentRole: '' }),
    ]),
  ).toBe(true);
  // An agent seen only two hours ago, and spans with no agent at all.
  expect(writer.writeSpans([at(120 * MINUTE_MS, { agentId: 'quiet-agent', agentName: 'Quiet', traceId: hexId(0xc1, 32) })])).toBe(true);
  expect(writer.writeSpans([at(2 * MINUTE_MS, { agentId: '', agentName: '', traceId: hexId(0xd1, 32) })])).toBe(true);

  expect(
    writer.writeOutcomes([
      outcome({ agentId: 'vercel-agent', traceId: t1, name: 'answer_accepted', value: 1, success: true, timeUnixNano: BigInt(NOW_MS - 60_000) * NS_PER_MS + 123n }),
      outcome({ agentId: 'vercel-agent', traceId: t2, name: 'answer_accepted', value: 0, success: false, timeUnixNano: BigInt(NOW_MS - 30_000) * NS_PER_MS }),
      outcome({ agentId: 'plain-agent', name: 'csat', value: 4.5, success: null, attributes: { channel: 'chat', score: 4.5 } }),
    ]),
  ).toBe(true);
  await writer.shutdown();
});

afterAll(async () => {
  await store?.close();
});

describe('listAgents', () => {
  it('lists every agent with an id, most recently seen first', async () => {
    const result = await reader.listAgents(NOW_MS);
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.map((a) => a.id)).toEqual(['plain-agent', 'vercel-agent', 'quiet-agent']);
  });

  it('counts the tokens and cost of an agent span once: only for a trace without LLM spans', async () => {
    const result = await reader.listAgents(NOW_MS);
    const vercel = result.ok ? result.value.find((a) => a.id === 'vercel-agent') : undefined;
    expect(vercel).toMatchObject({ name: 'Vercel Agent', role: 'researcher', spans_1h: 5, input_tokens_1h: 350, output_tokens_1h: 65 });
    expect(vercel?.cost_usd_1h).toBeCloseTo(0.035, 10);
    expect(vercel?.last_seen).toBe(new Date(NOW_MS - 5 * MINUTE_MS).toISOString().replace('Z', '000000Z'));
  });

  it('names an agent by its latest non-empty name and role', async () => {
    const result = await reader.getAgent('plain-agent', NOW_MS);
    expect(result).toMatchObject({
      ok: true,
      value: { id: 'plain-agent', name: 'New name', role: 'new-role', spans_1h: 3, input_tokens_1h: 30, output_tokens_1h: 3 },
    });
  });

  it('keeps an agent idle for the last hour, with zero usage', async () => {
    const result = await reader.getAgent('quiet-agent', NOW_MS);
    expect(result).toMatchObject({ ok: true, value: { name: 'Quiet', spans_1h: 0, input_tokens_1h: 0, output_tokens_1h: 0, cost_usd_1h: 0 } });
  });

  it('moves the hour window with now', async () => {
    const result = await reader.getAgent('quiet-agent', NOW_MS - 100 * MINUTE_MS);
    expect(result).toMatchObject({ ok: true, value: { spans_1h: 1, input_tokens_1h: 100 } });
  });

  it('returns null for an unknown agent, whatever its id holds', async () => {
    expect(await reader.getAgent('nobody', NOW_MS)).toEqual({ ok: true, value: null });
    expect(await reader.getAgent("x' OR '1'='1", NOW_MS)).toEqual({ ok: true, value: null });
    expect(await reader.getAgent('', NOW_MS)).toEqual({ ok: true, value: null });
  });
});

describe('listOutcomes', () => {
  it('lists outcomes newest first, filtered by agent or trace', async () => {
    const all = await reader.listOutcomes({ limit: 10 });
    expect(all.ok && all.value.map((o) => o.name)).toEqual(['csat', 'answer_accepted', 'answer_accepted']);

    const vercel = await reader.listOutcomes({ agentId: 'vercel-agent', limit: 10 });
    expect(vercel.ok && vercel.value.map((o) => o.success)).toEqual([false, true]);

    const byTrace = await reader.listOutcomes({ traceId: hexId(0xa1, 32).toUpperCase() });
    expect(byTrace.ok && byTrace.value).toHaveLength(1);
    const first = byTrace.ok ? byTrace.value[0] : undefined;
    expect(first?.ts_unix_nano).toBe((BigInt(NOW_MS - 60_000) * NS_PER_MS + 123n).toString());
    expect(first?.ts).toMatch(/\.\d{6}123Z$/);

    const plain = await reader.listOutcomes({ agentId: 'plain-agent' });
    expect(plain.ok && plain.value[0]).toMatchObject({ value: 4.5, success: null, source: 'api', attributes: { channel: 'chat', score: '4.5' } });

    const limited = await reader.listOutcomes({ limit: 1 });
    expect(limited.ok && limited.value).toHaveLength(1);
  });
});
