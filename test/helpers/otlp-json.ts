// OTLP/JSON export requests for tests that post raw bodies (no SDK): the spec's shape, with
// string attributes only, which is all these tests send.

export interface JsonSpan {
  traceId: string;
  spanId: string;
  name: string;
  /** OTLP SpanKind number. Default 1 (INTERNAL). */
  kind?: number;
  startNs: bigint;
  /** Default 500 ns. */
  durationNs?: bigint;
  attributes: Record<string, string>;
}

/** One ExportTraceServiceRequest holding the spans under one empty resource and scope `t`. */
export function otlpJsonRequest(spans: readonly JsonSpan[]): string {
  const encoded = spans.map((span) => ({
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    kind: span.kind ?? 1,
    startTimeUnixNano: String(span.startNs),
    endTimeUnixNano: String(span.startNs + (span.durationNs ?? 500n)),
    attributes: Object.entries(span.attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
  }));
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans: encoded }] }] });
}

/** Unix nanoseconds now. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
