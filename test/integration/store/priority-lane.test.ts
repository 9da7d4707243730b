import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstRecord } from '../../../src/delivery/next-record.ts';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';
import { createJsonInsert } from '../../../src/store/json-insert.ts';
import { createOutboxStore } from '../../../src/store/outbox-store.ts';
import { migrate } from '../../../src/store/schema/migrate.ts';
import { spanToJsonLine } from '../../../src/store/span-row.ts';
import { TABLES } from '../../../src/store/table-names.ts';
import { agentSpan, hexId } from './fixtures/agent-span-fixture.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DATABASE = 'warden_lane';

async function open(dataDir: string) {
  const client = openClickHouse({ database: DATABASE, dataDir });
  const migrated = await migrate(client, { database: DATABASE, ttlDays: 30 });
  if (!migrated.ok) throw new Error(migrated.error.message);
  const outbox = createOutboxStore(client, DATABASE, 'default');
  if (!outbox.ok) throw new Error(outbox.error.message);
  return { client, outbox: outbox.value };
}

const delivery = (id: string) => firstRecord(id, { destination: 'suspend', payload: '{"type":"agent.suspend"}', idempotencyKey: id }, Date.now(), Date.now() * 1000);

async function outboxIds(client: Awaited<ReturnType<typeof open>>['client']): Promise<string[]> {
  const result = await client.query({ query: `SELECT id FROM ${DATABASE}.delivery_outbox ORDER BY id`, format: 'JSONEachRow' });
  return (await result.json<{ id: string }>()).map((row) => row.id);
}

describe('the priority lane of the embedded engine (outbox and actions log writes)', () => {
  it('writes an outbox row while a large span insert is still running, instead of after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-lane-'));
    const { client, outbox } = await open(dir);
    try {
      const lines = Array.from({ length: 30_000 }, (_, i) => spanToJsonLine(agentSpan({ traceId: hexId(i, 32), spanId: hexId(i, 16), name: `span ${i} ${'x'.repeat(800)}` })));
      const spans = createJsonInsert(client, { database: DATABASE, table: TABLES.spans });
      const order: string[] = [];
      const bulk = spans(Buffer.from(`${lines.join('\n')}\n`)).then((result) => {
        order.push('spans');
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const written = await outbox.write(delivery('lane-1'));
      order.push('outbox');
      expect(written.ok).toBe(true);
      expect((await bulk).ok).toBe(true);
      // On the shared connection the one-row write would queue behind the 30 000-row insert.
      expect(order).toEqual(['outbox', 'spans']);
      // Written through the lane, read through the client: one engine, one set of tables.
      expect(await outboxIds(client)).toEqual(['lane-1']);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes with its client, so the process can open another data directory afterwards', async () => {
    const first = mkdtempSync(join(tmpdir(), 'warden-lane-'));
    const second = mkdtempSync(join(tmpdir(), 'warden-lane-'));
    try {
      const a = await open(first);
      expect((await a.outbox.write(delivery('in-first'))).ok).toBe(true);
      await a.client.close();
      const b = await open(second);
      expect((await b.outbox.write(delivery('in-second'))).ok).toBe(true);
      expect(await outboxIds(b.client)).toEqual(['in-second']);
      await b.client.close();
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });
});
