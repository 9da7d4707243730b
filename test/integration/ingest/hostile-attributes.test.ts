// Hostile attribute names and values end to end (issue "Bad input and security"): SQL and
// ClickHouse parameter syntax, quotes, backslashes, control characters and NUL, a 1 MiB value,
// nesting at the limit, invalid UTF-8 and lone surrogates, sent to a real Warden over OTLP/HTTP
// (protobuf and JSON) and read back through the REST API and from the table itself. Values must
// come back inert and exact, except where the spec forces a replacement: invalid UTF-8 in a
// protobuf string and a lone surrogate in JSON are stored as U+FFFD (wire-reader.ts, json-line.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';
import { TABLES } from '../../../src/store/table-names.ts';
import { SQL_FRAGMENTS } from '../../fuzz/hostile-text.ts';
import { anyValueFields, expectedAnyValue, type AnyModel } from '../../fuzz/otlp-model.ts';
import { encodeFields, pb, type PbField } from '../../fuzz/protobuf-encoder.ts';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

const MAX_BYTES = 4 * 1024 * 1024;
const DATABASE = 'warden';

const PROTO_TRACE = 'a1'.repeat(16);
const JSON_TRACE = 'b2'.repeat(16);
const AFTER_TRACE = 'c3'.repeat(16);
const LONG_TRACE = 'f7'.repeat(16);
/** Longer than fastify's default maxParamLength (100), within the API's own limit (512). */
const LONG_AGENT = `long-${'x'.repeat(195)}`;

/** An agent id made of everything that could break a query, a URL or a JSON line. */
const HOSTILE_AGENT = `'); DROP TABLE otel_traces; -- {name:String} \\' \\\\ "q" \`b\` \t\n\u0001\u0000 end`;
const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f\u0085\u2028\u2029';
const MEGABYTE = '{name:String}\'\\"'.repeat(65_536); // 16 characters x 65 536 = 1 MiB
const INVALID_UTF8 = Uint8Array.from([0x61, 0xff, 0x62, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x7a]);
const INVALID_UTF8_TEXT = Buffer.from(INVALID_UTF8).toString('utf8');

/** 32 containers (the documented maximum), kvlists inside arrays, ending in a SQL fragment. */
function deepValue(levels: number): AnyModel {
  let value: AnyModel = { type: 'string', value: SQL_FRAGMENTS[0] };
  for (let i = 0; i < levels; i++) {
    value = i % 2 === 0 ? { type: 'kvlist', value: [{ key: `'k${i}`, value }] } : { type: 'array', value: [value, { type: 'int', value: BigInt(i) }] };
  }
  return value;
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

function kv(key: string | Uint8Array, value: AnyModel | Uint8Array): PbField {
  const keyField = typeof key === 'string' ? pb.string(1, key) : pb.bytes(1, key);
  const valueFields = value instanceof Uint8Array ? [pb.bytes(1, value)] : anyValueFields(value);
  return pb.message(9, [keyField, pb.message(2, valueFields)]);
}

const str = (value: string): AnyModel => ({ type: 'string', value });

/** The protobuf span's attributes, and what each must read back as. */
const PROTO_ATTRIBUTES: [string | Uint8Array, AnyModel | Uint8Array, string][] = [
  ['agent.id', str(HOSTILE_AGENT), HOSTILE_AGENT],
  ['gen_ai.operation.name', str('execute_tool'), 'execute_tool'],
  ['gen_ai.tool.name', str(SQL_FRAGMENTS[0]), SQL_FRAGMENTS[0]],
  ...SQL_FRAGMENTS.map((f, i): [string, AnyModel, string] => [`sql.${i}`, str(f), f]),
  ...SQL_FRAGMENTS.map((f, i): [string, AnyModel, string] => [f, str(`value-${i}`), `value-${i}`]),
  ['control', str(CONTROL), CONTROL],
  [CONTROL, str('control key'), 'control key'],
  ['megabyte', str(MEGABYTE), MEGABYTE],
  ['deep', deepValue(32), JSON.stringify(expectedAnyValue(deepValue(32), 'protobuf'))],
  ['invalid.utf8', INVALID_UTF8, INVALID_UTF8_TEXT],
  [Uint8Array.from([0x6b, 0xff, 0xfe]), str('invalid key'), 'invalid key'],
  ['lone.surrogate', str('a\ud800b'), 'a\ufffdb'],
];

function protoRequest(traceId: string, spanName: Uint8Array, attributes: PbField[]): Uint8Array {
  const span = [
    pb.bytes(1, Buffer.from(traceId, 'hex')),
    pb.bytes(2, Buffer.from('0102030405060708', 'hex')),
    pb.bytes(5, spanName),
    pb.varint(6, 3),
    pb.fixed64(7, nowNs()),
    pb.fixed64(8, nowNs() + 1_000_000n),
    ...attributes,
    pb.message(15, [pb.string(2, SQL_FRAGMENTS[0]), pb.varint(3, 2)]),
  ];
  const resource = pb.message(1, [pb.message(1, [pb.string(1, 'service.name'), pb.message(2, [pb.string(1, `svc ${SQL_FRAGMENTS[0]}`)])])]);
  return encodeFields([pb.message(1, [resource, pb.message(2, [pb.message(1, [pb.string(1, '{scope:String}')]), pb.message(2, span)])])]).bytes;
}

const JSON_ATTRIBUTES: [string, unknown, string][] = [
  ['agent.id', { stringValue: `json ${HOSTILE_AGENT}` }, `json ${HOSTILE_AGENT}`],
  ['lone.surrogates', { stringValue: 'a\ud800b\udc00c\ud83d' }, 'a\ufffdb\ufffdc\ufffd'],
  ['\ud800key', { stringValue: 'v' }, 'v'],
  ['nul', { stringValue: 'a\u0000b' }, 'a\u0000b'],
  ['int.as.string', { intValue: '-9223372036854775808' }, '-9223372036854775808'],
  ['sql', { stringValue: SQL_FRAGMENTS[0] }, SQL_FRAGMENTS[0]],
  [SQL_FRAGMENTS[2], { stringValue: '{name:String}' }, '{name:String}'],
];

function jsonRequest(traceId: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-svc' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: '0a0b0c0d0e0f0102',
                name: `${SQL_FRAGMENTS[0]}\u0000\ud800`,
                kind: 1,
                startTimeUnixNano: String(nowNs()),
                endTimeUnixNano: String(nowNs() + 1_000_000n),
                attributes: JSON_ATTRIBUTES.map(([key, value]) => ({ key, value })),
              },
            ],
          },
        ],
      },
    ],
  });
}

interface StoredSpan {
  name: string;
  agent_id: string;
  tool_name: string;
  status_message: string;
  service_name: string;
  attributes: Record<string, string>;
}

let warden: TestWarden | undefined;
let dataDir: string;
const responses: Record<string, { status: number; body: string }> = {};

async function post(body: Uint8Array | string, type: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${warden!.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': type }, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, body: type === 'application/json' ? bytes.toString('utf8') : bytes.toString('latin1') };
}

async function storedTrace(traceId: string): Promise<StoredSpan[]> {
  return eventually(async () => {
    const response = await fetch(`${warden!.apiUrl}/api/v1/traces/${traceId}`);
    return response.status === 200 ? ((await response.json()) as { spans: StoredSpan[] }).spans : undefined;
  }, 15_000, `trace ${traceId}`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'warden-hostile-'));
  warden = await startTestWarden({ WARDEN_OTLP_MAX_REQUEST_BYTES: String(MAX_BYTES) }, dataDir);
  const spanName = Buffer.concat([Buffer.from(`${SQL_FRAGMENTS[0]} `), Buffer.from(INVALID_UTF8)]);
  responses['proto'] = await post(protoRequest(PROTO_TRACE, spanName, PROTO_ATTRIBUTES.map(([k, v]) => kv(k, v))), 'application/x-protobuf');
  responses['json'] = await post(jsonRequest(JSON_TRACE), 'application/json');
  responses['tooDeep'] = await post(protoRequest('d4'.repeat(16), Buffer.from('deep'), [kv('deep', deepValue(33))]), 'application/x-protobuf');
  responses['tooDeepJson'] = await post(
    JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'd5'.repeat(16), spanId: '0102030405060708', attributes: [{ key: 'deep', value: JSON.parse(JSON.stringify(deepJson(33))) }] }] }] }] }),
    'application/json',
  );
  responses['long'] = await post(protoRequest(LONG_TRACE, Buffer.from('long'), [kv('agent.id', str(LONG_AGENT))]), 'application/x-protobuf');
  responses['tooLarge'] = await post(protoRequest('e6'.repeat(16), Buffer.from('large'), [kv('huge', str('y'.repeat(MAX_BYTES + 1)))]), 'application/x-protobuf');
}, 120_000);

afterAll(async () => {
  await warden?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function deepJson(levels: number): unknown {
  let value: unknown = { stringValue: 'leaf' };
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { kvlistValue: { values: [{ key: 'k', value }] } } : { arrayValue: { values: [value] } };
  return value;
}

describe('hostile attribute values over OTLP/HTTP protobuf', () => {
  it('are accepted whole', () => {
    expect(responses['proto']?.status).toBe(200);
    expect(responses['json']?.status).toBe(200);
  });

  it('read back exactly through GET /api/v1/traces/{id}, invalid UTF-8 as U+FFFD', async () => {
    const [span] = await storedTrace(PROTO_TRACE);
    expect(span?.agent_id).toBe(HOSTILE_AGENT);
    expect(span?.tool_name).toBe(SQL_FRAGMENTS[0]);
    expect(span?.status_message).toBe(SQL_FRAGMENTS[0]);
    expect(span?.service_name).toBe(`svc ${SQL_FRAGMENTS[0]}`);
    expect(span?.name).toBe(`${SQL_FRAGMENTS[0]} ${INVALID_UTF8_TEXT}`);
    expect(INVALID_UTF8_TEXT).toBe('a\ufffdb\ufffd(\ufffd\ufffd\ufffd\ufffdz');
    for (const [key, , expected] of PROTO_ATTRIBUTES) {
      const name = typeof key === 'string' ? key : Buffer.from(key).toString('utf8');
      expect(span?.attributes[name], `attribute ${JSON.stringify(name)}`).toBe(expected);
    }
    expect(span?.attributes['k\ufffd\ufffd']).toBe('invalid key');
    expect(span?.attributes['megabyte']).toHaveLength(1024 * 1024);
  });

  it('list the hostile agent id exactly among the agents', async () => {
    const agents = await eventually(async () => {
      const list = (await (await fetch(`${warden!.apiUrl}/api/v1/agents`)).json()) as { agents: { id: string; spans_1h: number }[] };
      return list.agents.some((a) => a.id === HOSTILE_AGENT) ? list.agents : undefined;
    }, 15_000, 'hostile agent listed');
    expect(agents.find((a) => a.id === HOSTILE_AGENT)?.spans_1h).toBe(1);
    expect(agents.some((a) => a.id === `json ${HOSTILE_AGENT}`)).toBe(true);
  });

  it('find the hostile agent by id through GET /api/v1/agents/{id}', async () => {
    const response = await fetch(`${warden!.apiUrl}/api/v1/agents/${encodeURIComponent(HOSTILE_AGENT)}`);
    const body = (await response.json()) as { id?: string; message?: string };
    expect({ status: response.status, id: body.id ?? body.message }).toEqual({ status: 200, id: HOSTILE_AGENT });
  });
});

describe('agent ids longer than 100 characters', () => {
  it('are stored and listed', async () => {
    expect(responses['long']?.status).toBe(200);
    const [span] = await storedTrace(LONG_TRACE);
    expect(span?.agent_id).toBe(LONG_AGENT);
  });

  // Regression: fastify's default maxParamLength of 100 answered a longer path parameter with
  // 414 before the route ran, so such an agent could not be read, suspended or resumed by id.
  it('bug: GET /api/v1/agents/{id} did not find an agent whose id has 200 characters', async () => {
    const response = await fetch(`${warden!.apiUrl}/api/v1/agents/${encodeURIComponent(LONG_AGENT)}`);
    expect(response.status).toBe(200);
  });
});

describe('hostile attribute values over OTLP/JSON', () => {
  it('read back exactly, lone surrogates as U+FFFD', async () => {
    const [span] = await storedTrace(JSON_TRACE);
    expect(span?.name).toBe(`${SQL_FRAGMENTS[0]}\u0000\ufffd`);
    expect(span?.agent_id).toBe(`json ${HOSTILE_AGENT}`);
    for (const [key, , expected] of JSON_ATTRIBUTES) expect(span?.attributes[key.toWellFormed()], `attribute ${JSON.stringify(key)}`).toBe(expected);
  });
});

describe('requests refused as documented', () => {
  it('nesting one level past the limit: 400 naming the problem, in both encodings', () => {
    expect(responses['tooDeep']?.status).toBe(400);
    expect(responses['tooDeep']?.body).toContain('WARDEN_OTLP_BAD_PROTOBUF');
    expect(responses['tooDeep']?.body).toContain('AnyValue nested deeper than 32 levels');
    expect(responses['tooDeepJson']?.status).toBe(400);
    expect(responses['tooDeepJson']?.body).toContain('AnyValue nested deeper than 32 levels');
  });

  it('a body over otlp.maxRequestBytes: 413', () => {
    expect(responses['tooLarge']?.status).toBe(413);
    expect(responses['tooLarge']?.body).toContain('WARDEN_OTLP_TOO_LARGE');
  });

  it('refused traces were not stored', async () => {
    for (const id of ['d4'.repeat(16), 'd5'.repeat(16), 'e6'.repeat(16)]) {
      expect((await fetch(`${warden!.apiUrl}/api/v1/traces/${id}`)).status).toBe(404);
    }
  });
});

describe('afterwards', () => {
  it('Warden still accepts and serves a plain trace', async () => {
    const response = await post(protoRequest(AFTER_TRACE, Buffer.from('plain'), [kv('agent.id', str('plain-agent'))]), 'application/x-protobuf');
    expect(response.status).toBe(200);
    const [span] = await storedTrace(AFTER_TRACE);
    expect(span?.agent_id).toBe('plain-agent');
  });

  describe('the table itself, read after shutdown', () => {
    let client: ClickHouseClient;
    beforeAll(async () => {
      await warden!.shutdown();
      warden = undefined;
      client = openClickHouse({ database: DATABASE, dataDir });
    });
    afterAll(async () => {
      await client?.close();
    });

    async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
      return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
    }

    it('every table still exists and holds the spans', async () => {
      const tables = await rows<{ name: string }>('SELECT name FROM system.tables WHERE database = {db:String}', { db: DATABASE });
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(Object.values(TABLES)));
      const counts = await rows<{ TraceId: string; n: string }>(
        `SELECT TraceId, count() AS n FROM ${DATABASE}.${TABLES.spans} GROUP BY TraceId ORDER BY TraceId`,
      );
      expect(counts.map((c) => [c.TraceId, Number(c.n)])).toEqual([[PROTO_TRACE, 1], [JSON_TRACE, 1], [AFTER_TRACE, 1], [LONG_TRACE, 1]]);
    });

    it('stores the bytes exactly: agent id, NUL and control characters, U+FFFD for invalid UTF-8', async () => {
      const [row] = await rows<{ agent: string; control: string; invalid: string; lone: string; mega: string; deep: string }>(
        `SELECT hex(AgentId) AS agent, hex(SpanAttributes['control']) AS control, hex(SpanAttributes['invalid.utf8']) AS invalid,
                hex(SpanAttributes['lone.surrogate']) AS lone, length(SpanAttributes['megabyte']) AS mega, SpanAttributes['deep'] AS deep
         FROM ${DATABASE}.${TABLES.spans} WHERE TraceId = {trace:String}`,
        { trace: PROTO_TRACE },
      );
      const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex').toUpperCase();
      expect(row?.agent).toBe(hex(HOSTILE_AGENT));
      expect(row?.control).toBe(hex(CONTROL));
      expect(row?.invalid).toBe('61EFBFBD62EFBFBD28EFBFBDEFBFBDEFBFBDEFBFBD7A');
      expect(row?.lone).toBe(hex('a\ufffdb'));
      expect(Number(row?.mega)).toBe(1024 * 1024);
      expect(JSON.parse(row?.deep ?? '')).toEqual(expectedAnyValue(deepValue(32), 'protobuf'));
    });
  });
});
