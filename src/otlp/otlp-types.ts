// The decoded form of OTLP export requests, shared by the protobuf and JSON decoders.
// Both wire formats decode to exactly this shape, so nothing downstream knows which one arrived.
// Spec: opentelemetry-proto docs/specification.md and trace/v1/trace.proto, logs/v1/logs.proto.

/** An OTLP AnyValue decoded to plain JavaScript. bytesValue becomes a base64 string; an
 *  intValue outside the safe-integer range becomes its decimal string so nothing is rounded. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** Attributes keyed by name. When a key repeats, the last value wins (the spec forbids repeats). */
export type Attributes = Record<string, AttributeValue>;

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: Attributes;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

/** OTLP SpanKind: 0 UNSPECIFIED, 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER. */
export type SpanKindNumber = 0 | 1 | 2 | 3 | 4 | 5;
/** OTLP Status.code: 0 UNSET, 1 OK, 2 ERROR. */
export type StatusCodeNumber = 0 | 1 | 2;

export interface Span {
  /** Lowercase hex, 32 characters; '' when the id on the wire was missing or malformed. */
  traceId: string;
  /** Lowercase hex, 16 characters; '' when missing or malformed. */
  spanId: string;
  /** Lowercase hex, 16 characters; '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKindNumber;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  status: { code: StatusCodeNumber; message: string };
}

export interface ScopeSpans {
  scope: InstrumentationScope;
  spans: Span[];
}

export interface ResourceSpans {
  resource: Attributes;
  scopeSpans: ScopeSpans[];
}

export interface TraceRequest {
  resourceSpans: ResourceSpans[];
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  /** Lowercase hex or ''. */
  traceId: string;
  spanId: string;
  /** OTLP LogRecord.event_name (field 12); '' when absent. */
  eventName: string;
}

export interface ScopeLogs {
  scope: InstrumentationScope;
  logRecords: LogRecord[];
}

export interface ResourceLogs {
  resource: Attributes;
  scopeLogs: ScopeLogs[];
}

export interface LogsRequest {
  resourceLogs: ResourceLogs[];
}
