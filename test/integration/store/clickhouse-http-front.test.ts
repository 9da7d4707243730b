import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ClickHouseError, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';
import { createStoreReader } from '../../../src/store/queries/store-reader.ts';
import { migrate } from '../../../src/store/schema/migrate.ts';
import { createSpanStore } from '../../../src/store/span-store.ts';
import { startClickHouseFront } from '../../helpers/start-clickhouse-front.ts';
import type { ClickHouseFront } from '../../helpers/start-clickhouse-front.ts';
import { agentSpan } from './fixtures/agent-span-fixture.ts';

// The front is a separate process running the real engine; this process only speaks HTTP to it,
// through the same @clickhouse/client Warden uses in server mode.
const PASSWORD = 'front-secret';

let dataDir: string;
let front: ClickHouseFront;
let client: ClickHouseClient;

function clientFor(url: string, extra: Parameters<typeof createClient>[0] = {}): ClickHouseClient {
  // The client logs every failed request; the failures here are the point of the tests.
  return createClient({ url, username: 'default', password: PASSWORD, log: { level: ClickHouseLogLevel.OFF }, ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'warden-ch-front-'));
  front = await startClickHouseFront({ dataDir, password: PASSWORD });
  client = clientFor(front.url);
  await client.command({ query: 'CREATE DATABASE IF NOT EXISTS front_test' });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS front_test.events
            (id UInt64, name String, tags Array(String), at DateTime64(9, 'UTC'))
            ENGINE = MergeTree ORDER BY id`,
  });
});

afterAll(async () => {
  await client?.close();
  await front?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function rows<T>(c: ClickHouseClient, query: string, query_params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await c.query({ query, query_params, format: 'JSONEachRow' });
  return result.json<T>();
}

describe('the ClickHouse HTTP front', () => {
  it('answers ping like a server', async () => {
    expect(await client.ping()).toEqual({ success: true });
    // ping({ select: true }) is a real query: GET /?query=SELECT 'ping', authenticated.
    expect(await client.ping({ select: true })).toEqual({ success: true });
    const raw = await fetch(`${front.url}/ping`);
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe('Ok.\n');
  });

  it('inserts row objects and reads them back with server-side parameters', async () => {
    const summary = await client.insert({
      table: 'front_test.events',
      values: [
        { id: 1, name: 'alpha', tags: ['a', "it's"], at: '2024-01-02 03:04:05.123456789' },
        { id: 2, name: 'beta', tags: [], at: '2024-01-02 03:04:06.000000001' },
      ],
      format: 'JSONEachRow',
    });
    expect(summary.executed).toBe(true);
    expect(summary.summary?.written_rows).toBe('2');

    const found = await rows<{ id: number; name: string; tags: string[]; at: string }>(
      client,
      'SELECT id, name, tags, at FROM front_test.events WHERE name = {name:String} AND has(tags, {tag:String}) ORDER BY id',
      { name: 'alpha', tag: "it's" },
    );
    expect(found).toEqual([{ id: 1, name: 'alpha', tags: ['a', "it's"], at: '2024-01-02 03:04:05.123456789' }]);
  });

  it('binds hostile string, array and null parameters as the server does', async () => {
    const hostile = "quote ' back\\slash \t tab \n newline {braces} 😀";
    const [row] = await rows<{ s: string; arr: string[]; n: number | null; len: number }>(
      client,
      'SELECT {s:String} AS s, {arr:Array(String)} AS arr, {n:Nullable(UInt8)} AS n, length({s:String}) AS len',
      { s: hostile, arr: [hostile, 'x'], n: null },
    );
    expect(row).toEqual({ s: hostile, arr: [hostile, 'x'], n: null, len: Buffer.byteLength(hostile) });
  });

  it('inserts a pre-serialized JSONEachRow body through exec, as Warden does', async () => {
    const body = Buffer.from(
      `${JSON.stringify({ id: 10, name: 'stream-1', tags: ['s'], at: '2024-02-01 00:00:00' })}\n` +
        `${JSON.stringify({ id: 11, name: 'stream-2', tags: [], at: '2024-02-01 00:00:01' })}\n`,
    );
    const result = await client.exec({ query: 'INSERT INTO front_test.events FORMAT JSONEachRow', values: Readable.from([body]) });
    result.stream.resume();
    expect(result.summary?.written_rows).toBe('2');

    // An empty batch inserts nothing and succeeds, as on a server.
    const empty = await client.exec({ query: 'INSERT INTO front_test.events FORMAT JSONEachRow', values: Readable.from([Buffer.alloc(0)]) });
    empty.stream.resume();

    const found = await rows<{ name: string }>(client, "SELECT name FROM front_test.events WHERE name LIKE 'stream-%' ORDER BY id");
    expect(found.map((r) => r.name)).toEqual(['stream-1', 'stream-2']);
  });

  it('round-trips gzip request and response bodies', async () => {
    const gzip = clientFor(front.url, { compression: { request: true, response: true } });
    try {
      await gzip.insert({
        table: 'front_test.events',
        values: [{ id: 20, name: 'gzipped', tags: ['z'], at: '2024-03-01 00:00:00' }],
        format: 'JSONEachRow',
      });
      const result = await gzip.query({ query: 'SELECT name FROM front_test.events WHERE id = {id:UInt64}', query_params: { id: 20 }, format: 'JSONEachRow' });
      expect(result.response_headers['content-encoding']).toBe('gzip');
      expect(await result.json()).toEqual([{ name: 'gzipped' }]);
    } finally {
      await gzip.close();
    }
  });

  it('applies clickhouse_settings to their own request only', async () => {
    const quoted = await client.query({
      query: 'SELECT toUInt64(18446744073709551615) AS big',
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
    });
    expect(await quoted.json()).toEqual([{ big: '18446744073709551615' }]);
    const plain = await rows<{ small: unknown }>(client, 'SELECT toUInt64(7) AS small');
    expect(plain).toEqual([{ small: 7 }]);
  });

  it('keeps concurrent requests from seeing each other settings', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const quote = i % 2 === 1 ? 1 : 0;
        const result = await client.query({
          query: 'SELECT toUInt64(42) AS v',
          format: 'JSONEachRow',
          clickhouse_settings: { output_format_json_quote_64bit_integers: quote },
        });
        return { quote, rows: await result.json<{ v: unknown }>() };
      }),
    );
    for (const { quote, rows: got } of results) expect(got).toEqual([{ v: quote === 1 ? '42' : 42 }]);
  });

  it('surfaces engine errors as ClickHouseError with the engine code and the server status', async () => {
    const syntax = await rejection(client.query({ query: 'SELEC 1' }));
    expect(syntax).toBeInstanceOf(ClickHouseError);
    expect(syntax).toMatchObject({ code: '62', type: 'SYNTAX_ERROR' });

    const unknownTable = await rejection(client.query({ query: 'SELECT * FROM front_test.missing' }));
    expect(unknownTable).toBeInstanceOf(ClickHouseError);
    expect(unknownTable).toMatchObject({ code: '60', type: 'UNKNOWN_TABLE' });

    const badRow = await rejection(
      client.insert({ table: 'front_test.events', values: [{ id: 'not a number', name: 'x', tags: [], at: '2024-01-01 00:00:00' }], format: 'JSONEachRow' }),
    );
    expect(badRow).toBeInstanceOf(ClickHouseError);
    expect((badRow as ClickHouseError).type).toMatch(/^CANNOT_PARSE/);

    const auth = `Basic ${Buffer.from(`default:${PASSWORD}`).toString('base64')}`;
    const raw = await fetch(`${front.url}/`, { method: 'POST', body: 'SELECT * FROM front_test.missing', headers: { Authorization: auth } });
    expect(raw.status).toBe(404);
    expect(raw.headers.get('x-clickhouse-exception-code')).toBe('60');
    expect(await raw.text()).toMatch(/^Code: 60\. DB::Exception: .*\(UNKNOWN_TABLE\) \(version [\d.]+\)\n$/s);
  });

  it('rejects a wrong password as the server does (516, 403)', async () => {
    const wrong = clientFor(front.url, { password: 'not-the-password' });
    try {
      const error = await rejection(wrong.query({ query: 'SELECT 1' }));
      expect(error).toBeInstanceOf(ClickHouseError);
      expect(error).toMatchObject({ code: '516', type: 'AUTHENTICATION_FAILED' });
      const insert = await rejection(wrong.insert({ table: 'front_test.events', values: [{ id: 99 }], format: 'JSONEachRow' }));
      expect(insert).toMatchObject({ code: '516' });
    } finally {
      await wrong.close();
    }
    const raw = await fetch(`${front.url}/?query=SELECT%201`, { headers: { 'X-ClickHouse-User': 'default', 'X-ClickHouse-Key': 'nope' } });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('x-clickhouse-exception-code')).toBe('516');
    // Nothing was written by the refused insert.
    expect(await rows(client, 'SELECT id FROM front_test.events WHERE id = 99')).toEqual([]);
  });

  it('refuses a body over the cap with 413 without reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${front.url}/?query=${encodeURIComponent('INSERT INTO front_test.events FORMAT JSONEachRow')}`, {
        method: 'POST',
        headers: { 'Content-Length': String(300 * 1024 * 1024), Authorization: `Basic ${Buffer.from(`default:${PASSWORD}`).toString('base64')}` },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it('keeps the data across a restart on the same data directory', async () => {
    await client.insert({ table: 'front_test.events', values: [{ id: 30, name: 'durable', tags: [], at: '2024-04-01 00:00:00' }], format: 'JSONEachRow' });
    await client.close();
    await front.stop();

    front = await startClickHouseFront({ dataDir, password: PASSWORD });
    client = clientFor(front.url);
    expect(await rows(client, 'SELECT name FROM front_test.events WHERE id = 30')).toEqual([{ name: 'durable' }]);
  });

  it('comes back with its data after being killed (SIGKILL)', async () => {
    await client.insert({ table: 'front_test.events', values: [{ id: 40, name: 'before-kill', tags: [], at: '2024-05-01 00:00:00' }], format: 'JSONEachRow' });
    front.kill();
    await front.stop();
    expect((await client.ping()).success).toBe(false);
    await client.close();

    front = await startClickHouseFront({ dataDir, password: PASSWORD });
    client = clientFor(front.url);
    expect(await rows(client, 'SELECT name FROM front_test.events WHERE id = 40')).toEqual([{ name: 'before-kill' }]);
  });

  it("runs Warden's own store over HTTP: migrations, a span insert and a trace read", async () => {
    const warden = openClickHouse({ url: front.url, username: 'default', password: PASSWORD, database: 'warden', dataDir });
    try {
      const migrated = await migrate(warden, { database: 'warden', ttlDays: 30 });
      expect(migrated).toEqual({ ok: true, value: undefined });
      // Running them again is a no-op, as at every Warden start.
      expect(await migrate(warden, { database: 'warden', ttlDays: 30 })).toEqual({ ok: true, value: undefined });
      const versions = await rows<{ n: string }>(warden, 'SELECT toString(count()) AS n FROM warden.schema_migrations');
      expect(Number(versions[0]?.n)).toBeGreaterThan(0);

      const spans = createSpanStore(warden, { database: 'warden' });
      if (!spans.ok) throw new Error(spans.error.message);
      const span = agentSpan({ traceId: '5bf92f3577b34da6a3ce929d0e0e4736', spanId: '10f067aa0ba902b7', name: "tool 'lookup'" });
      expect(spans.value.writeSpans([span])).toBe(true);
      await spans.value.shutdown();
      expect(spans.value.stats().spans).toMatchObject({ flushedRowsTotal: 1, rejectedRowsTotal: 0 });

      const reader = createStoreReader(warden, { database: 'warden' });
      if (!reader.ok) throw new Error(reader.error.message);
      const trace = await reader.value.getTrace(span.traceId);
      if (!trace.ok) throw new Error(trace.error.message);
      expect(trace.value).toHaveLength(1);
      expect(trace.value[0]).toMatchObject({ trace_id: span.traceId, span_id: span.spanId, name: "tool 'lookup'", agent_id: 'support-1', model: 'gpt-4o' });
    } finally {
      await warden.close();
    }
  });
});
