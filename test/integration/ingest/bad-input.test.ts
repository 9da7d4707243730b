import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

const MAX_BYTES = 256 * 1024;
const TOKEN = 'ingest-secret-1';
let warden: TestWarden;

beforeAll(async () => {
  warden = await startTestWarden({ WARDEN_OTLP_MAX_REQUEST_BYTES: String(MAX_BYTES), WARDEN_INGEST_TOKENS: `other-token,${TOKEN}` });
});

afterAll(async () => {
  await warden?.stop();
});

function goodTraceJson(traceId: string, agentId: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bad-input-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId,
                spanId: '1122334455667788',
                name: 'execute_tool search',
                kind: 1,
                startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                endTimeUnixNano: String(BigInt(Date.now() + 5) * 1_000_000n),
                attributes: [
                  { key: 'agent.id', value: { stringValue: agentId } },
                  { key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } },
                  { key: 'gen_ai.tool.name', value: { stringValue: 'search' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}

async function post(body: Uint8Array | string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${warden.httpUrl}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });
}

/** After every bad request, a good one still goes through and is stored. */
async function expectStillServing(label: string): Promise<void> {
  const traceId = Buffer.from(label.padEnd(16, '.').slice(0, 16)).toString('hex');
  const response = await post(goodTraceJson(traceId, `agent-after-${label}`), { 'content-type': 'application/json' });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
  await eventually(async () => {
    const stored = await fetch(`${warden.apiUrl}/api/v1/traces/${traceId}`);
    return stored.status === 200 ? true : undefined;
  }, 10_000, `trace after ${label}`);
}

describe('OTLP/HTTP bad input', () => {
  it('answers garbage protobuf with 400 and a google.rpc.Status naming the problem', async () => {
    const response = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(body).toContain('WARDEN_OTLP_BAD_PROTOBUF');
    await expectStillServing('garbage-proto');
  });

  it('answers truncated JSON with 400 in JSON', async () => {
    const full = goodTraceJson('0af7651916cd43dd8448eb211c80319c', 'truncated');
    const response = await post(full.slice(0, full.length / 2), { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: number; message: string };
    expect(body.message).toContain('WARDEN_OTLP_BAD_JSON');
    await expectStillServing('truncated-json');
  });

  it('answers a wrong content type with 415', async () => {
    const response = await post('hello', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toContain('application/x-protobuf or application/json');
    await expectStillServing('wrong-type');
  });

  it('answers an oversize body with 413', async () => {
    const response = await post(Buffer.alloc(MAX_BYTES + 1, 0x20), { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    await expectStillServing('oversize');
  });

  it('answers a gzip bomb (small compressed, huge inflated) with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    const response = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toContain('decompressed');
    await expectStillServing('gzip-bomb');
  });

  it('accepts a gzip body within the limit', async () => {
    const traceId = 'ab'.repeat(16);
    const response = await post(gzipSync(goodTraceJson(traceId, 'gzip-agent')), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
  });

  it('answers a wrong or missing token with 401', async () => {
    const wrong = await fetch(`${warden.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: goodTraceJson('cd'.repeat(16), 'x'),
    });
    expect(wrong.status).toBe(401);
    const missing = await fetch(`${warden.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: goodTraceJson('cd'.repeat(16), 'x'),
    });
    expect(missing.status).toBe(401);
    await expectStillServing('wrong-token');
  });

  it('rejects spans without valid ids through partial success, keeping the rest', async () => {
    const request = JSON.parse(goodTraceJson('ef'.repeat(16), 'partial-agent')) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
    };
    const spans = request.resourceSpans[0]!.scopeSpans[0]!.spans;
    spans.push({ ...spans[0], traceId: 'not-hex', spanId: '99' });
    const response = await post(JSON.stringify(request), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string | number; errorMessage: string } };
    expect(Number(body.partialSuccess.rejectedSpans)).toBe(1);
    expect(body.partialSuccess.errorMessage).toMatch(/trace_id|span_id/);
  });
});

describe('OTLP/gRPC bad input', () => {
  const TraceClient = grpc.makeGenericClientConstructor(
    {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: (value: Buffer) => value,
        requestDeserialize: (value: Buffer) => value,
        responseSerialize: (value: Buffer) => value,
        responseDeserialize: (value: Buffer) => value,
      },
    },
    'TraceService',
  );

  function exportRaw(bytes: Buffer, token: string | null): Promise<{ code: number; details: string }> {
    const client = new TraceClient(`127.0.0.1:${warden.otlpGrpc.port}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) => {
      (client as unknown as { Export: (b: Buffer, m: grpc.Metadata, cb: (e: grpc.ServiceError | null) => void) => void }).Export(bytes, metadata, (error) => {
        client.close();
        resolve({ code: error?.code ?? 0, details: error?.details ?? '' });
      });
    });
  }

  it('answers garbage protobuf with INVALID_ARGUMENT', async () => {
    const result = await exportRaw(Buffer.from([0x0a, 0x05, 0x01]), TOKEN);
    expect(result.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(result.details).toContain('WARDEN_OTLP_BAD_PROTOBUF');
    await expectStillServing('grpc-garbage');
  });

  it('answers a wrong token with UNAUTHENTICATED and an empty request with OK', async () => {
    expect((await exportRaw(Buffer.alloc(0), 'wrong')).code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await exportRaw(Buffer.alloc(0), TOKEN)).code).toBe(grpc.status.OK);
  });

  it('answers a message over the limit with RESOURCE_EXHAUSTED', async () => {
    const result = await exportRaw(Buffer.alloc(MAX_BYTES + 10, 0), TOKEN);
    expect(result.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await expectStillServing('grpc-oversize');
  });
});
