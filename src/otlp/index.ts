// The OTLP codecs: request decoders for both wire formats, response encoders, gRPC definitions.
export type {
  AttributeValue,
  Attributes,
  InstrumentationScope,
  LogRecord,
  LogsRequest,
  ResourceLogs,
  ResourceSpans,
  ScopeLogs,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanKindNumber,
  SpanLink,
  StatusCodeNumber,
  TraceRequest,
} from './otlp-types.ts';
export { decodeLogsRequestJson, decodeTraceRequestJson } from './decode-json.ts';
export { decodeLogsRequestProto, decodeTraceRequestProto } from './decode-proto.ts';
export type { ExportPartialSuccess, OtlpFormat, OtlpSignal } from './export-response.ts';
export { decodeExportResponseProto, encodeExportResponse, encodeRpcStatus } from './export-response.ts';
export type { ExportMethod, ExportServiceDefinition } from './grpc-services.ts';
export { logsServiceDefinition, traceServiceDefinition } from './grpc-services.ts';
export { MAX_ANY_VALUE_DEPTH } from './limits.ts';
