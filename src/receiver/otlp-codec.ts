import type { Result } from '../errors/warden-error.ts';
import { decodeLogsRequestJson, decodeTraceRequestJson } from '../otlp/decode-json.ts';
import { decodeLogsRequestProto, decodeTraceRequestProto } from '../otlp/decode-proto.ts';
import type { LogsRequest, TraceRequest } from '../otlp/otlp-types.ts';
import type { Signal } from '../telemetry/metrics.ts';
import type { OtlpFormat } from './otlp-format.ts';

type Decoded = { signal: 'traces'; request: TraceRequest } | { signal: 'logs'; request: LogsRequest };

/** Decodes a body of either format into the request of its signal. */
export function decodeOtlp(signal: Signal, format: OtlpFormat, body: Uint8Array): Result<Decoded> {
  if (signal === 'traces') {
    const decoded = format === 'protobuf' ? decodeTraceRequestProto(body) : decodeTraceRequestJson(body);
    return decoded.ok ? { ok: true, value: { signal, request: decoded.value } } : decoded;
  }
  const decoded = format === 'protobuf' ? decodeLogsRequestProto(body) : decodeLogsRequestJson(body);
  return decoded.ok ? { ok: true, value: { signal, request: decoded.value } } : decoded;
}
