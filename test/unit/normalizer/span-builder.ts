// Hand-built OTLP requests for unit tests: only what a test cares about, defaults for the rest.
import type { Attributes, LogRecord, LogsRequest, Span, TraceRequest } from '../../../src/otlp/otlp-types.ts';

export const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
export const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A 16-hex span id from a small number, so tests can say span 1, span 2... */
export function sid(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export function makeSpan(fields: Partial<Span> & { attributes?: Attributes }): Span {
  return {
    traceId: TRACE_A,
    spanId: sid(1),
    parentSpanId: '',
    traceState: '',
    name: 'span',
    kind: 1,
    startTimeUnixNano: 1_000_000_000n,
    endTimeUnixNano: 2_000_000_000n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
    ...fields,
  };
}

export function makeRequest(spans: Span[], resource: Attributes = { 'service.name': 'svc' }): TraceRequest {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'test', version: '1', attributes: {} }, spans }] }] };
}

export function makeLogRecord(fields: Partial<LogRecord>): LogRecord {
  return {
    timeUnixNano: 5_000_000_000n,
    observedTimeUnixNano: 6_000_000_000n,
    severityNumber: 9,
    severityText: '',
    body: null,
    attributes: {},
    traceId: '',
    spanId: '',
    eventName: '',
    ...fields,
  };
}

export function makeLogsRequest(records: LogRecord[], resource: Attributes = { 'service.name': 'svc' }): LogsRequest {
  return { resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'test', version: '1', attributes: {} }, logRecords: records }] }] };
}
