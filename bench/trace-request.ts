import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes, ResourceSpans, SpanKindNumber, StatusCodeNumber, TraceRequest } from '../src/otlp/otlp-types.ts';

const nanos = (time: HrTime): bigint => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);

/**
 * The decoded form of what the serializer would encode, built directly: for the detector memory
 * figure, which feeds a million spans and measures state, not decoding.
 */
export function toTraceRequest(spans: readonly ReadableSpan[]): TraceRequest {
  const byResource = new Map<ReadableSpan['resource'], ResourceSpans>();
  for (const span of spans) {
    let entry = byResource.get(span.resource);
    if (entry === undefined) {
      entry = {
        resource: { ...span.resource.attributes } as Attributes,
        scopeSpans: [{ scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '', attributes: {} }, spans: [] }],
      };
      byResource.set(span.resource, entry);
    }
    const context = span.spanContext();
    entry.scopeSpans[0]!.spans.push({
      traceId: context.traceId,
      spanId: context.spanId,
      parentSpanId: span.parentSpanContext?.spanId ?? '',
      traceState: '',
      name: span.name,
      kind: (span.kind + 1) as SpanKindNumber,
      startTimeUnixNano: nanos(span.startTime),
      endTimeUnixNano: nanos(span.endTime),
      attributes: span.attributes as Attributes,
      events: [],
      links: [],
      status: { code: span.status.code as StatusCodeNumber, message: '' },
    });
  }
  return { resourceSpans: [...byResource.values()] };
}
