import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SESSION_MARKER, TRACE_MARKER } from './replay-markers.ts';

/** One ExportTraceServiceRequest, encoded once, with where its replayable fields sit. */
export interface EncodedPayload {
  /** The bytes sent; rewritten in place by patchPayload before each send. */
  readonly bytes: Buffer;
  /** The bytes as encoded, the source of the original timestamps. */
  readonly pristine: Buffer;
  readonly spans: number;
  /** Offsets of the 4-byte send counter inside each span's trace id. */
  readonly traceCounters: Int32Array;
  /** Offsets of the 8 hex digits after each session marker. */
  readonly sessionCounters: Int32Array;
  /** Offsets of every start/end fixed64 timestamp. */
  readonly times: Int32Array;
  /** The span clock the timestamps were generated around, ns. */
  readonly baseNs: bigint;
  /** Times sent so far; the next send's counter. */
  sends: number;
}

type SdkSpans = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0];

/**
 * Encodes with the OpenTelemetry SDK's own OTLP/protobuf serializer (what the proto exporters
 * send), then locates the replayable fields. Timestamps are found as the start (field 7) and end
 * (field 8) fixed64 pair of a span, both within [baseNs, baseNs + rangeNs].
 */
export function encodePayload(spans: ReadableSpan[], baseNs: bigint, rangeNs: bigint): EncodedPayload {
  const encoded = ProtobufTraceSerializer.serializeRequest(spans as unknown as SdkSpans);
  if (encoded === undefined) throw new Error('the OTLP serializer returned nothing');
  const bytes = Buffer.from(encoded);
  const traceCounters: number[] = [];
  for (let at = bytes.indexOf(TRACE_MARKER); at >= 0; at = bytes.indexOf(TRACE_MARKER, at + 1)) {
    // Only inside a trace id: tag 1 (0x0a), length 16, then 8 bytes, then the marker.
    if (bytes[at - 10] === 0x0a && bytes[at - 9] === 0x10) traceCounters.push(at + 4);
  }
  const sessionCounters: number[] = [];
  for (let at = bytes.indexOf(SESSION_MARKER); at >= 0; at = bytes.indexOf(SESSION_MARKER, at + 1)) sessionCounters.push(at + SESSION_MARKER.length);
  const times: number[] = [];
  const high = baseNs + rangeNs;
  for (let i = 0; i + 18 <= bytes.length; i++) {
    if (bytes[i] !== 0x39 || bytes[i + 9] !== 0x41) continue;
    const start = bytes.readBigUInt64LE(i + 1);
    const end = bytes.readBigUInt64LE(i + 10);
    if (start < baseNs || start > high || end < baseNs || end > high) continue;
    times.push(i + 1, i + 10);
    i += 17;
  }
  if (traceCounters.length !== spans.length || times.length !== 2 * spans.length) {
    throw new Error(`payload layout not recognised: ${spans.length} spans, ${traceCounters.length} trace ids, ${times.length / 2} timestamp pairs`);
  }
  return {
    bytes,
    pristine: Buffer.from(bytes),
    spans: spans.length,
    traceCounters: Int32Array.from(traceCounters),
    sessionCounters: Int32Array.from(sessionCounters),
    times: Int32Array.from(times),
    baseNs,
    sends: 0,
  };
}
