import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../../src/store/batch-writer.ts';
import type { FlushEvent } from '../../../src/store/batch-writer.ts';
import { createJsonInsert } from '../../../src/store/json-insert.ts';
import { outcomeToJsonLine } from '../../../src/store/outcome-row.ts';
import { createSpanStore } from '../../../src/store/span-store.ts';
import type { SpanStoreOptions } from '../../../src/store/span-store.ts';
import { agentSpan, hexId, openTestStore, outcome } from './fixtures/agent-span-fixture.ts';

let store: Awaited<ReturnType<typeof openTestStore>>;

beforeAll(async () => {
  store = await openTestStore('warden_writer');
});
afterAll(async () => {
  await store?.close();
});

async function count(table: string, where = '1'): Promise<number> {
  const result = await store.client.query({ query: `SELECT toString(count()) AS n FROM warden_writer.${table} WHERE ${where}`, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string }>();
  return Number(row?.n);
}

function spanStore(options: Partial<SpanStoreOptions> = {}) {
  const created = createSpanStore(store.client, { database: 'warden_writer', retry: { initialDelayMs: 20, maxDelayMs: 100 }, ...options });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the span store writer on the embedded engine', () => {
  it('writes a partial batch when the flush interval passes, without being asked', async () => {
    const writer = spanStore({ batchRows: 1000, flushIntervalMs: 50 });
    const spans = [1, 2, 3].map((i) => agentSpan({ traceId: hexId(1000 + i, 32), spanId: hexId(i, 16), agentId: 'timed' }));
    expect(writer.writeSpans(spans)).toBe(true);
    expect(writer.stats().spans.queuedRows).toBe(3);
    await waitFor(async () => (await count('otel_traces', "AgentId = 'timed'")) === 3);
    expect(writer.stats().spans).toMatchObject({ queuedRows: 0, flushedRowsTotal: 3, flushedBatchesTotal: 1 });
    await writer.shutdown();
  });

  it('refuses rows that do not fit while ClickHouse is down, and writes every accepted row once it is back', async () => {
    const writer = spanStore({ batchRows: 4, flushIntervalMs: 10, maxQueuedSpans: 10, maxQueuedOutcomes: 3 });
    // Take both tables away: inserts fail with UNKNOWN_TABLE, a retryable error.
    await store.client.command({ query: 'RENAME TABLE warden_writer.otel_traces TO warden_writer.otel_traces_away' });
    await store.client.command({ query: 'RENAME TABLE warden_writer.outcomes TO warden_writer.outcomes_away' });

    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 8; i++) {
      const spans = [0, 1, 2].map((j) => agentSpan({ traceId: hexId(2000 + i, 32), spanId: hexId(i * 10 + j, 16), agentId: 'pressured' }));
      if (writer.writeSpans(spans)) accepted += spans.length;
      else refused += spans.length;
    }
    // 10 rows fit: three offers of 3 (9 rows); the rest are refused whole, never split.
    expect(accepted).toBe(9);
    expect(refused).toBe(15);
    expect(writer.writeOutcomes([outcome({ agentId: 'pressured' }), outcome({ agentId: 'pressured' })])).toBe(true);
    expect(writer.writeOutcomes([outcome({ agentId: 'pressured' }), outcome({ agentId: 'pressured' })])).toBe(false);

    await waitFor(() => writer.stats().spans.failedFlushesTotal >= 2 && writer.stats().outcomes.failedFlushesTotal >= 2);
    const stats = writer.stats();
    expect(stats.spans).toMatchObject({ queuedRows: 9, capacityRows: 10, refusedRowsTotal: 15, flushedRowsTotal: 0 });
    expect(stats.outcomes).toMatchObject({ queuedRows: 2, capacityRows: 3, refusedRowsTotal: 2 });

    await store.client.command({ query: 'RENAME TABLE warden_writer.otel_traces_away TO warden_writer.otel_traces' });
    await store.client.command({ query: 'RENAME TABLE warden_writer.outcomes_away TO warden_writer.outcomes' });
    await writer.shutdown();

    expect(await count('otel_traces', "AgentId = 'pressured'")).toBe(9);
    expect(await count('outcomes', "agent_id = 'pressured'")).toBe(2);
    // The materialized views still follow the renamed-back table.
    expect(await count('agent_usage_1m', "AgentId = 'pressured'")).toBeGreaterThan(0);
    expect(writer.stats().spans).toMatchObject({ queuedRows: 0, flushedRowsTotal: 9, rejectedRowsTotal: 0 });
  });

  it('stores exactly the rows it accepted under a burst larger than its queue', async () => {
    const writer = spanStore({ batchRows: 500, flushIntervalMs: 20, maxQueuedSpans: 2000 });
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 40; round++) {
      const spans = Array.from({ length: 250 }, (_, i) =>
        agentSpan({ traceId: hexId(10_000 + round, 32), spanId: hexId(round * 1000 + i, 16), agentId: 'burst' }),
      );
      if (writer.writeSpans(spans)) accepted += spans.length;
      else refused += spans.length;
      if (round % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(refused).toBeGreaterThan(0);
    await writer.shutdown();
    expect(await count('otel_traces', "AgentId = 'burst'")).toBe(accepted);
    expect(writer.stats().spans).toMatchObject({ acceptedRowsTotal: accepted, refusedRowsTotal: refused, flushedRowsTotal: accepted });
  });

  it.each(['auto', 'client'] as const)('sets aside a row ClickHouse cannot parse and writes the rest of its batch (%s path)', async (path) => {
    const rejected: string[][] = [];
    const writer = createBatchWriter<number>({
      table: 'outcomes',
      // Row 3 is not a valid outcomes row: the engine refuses it, whatever the other rows are.
      serialize: (i) =>
        i === 3 ? '{"agent_id":"poison","time":"not a time"}' : outcomeToJsonLine(outcome({ agentId: `poison-test-${path}`, value: i })),
      insert: createJsonInsert(store.client, { database: 'warden_writer', table: 'outcomes', path }),
      batchRows: 100,
      onRejected: (lines) => rejected.push(lines),
    });
    expect(writer.offer([0, 1, 2, 3, 4, 5, 6, 7])).toBe(true);
    await writer.shutdown();
    expect(rejected).toEqual([['{"agent_id":"poison","time":"not a time"}']]);
    expect(writer.stats()).toMatchObject({ flushedRowsTotal: 7, rejectedRowsTotal: 1, queuedRows: 0 });
    expect(await count('outcomes', `agent_id = 'poison-test-${path}'`)).toBe(7);
  });

  it('reports every insert to onFlush', async () => {
    const events: FlushEvent[] = [];
    const writer = spanStore({ onFlush: (event) => events.push(event) });
    writer.writeSpans([agentSpan({ agentId: 'observed' }), agentSpan({ agentId: 'observed' })]);
    writer.writeOutcomes([outcome({ agentId: 'observed' })]);
    await writer.shutdown();
    expect(events.map(({ table, rows, ok }) => ({ table, rows, ok })).sort((a, b) => a.table.localeCompare(b.table))).toEqual([
      { table: 'otel_traces', rows: 2, ok: true },
      { table: 'outcomes', rows: 1, ok: true },
    ]);
    expect(events.every((event) => event.latencyMs >= 0)).toBe(true);
  });

  it('refuses everything after shutdown', async () => {
    const writer = spanStore();
    await writer.shutdown();
    expect(writer.writeSpans([agentSpan()])).toBe(false);
    expect(writer.writeOutcomes([outcome()])).toBe(false);
  });
});
