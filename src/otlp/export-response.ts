// Bodies Warden answers with: Export{Trace,Logs}ServiceResponse (collector/{trace,logs}/v1/*_service.proto)
// and google.rpc.Status (google/rpc/status.proto). The OTLP/HTTP response uses the request's
// content type (OTLP spec, "OTLP/HTTP Response"), so each has a protobuf and a JSON form.
import { Writer } from 'protobufjs';
import type { Result } from '../errors/warden-error.ts';
import { fail, ok } from '../errors/warden-error.ts';
import { WireError, WireReader } from './wire-reader.ts';
import { skipOrFail } from './proto-any-value.ts';

export type OtlpSignal = 'traces' | 'logs';
export type OtlpFormat = 'protobuf' | 'json';

/** ExportTracePartialSuccess / ExportLogsPartialSuccess; null means full success (field unset). */
export type ExportPartialSuccess = { rejected: number; errorMessage: string } | null;

const REJECTED_JSON_KEY: Readonly<Record<OtlpSignal, string>> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
};

const utf8 = new TextEncoder();

/** A count for an int64 field: negative, fractional or NaN input cannot reach the wire. */
function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;
}

export function encodeExportResponse(signal: OtlpSignal, partial: ExportPartialSuccess, format: OtlpFormat): Uint8Array {
  if (format === 'json') {
    if (partial === null) return utf8.encode('{}');
    // proto3 JSON: int64 is a decimal string, default values are omitted (the Collector does the same).
    const body: Record<string, string> = {};
    const rejected = count(partial.rejected);
    if (rejected !== 0) body[REJECTED_JSON_KEY[signal]] = String(rejected);
    if (partial.errorMessage !== '') body['errorMessage'] = partial.errorMessage;
    return utf8.encode(JSON.stringify({ partialSuccess: body }));
  }
  if (partial === null) return new Uint8Array(0);
  // Both partial-success messages have the same layout: 1 rejected_* int64, 2 error_message string.
  const inner = Writer.create();
  const rejected = count(partial.rejected);
  if (rejected !== 0) inner.uint32(0x08).int64(rejected);
  if (partial.errorMessage !== '') inner.uint32(0x12).string(partial.errorMessage);
  return Writer.create().uint32(0x0a).bytes(inner.finish()).finish(); // 1 partial_success
}

/** google.rpc.Status for OTLP/HTTP failures; `code` is a google.rpc.Code (gRPC status code). */
export function encodeRpcStatus(code: number, message: string, format: OtlpFormat): Uint8Array {
  if (format === 'json') return utf8.encode(JSON.stringify({ code, message, details: [] }));
  const writer = Writer.create();
  if (code !== 0) writer.uint32(0x08).int32(code); // 1 code
  if (message !== '') writer.uint32(0x12).string(message); // 2 message
  return writer.finish(); // 3 details: none
}

/** The inverse of the protobuf form of encodeExportResponse, for gRPC clients (tests, tools). */
export function decodeExportResponseProto(bytes: Uint8Array): Result<ExportPartialSuccess> {
  const r = new WireReader(bytes);
  try {
    let partial: ExportPartialSuccess = null;
    const end = r.buf.length;
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag !== 0x0a) {
        skipOrFail(r, tag, end, 0b10, 'ExportServiceResponse');
        continue;
      }
      const stop = r.delimitedEnd(end);
      partial = { rejected: 0, errorMessage: '' };
      while (r.pos < stop) {
        const inner = r.tag(stop);
        if (inner === 0x08) partial.rejected = Number(r.int64(stop));
        else if (inner === 0x12) partial.errorMessage = r.string(stop);
        else skipOrFail(r, inner, stop, 0b110, 'ExportPartialSuccess');
      }
    }
    return ok(partial);
  } catch (error) {
    const message = error instanceof WireError ? error.message : String(error);
    return fail('WARDEN_OTLP_BAD_PROTOBUF', `invalid export response: ${message}`);
  }
}
