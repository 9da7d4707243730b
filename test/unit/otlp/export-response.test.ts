import { Reader } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeExportResponseProto, encodeExportResponse, encodeRpcStatus } from '../../../src/otlp/export-response.ts';

/** Reads every field of a message into [field, value] pairs with protobufjs's Reader, independently
 *  of Warden's own decoder. Varints come back as numbers, length-delimited fields as bytes. */
function fields(bytes: Uint8Array): [number, number | Uint8Array][] {
  const reader = Reader.create(bytes);
  const out: [number, number | Uint8Array][] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if ((tag & 7) === 0) out.push([tag >>> 3, Number(reader.int64())]);
    else if ((tag & 7) === 2) out.push([tag >>> 3, reader.bytes()]);
    else throw new Error(`unexpected wire type ${tag & 7}`);
  }
  return out;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('encodeExportResponse', () => {
  it('is an empty message on full success', () => {
    expect(encodeExportResponse('traces', null, 'protobuf')).toHaveLength(0);
    expect(text(encodeExportResponse('logs', null, 'json'))).toBe('{}');
  });

  it('encodes partial_success with rejected count and message in protobuf', () => {
    const bytes = encodeExportResponse('traces', { rejected: 3, errorMessage: 'span 7 has no trace id' }, 'protobuf');
    const outer = fields(bytes);
    expect(outer.map(([f]) => f)).toEqual([1]);
    const inner = fields(outer[0]?.[1] as Uint8Array);
    expect(inner[0]).toEqual([1, 3]);
    expect(inner[1]?.[0]).toBe(2);
    expect(text(inner[1]?.[1] as Uint8Array)).toBe('span 7 has no trace id');
    expect(decodeExportResponseProto(bytes)).toEqual({ ok: true, value: { rejected: 3, errorMessage: 'span 7 has no trace id' } });
  });

  it('encodes a warning-only partial success (rejected 0) and large counts', () => {
    const warning = encodeExportResponse('logs', { rejected: 0, errorMessage: 'deprecated attribute' }, 'protobuf');
    expect(decodeExportResponseProto(warning)).toEqual({ ok: true, value: { rejected: 0, errorMessage: 'deprecated attribute' } });
    const large = encodeExportResponse('logs', { rejected: 2 ** 40, errorMessage: '' }, 'protobuf');
    expect(decodeExportResponseProto(large)).toEqual({ ok: true, value: { rejected: 2 ** 40, errorMessage: '' } });
  });

  it('uses proto3 JSON names per signal with int64 as a string', () => {
    expect(JSON.parse(text(encodeExportResponse('traces', { rejected: 2, errorMessage: 'bad' }, 'json')))).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'bad' },
    });
    expect(JSON.parse(text(encodeExportResponse('logs', { rejected: 5, errorMessage: '' }, 'json')))).toEqual({
      partialSuccess: { rejectedLogRecords: '5' },
    });
  });

  it('never writes a negative or fractional count', () => {
    expect(decodeExportResponseProto(encodeExportResponse('traces', { rejected: -4, errorMessage: 'x' }, 'protobuf'))).toEqual({
      ok: true,
      value: { rejected: 0, errorMessage: 'x' },
    });
  });
});

describe('encodeRpcStatus', () => {
  it('encodes google.rpc.Status in protobuf', () => {
    const out = fields(encodeRpcStatus(3, 'resourceSpans: expected array', 'protobuf'));
    expect(out[0]).toEqual([1, 3]);
    expect(out[1]?.[0]).toBe(2);
    expect(text(out[1]?.[1] as Uint8Array)).toBe('resourceSpans: expected array');
    expect(out).toHaveLength(2);
  });

  it('encodes google.rpc.Status in JSON', () => {
    expect(JSON.parse(text(encodeRpcStatus(8, 'queue full', 'json')))).toEqual({ code: 8, message: 'queue full', details: [] });
  });
});

describe('decodeExportResponseProto', () => {
  it('fails on garbage instead of throwing', () => {
    const result = decodeExportResponseProto(new Uint8Array([0x0a, 0x09, 0x08]));
    expect(result.ok).toBe(false);
  });
});
