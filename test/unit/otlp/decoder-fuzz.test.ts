// Property-based fuzzing of the OTLP decoders (issue "Bad input and security"), bounded here so
// `npm test` stays fast; scripts/fuzz.ts runs the same properties for millions of inputs. The
// properties are in test/fuzz/decoder-properties.ts; below them, the hostile shapes whose cost
// must stay bounded however large they are.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLogsRequestJson, decodeTraceRequestJson } from '../../../src/otlp/decode-json.ts';
import { decodeTraceRequestProto } from '../../../src/otlp/decode-proto.ts';
import type { Result } from '../../../src/errors/warden-error.ts';
import { decoderProperties } from '../../fuzz/decoder-properties.ts';
import { encodeFields, pb, varintBytes, type PbField } from '../../fuzz/protobuf-encoder.ts';

const RUNS = 2000;

describe('OTLP decoders under fuzzing', () => {
  for (const { name, property } of decoderProperties()) {
    it(name, () => {
      fc.assert(property, { numRuns: RUNS });
    });
  }
});

/** The failure message, after checking the decode failed within `ms` milliseconds. */
function failsWithin<T>(ms: number, decode: () => Result<T>): string {
  const start = performance.now();
  const result = decode();
  const elapsed = performance.now() - start;
  expect(result.ok).toBe(false);
  expect(elapsed).toBeLessThan(ms);
  return result.ok ? '' : result.error.message;
}

/** resource_spans { scope_spans { spans { <span fields> } } } */
function requestWithSpan(span: PbField[]): Uint8Array {
  return encodeFields([pb.message(1, [pb.message(2, [pb.message(2, span)])])]).bytes;
}

/** `levels` nested ArrayValues around a string, written front to back in O(levels): building
 *  it by wrapping (as a Writer would) copies the whole value once per level. */
function deepAnyValue(levels: number): Uint8Array {
  const leaf = encodeFields([pb.string(1, 'leaf')]).bytes;
  const anySize = [leaf.length];
  const arraySize = [0];
  for (let k = 1; k <= levels; k++) {
    const array = 1 + varintBytes(anySize[k - 1]!).length + anySize[k - 1]!;
    arraySize.push(array);
    anySize.push(1 + varintBytes(array).length + array);
  }
  const out = new Uint8Array(anySize[levels]!);
  let pos = 0;
  const put = (bytes: Uint8Array | number[]): void => {
    out.set(bytes, pos);
    pos += bytes.length;
  };
  for (let k = levels; k >= 1; k--) {
    put([0x2a]); // AnyValue.array_value
    put(varintBytes(arraySize[k]!));
    put([0x0a]); // ArrayValue.values
    put(varintBytes(anySize[k - 1]!));
  }
  put(leaf);
  return out;
}

describe('hostile sizes fail fast and allocate nothing in proportion to what they declare', () => {
  it.each([
    [2 ** 31 - 1, 'runs past the end'],
    [2 ** 31, 'length of 2 GiB or more'],
    [2 ** 32 - 1, 'length of 2 GiB or more'],
    [2 ** 35, 'length of 2 GiB or more'],
  ])('a declared length of %d, at every level of a request', (declared, message) => {
    const prefix = [...varintBytes(declared)];
    const before = process.memoryUsage().arrayBuffers;
    // ExportTraceServiceRequest.resource_spans
    expect(failsWithin(50, () => decodeTraceRequestProto(Uint8Array.from([0x0a, ...prefix, 1, 2, 3])))).toContain(message);
    // Span.attributes, the span itself framed correctly (raw span bytes as ScopeSpans.spans)
    const span = Uint8Array.from([0x2a, 0x01, 0x78, 0x4a, ...prefix, 0x0a]);
    const inSpan = encodeFields([pb.message(1, [pb.message(2, [pb.bytes(2, span)])])]).bytes;
    expect(failsWithin(50, () => decodeTraceRequestProto(inSpan))).toContain(message);
    // AnyValue.array_value inside a KeyValue
    const inValue = requestWithSpan([pb.message(9, [pb.string(1, 'k'), pb.bytes(2, Uint8Array.from([0x2a, ...prefix]))])]);
    expect(failsWithin(50, () => decodeTraceRequestProto(inValue))).toContain(message);
    // AnyValue.string_value: the string is never materialised
    const inString = requestWithSpan([pb.message(9, [pb.string(1, 'k'), pb.bytes(2, Uint8Array.from([0x0a, ...prefix, 0x41]))])]);
    expect(failsWithin(50, () => decodeTraceRequestProto(inString))).toContain(message);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
  });

  // Regression: wire-reader.ts read a length prefix as a uint32, keeping its low 32 bits, so a
  // length of 2^32 + 2 framed 2 bytes and a malformed request decoded as a different valid one.
  it('bug: a length prefix of 2^32 or more was read modulo 2^32', () => {
    // resource_spans { scope_spans {} } with the outer length 2^32 + 2 in five bytes
    const body = Uint8Array.from([0x0a, 0x82, 0x80, 0x80, 0x80, 0x10, 0x12, 0x00]);
    expect(failsWithin(50, () => decodeTraceRequestProto(body))).toBe('invalid OTLP protobuf: length of 2 GiB or more at byte 1');
    // Over-long encodings of a small length (zero padding up to ten bytes) are still valid varints.
    const padded = Uint8Array.from([0x0a, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x12, 0x00]);
    expect(decodeTraceRequestProto(padded)).toEqual({ ok: true, value: { resourceSpans: [{ resource: {}, scopeSpans: [{ scope: { name: '', version: '', attributes: {} }, spans: [] }] }] } });
    const eleven = Uint8Array.from([0x0a, ...new Array<number>(10).fill(0x80), 0x00]);
    expect(failsWithin(50, () => decodeTraceRequestProto(eleven))).toContain('varint longer than 10 bytes');
  });

  it('100 000 levels of protobuf AnyValue nesting', () => {
    const body = requestWithSpan([pb.message(9, [pb.string(1, 'deep'), pb.bytes(2, deepAnyValue(100_000))])]);
    expect(body.length).toBeGreaterThan(400_000);
    expect(failsWithin(250, () => decodeTraceRequestProto(body))).toContain('AnyValue nested deeper than 32 levels');
  });

  it('100 000 levels of OTLP/JSON AnyValue nesting, and of plain JSON arrays in an unknown field', () => {
    const levels = 100_000;
    const value = '{"arrayValue":{"values":['.repeat(levels) + '{"stringValue":"leaf"}' + ']}}'.repeat(levels);
    const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"deep","value":${value}}]}]}]}]}`;
    expect(failsWithin(500, () => decodeTraceRequestJson(body))).toContain('AnyValue nested deeper than 32 levels');
    // Unknown keys are ignored, however deep: the parser must not overflow its stack on them.
    const unknown = `{"resourceSpans":[],"future":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    const start = performance.now();
    expect(decodeTraceRequestJson(unknown)).toEqual({ ok: true, value: { resourceSpans: [] } });
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('100 000 nested protobuf groups in an unknown field', () => {
    const groups = new Uint8Array(100_000).fill((99 << 3) | 3);
    expect(failsWithin(50, () => decodeTraceRequestProto(groups))).toContain('groups nested too deeply');
  });

  // Regression: json-reader.ts handed any all-digit string to BigInt() before the range check,
  // O(n log n) per field: a 16 MB digit string in one timestamp held the event loop for ~3-4 s
  // (measured), so one 64 MiB request could stall ingest for tens of seconds.
  it('bug: an over-long digit string for a 64-bit integer was parsed with BigInt before being refused', () => {
    const digits = '7'.repeat(16_000_000);
    const time = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"${digits}"}]}]}]}`;
    expect(failsWithin(300, () => decodeTraceRequestJson(time))).toContain('startTimeUnixNano: expected unsigned 64-bit integer');
    const int = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"intValue":"-${digits}"}}]}]}]}]}`;
    expect(failsWithin(300, () => decodeTraceRequestJson(int))).toContain('intValue: expected 64-bit integer');
    const logs = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"observedTimeUnixNano":"${digits}"}]}]}]}`;
    expect(failsWithin(300, () => decodeLogsRequestJson(logs))).toContain('observedTimeUnixNano');
    // Leading zeros do not count: the value is still in range.
    const zeros = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"${'0'.repeat(100_000)}18446744073709551615"}]}]}]}`;
    const decoded = decodeTraceRequestJson(zeros);
    expect(decoded.ok && decoded.value.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.startTimeUnixNano).toBe(18_446_744_073_709_551_615n);
    const overflow = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"${'0'.repeat(100)}18446744073709551616"}]}]}]}`;
    expect(decodeTraceRequestJson(overflow).ok).toBe(false);
  });

  it('a 16 MB number string as a double and a 16 MB base64 bytesValue cost linear time', () => {
    const double = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"d","value":{"doubleValue":"${'1'.repeat(16_000_000)}x"}}]}]}]}]}`;
    expect(failsWithin(1000, () => decodeTraceRequestJson(double))).toContain('doubleValue: expected number');
    const bytes = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"b","value":{"bytesValue":"${'QUJD'.repeat(4_000_000)}"}}]}]}]}]}`;
    const start = performance.now();
    const decoded = decodeTraceRequestJson(bytes);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(decoded.ok && (decoded.value.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes['b'] as string).length).toBe(16_000_000);
  });
});
