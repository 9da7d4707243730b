import { Writer } from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeLogsRequestJson, decodeTraceRequestJson } from '../../../src/otlp/decode-json.ts';
import { decodeLogsRequestProto, decodeTraceRequestProto } from '../../../src/otlp/decode-proto.ts';
import type { LogsRequest, Span, TraceRequest } from '../../../src/otlp/otlp-types.ts';
import type { SdkLogs, SdkTraces } from './sdk-requests.ts';
import { RESOURCE_ATTRIBUTES, sdkLogs, sdkTraces } from './sdk-requests.ts';

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function protoError(bytes: Uint8Array): string {
  const result = decodeTraceRequestProto(bytes);
  expect(result.ok).toBe(false);
  if (result.ok) return '';
  expect(result.error.code).toBe('WARDEN_OTLP_BAD_PROTOBUF');
  return result.error.message;
}

function spansOf(request: TraceRequest): Span[] {
  return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

/** ExportTraceServiceRequest{resource_spans{scope_spans{spans{<span bytes>}}}}. */
function wrapSpan(span: Uint8Array): Uint8Array {
  const scopeSpans = Writer.create().uint32(0x12).bytes(span).finish();
  const resourceSpans = Writer.create().uint32(0x12).bytes(scopeSpans).finish();
  return Writer.create().uint32(0x0a).bytes(resourceSpans).finish();
}

/** A span whose one attribute `k` holds `any` (AnyValue bytes). */
function spanWithAnyValue(any: Uint8Array): Uint8Array {
  const keyValue = Writer.create().uint32(0x0a).string('k').uint32(0x12).bytes(any).finish();
  return wrapSpan(Writer.create().uint32(0x4a).bytes(keyValue).finish());
}

function nestedArrays(levels: number): Uint8Array {
  let any = Writer.create().uint32(0x0a).string('leaf').finish();
  for (let i = 0; i < levels; i++) {
    const array = Writer.create().uint32(0x0a).bytes(any).finish();
    any = Writer.create().uint32(0x2a).bytes(array).finish();
  }
  return any;
}

describe('protobuf and JSON from the OpenTelemetry JS SDK decode to the same TraceRequest', () => {
  let sdk: SdkTraces;
  let fromProto: TraceRequest;
  beforeAll(async () => {
    sdk = await sdkTraces();
    fromProto = value(decodeTraceRequestProto(sdk.protobuf));
  });

  it('is identical for both encodings', () => {
    expect(value(decodeTraceRequestJson(sdk.json))).toEqual(fromProto);
  });

  it('keeps resource and scope', () => {
    expect(fromProto.resourceSpans).toHaveLength(1);
    expect(fromProto.resourceSpans[0]?.resource).toEqual(RESOURCE_ATTRIBUTES);
    expect(fromProto.resourceSpans[0]?.scopeSpans[0]?.scope).toEqual({ name: 'warden-round-trip', version: '1.2.3', attributes: {} });
  });

  it('keeps ids, times, kind, status, events and links', () => {
    const [root, child] = [sdk.spans[1], sdk.spans[0]];
    const spans = spansOf(fromProto);
    const decodedChild = spans.find((s) => s.name === 'execute_tool get_weather');
    const decodedRoot = spans.find((s) => s.name === 'invoke_agent weather');
    expect(decodedRoot).toMatchObject({
      traceId: root?.spanContext().traceId,
      spanId: root?.spanContext().spanId,
      parentSpanId: '',
      kind: 2,
      startTimeUnixNano: 1795440518512000001n,
      endTimeUnixNano: 1795440519000000000n,
      status: { code: 1, message: '' },
    });
    expect(decodedChild).toMatchObject({
      traceId: child?.spanContext().traceId,
      spanId: child?.spanContext().spanId,
      parentSpanId: root?.spanContext().spanId,
      kind: 3,
      startTimeUnixNano: 1795440518600000000n,
      endTimeUnixNano: 1795440518700000000n,
      status: { code: 2, message: 'tool failed' },
      events: [
        { timeUnixNano: 1795440518650000000n, name: 'gen_ai.choice', attributes: { 'gen_ai.choice.index': 0, finish: 'stop' } },
        { timeUnixNano: 1795440518660000000n, name: 'no-attributes', attributes: {} },
      ],
      links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceState: '', attributes: { 'link.reason': 'retry-of' } }],
    });
  });

  it('keeps attributes of every AnyValue type', () => {
    const child = spansOf(fromProto).find((s) => s.name === 'execute_tool get_weather');
    expect(child?.attributes).toEqual({
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.request.temperature': 0.25,
      'gen_ai.request.stream': false,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      'agent.scores': [1, 2, 3],
      'agent.flags': [true, false],
      'agent.empty': '',
      'gen_ai.input.messages': { role: 'user', parts: [{ type: 'text', content: 'hi' }, 7, 2.5, false] },
      'payload.bytes': Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
      'nested.empty': {},
    });
  });
});

describe('logs from the OpenTelemetry JS SDK', () => {
  let sdk: SdkLogs;
  let fromProto: LogsRequest;
  beforeAll(async () => {
    sdk = await sdkLogs();
    fromProto = value(decodeLogsRequestProto(sdk.protobuf));
  });

  it('decode to the same LogsRequest from protobuf and JSON', () => {
    expect(value(decodeLogsRequestJson(sdk.json))).toEqual(fromProto);
  });

  it('keep every field', () => {
    const scopeLogs = fromProto.resourceLogs[0]?.scopeLogs[0];
    expect(fromProto.resourceLogs[0]?.resource).toEqual({ 'service.name': 'round-trip-logs' });
    expect(scopeLogs?.scope).toEqual({ name: 'warden-logs', version: '0.0.1', attributes: {} });
    expect(scopeLogs?.logRecords).toEqual([
      {
        timeUnixNano: 1795440518513000000n,
        observedTimeUnixNano: 1795440518515000000n,
        severityNumber: 9,
        severityText: 'INFO',
        body: { content: 'Compare the weather', tool_calls: [{ id: 'call_1', args: { city: 'Paris' } }], raw: 'CQg=' },
        attributes: { 'gen_ai.system': 'openai', 'event.count': 3, 'nested.map': { a: [1, 'b'] } },
        traceId: sdk.traceId,
        spanId: sdk.spanId,
        eventName: 'gen_ai.user.message',
      },
      expect.objectContaining({ body: 'plain text body', severityNumber: 13, timeUnixNano: 1795440520000000000n, traceId: '', spanId: '', eventName: '' }),
    ]);
  });
});

describe('protobuf value rules', () => {
  it('keeps int64 beyond the safe range as a decimal string and negatives as numbers', () => {
    const cases: [string | number, unknown][] = [
      ['9223372036854775807', '9223372036854775807'],
      ['-9223372036854775808', '-9223372036854775808'],
      [-1, -1],
      [2 ** 53 - 1, 2 ** 53 - 1],
      ['9007199254740993', '9007199254740993'],
      [0, 0],
    ];
    for (const [input, expected] of cases) {
      const any = Writer.create().uint32(0x18).int64(input).finish();
      expect(spansOf(value(decodeTraceRequestProto(spanWithAnyValue(any))))[0]?.attributes['k']).toBe(expected);
    }
  });

  it('empties ids of the wrong length or all zero', () => {
    const span = Writer.create()
      .uint32(0x0a).bytes(new Uint8Array(15).fill(1))
      .uint32(0x12).bytes(new Uint8Array([0xab, 0xcd, 0xef, 0, 0, 0, 0, 1]))
      .uint32(0x22).bytes(new Uint8Array(8))
      .finish();
    expect(spansOf(value(decodeTraceRequestProto(wrapSpan(span))))[0]).toMatchObject({ traceId: '', spanId: 'abcdef0000000001', parentSpanId: '' });
  });

  it('skips unknown fields of every wire type, groups included, and Profiles-only strindex fields', () => {
    const span = Writer.create()
      .uint32(0x2a).string('named')
      .uint32((100 << 3) | 0).uint64('18446744073709551615')
      .uint32((101 << 3) | 1).fixed64(5)
      .uint32((102 << 3) | 2).bytes(new Uint8Array([1, 2, 3]))
      .uint32((103 << 3) | 5).fixed32(7)
      .uint32((104 << 3) | 3).uint32((1 << 3) | 0).uint32(1).uint32((105 << 3) | 3).uint32((105 << 3) | 4).uint32((104 << 3) | 4)
      .uint32(16 << 3 | 5).fixed32(0x301) // flags
      .finish();
    expect(spansOf(value(decodeTraceRequestProto(wrapSpan(span))))[0]?.name).toBe('named');
    const strindex = Writer.create().uint32((8 << 3) | 0).int32(4).finish();
    expect(spansOf(value(decodeTraceRequestProto(spanWithAnyValue(strindex))))[0]?.attributes['k']).toBeNull();
  });

  it('maps an unknown span kind to UNSPECIFIED and keeps a negative severity number', () => {
    expect(spansOf(value(decodeTraceRequestProto(wrapSpan(Writer.create().uint32(0x30).int32(9).finish()))))[0]?.kind).toBe(0);
    const record = Writer.create().uint32(0x10).int32(-3).finish();
    const scopeLogs = Writer.create().uint32(0x12).bytes(record).finish();
    const resourceLogs = Writer.create().uint32(0x12).bytes(scopeLogs).finish();
    const logs = value(decodeLogsRequestProto(Writer.create().uint32(0x0a).bytes(resourceLogs).finish()));
    expect(logs.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.severityNumber).toBe(-3);
  });

  it('accepts an empty body as an empty request', () => {
    expect(value(decodeTraceRequestProto(new Uint8Array()))).toEqual({ resourceSpans: [] });
    expect(value(decodeLogsRequestProto(new Uint8Array()))).toEqual({ resourceLogs: [] });
  });

  it('allows 32 nesting levels and refuses 33', () => {
    expect(decodeTraceRequestProto(spanWithAnyValue(nestedArrays(32))).ok).toBe(true);
    expect(protoError(spanWithAnyValue(nestedArrays(33)))).toContain('AnyValue nested deeper than 32 levels');
  });
});

describe('invalid protobuf fails with WARDEN_OTLP_BAD_PROTOBUF and never throws', () => {
  let valid: Uint8Array;
  beforeAll(async () => {
    valid = (await sdkTraces()).protobuf;
  });

  it('garbage bytes', () => {
    protoError(new TextEncoder().encode('this is not protobuf at all, just text'));
    protoError(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
  });

  it('every truncation of a real request', () => {
    let failures = 0;
    for (let length = 1; length < valid.length; length++) {
      const result = decodeTraceRequestProto(valid.subarray(0, length));
      if (!result.ok) failures++;
    }
    // A cut can land exactly between two top-level fields only at the end; everything else fails.
    expect(failures).toBe(valid.length - 1);
  });

  it('a varint that never ends', () => {
    expect(protoError(new Uint8Array([0x10, 0x80, 0x80, 0x80]))).toContain('truncated varint');
    expect(protoError(new Uint8Array([0x10, ...new Array<number>(11).fill(0x80), 0x01]))).toContain('varint longer than 10 bytes');
  });

  it('a length prefix past the end', () => {
    expect(protoError(new Uint8Array([0x0a, 0x05, 0x01, 0x02]))).toContain('runs past the end');
    // Inner length reaching past its parent even though the buffer has more bytes.
    expect(protoError(new Uint8Array([0x0a, 0x02, 0x12, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00]))).toContain('runs past the end');
  });

  it('a known field with the wrong wire type', () => {
    expect(protoError(wrapSpan(Writer.create().uint32((7 << 3) | 0).uint32(5).finish()))).toContain('Span field 7 has wire type 0');
    expect(protoError(new Uint8Array([0x08, 0x01]))).toContain('ExportTraceServiceRequest field 1 has wire type 0');
  });

  it('field number zero, a stray end-group and an unknown wire type', () => {
    expect(protoError(new Uint8Array([0x00, 0x00]))).toContain('field number 0');
    expect(protoError(new Uint8Array([(5 << 3) | 4]))).toContain('unexpected wire type 4');
    expect(protoError(new Uint8Array([(5 << 3) | 7]))).toContain('unexpected wire type 7');
  });

  it('hostile nesting deep enough to overflow a naive recursive decoder', () => {
    expect(protoError(spanWithAnyValue(nestedArrays(3_000)))).toContain('AnyValue nested deeper than 32 levels');
    const groups = new Uint8Array(20_000).fill((9 << 3) | 3);
    expect(protoError(groups)).toContain('groups nested too deeply');
  });

  it('the same errors from the logs decoder', () => {
    expect(decodeLogsRequestProto(new Uint8Array([0x0a, 0x05, 0x01])).ok).toBe(false);
  });
});
