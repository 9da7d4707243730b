// OTLP/JSON export requests (traces and logs) to the shared decoded shape.
// Spec: opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding". Its differences from
// proto3 JSON: ids are hex not base64, enums are integers, keys are lowerCamelCase only.
// snake_case keys are NOT read: the spec says original field names "are not valid to use as keys",
// and receivers must ignore unknown fields, so they are ignored like any other unknown key.
import type { Result } from '../errors/warden-error.ts';
import { fail, ok } from '../errors/warden-error.ts';
import type {
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
import { clampEnum } from './attribute-values.ts';
import { normalizeHexId } from './ids.ts';
import { readAnyValue, readAttributes } from './json-any-value.ts';
import type { JsonObject, JsonPath } from './json-reader.ts';
import { JsonShapeError, isObject, readEnum, readList, readMessage, readString, readUint64, shapeError } from './json-reader.ts';
import { SEVERITY_NUMBER_NAMES, SPAN_KIND_MAX, SPAN_KIND_NAMES, STATUS_CODE_MAX, STATUS_CODE_NAMES } from './otlp-enums.ts';

export function decodeTraceRequestJson(body: Uint8Array | string): Result<TraceRequest> {
  return decodeRoot(body, (path, root) => ({ resourceSpans: readList(path, root, 'resourceSpans', readResourceSpans) }));
}

export function decodeLogsRequestJson(body: Uint8Array | string): Result<LogsRequest> {
  return decodeRoot(body, (path, root) => ({ resourceLogs: readList(path, root, 'resourceLogs', readResourceLogs) }));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeRoot<T>(body: Uint8Array | string, read: (path: JsonPath, root: JsonObject) => T): Result<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : utf8.decode(body));
  } catch (error) {
    return fail('WARDEN_OTLP_BAD_JSON', `body is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) return fail('WARDEN_OTLP_BAD_JSON', '(root): expected object');
  try {
    return ok(read([], parsed));
  } catch (error) {
    if (error instanceof JsonShapeError) return fail('WARDEN_OTLP_BAD_JSON', error.message);
    // A RangeError here means the stack ran out despite the depth bound; still bad input, not a crash.
    return fail('WARDEN_OTLP_BAD_JSON', `body could not be decoded: ${(error as Error).message}`);
  }
}

function readIdField(path: JsonPath, obj: JsonObject, key: string, width: number): string {
  const value = obj[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw shapeError(path, key, 'expected hex string');
  return normalizeHexId(value, width);
}

function readResource(path: JsonPath, obj: JsonObject, key: string): ResourceSpans['resource'] {
  const resource = readMessage(path, obj, key);
  if (resource === undefined) return {};
  path.push(key);
  const attributes = readAttributes(path, resource, 'attributes');
  path.pop();
  return attributes;
}

function readScope(path: JsonPath, obj: JsonObject): InstrumentationScope {
  const scope = readMessage(path, obj, 'scope');
  if (scope === undefined) return { name: '', version: '', attributes: {} };
  path.push('scope');
  const out = {
    name: readString(path, scope, 'name'),
    version: readString(path, scope, 'version'),
    attributes: readAttributes(path, scope, 'attributes'),
  };
  path.pop();
  return out;
}

function readResourceSpans(path: JsonPath, obj: JsonObject): ResourceSpans {
  return { resource: readResource(path, obj, 'resource'), scopeSpans: readList(path, obj, 'scopeSpans', readScopeSpans) };
}

function readScopeSpans(path: JsonPath, obj: JsonObject): ScopeSpans {
  return { scope: readScope(path, obj), spans: readList(path, obj, 'spans', readSpan) };
}

function readSpan(path: JsonPath, obj: JsonObject): Span {
  return {
    traceId: readIdField(path, obj, 'traceId', 16),
    spanId: readIdField(path, obj, 'spanId', 8),
    parentSpanId: readIdField(path, obj, 'parentSpanId', 8),
    traceState: readString(path, obj, 'traceState'),
    name: readString(path, obj, 'name'),
    kind: clampEnum(readEnum(path, obj, 'kind', SPAN_KIND_NAMES), SPAN_KIND_MAX) as SpanKindNumber,
    startTimeUnixNano: readUint64(path, obj, 'startTimeUnixNano'),
    endTimeUnixNano: readUint64(path, obj, 'endTimeUnixNano'),
    attributes: readAttributes(path, obj, 'attributes'),
    events: readList(path, obj, 'events', readEvent),
    links: readList(path, obj, 'links', readLink),
    status: readStatus(path, obj),
  };
}

function readEvent(path: JsonPath, obj: JsonObject): SpanEvent {
  return {
    timeUnixNano: readUint64(path, obj, 'timeUnixNano'),
    name: readString(path, obj, 'name'),
    attributes: readAttributes(path, obj, 'attributes'),
  };
}

function readLink(path: JsonPath, obj: JsonObject): SpanLink {
  return {
    traceId: readIdField(path, obj, 'traceId', 16),
    spanId: readIdField(path, obj, 'spanId', 8),
    traceState: readString(path, obj, 'traceState'),
    attributes: readAttributes(path, obj, 'attributes'),
  };
}

function readStatus(path: JsonPath, obj: JsonObject): Span['status'] {
  const status = readMessage(path, obj, 'status');
  if (status === undefined) return { code: 0, message: '' };
  path.push('status');
  const out = {
    code: clampEnum(readEnum(path, status, 'code', STATUS_CODE_NAMES), STATUS_CODE_MAX) as StatusCodeNumber,
    message: readString(path, status, 'message'),
  };
  path.pop();
  return out;
}

function readResourceLogs(path: JsonPath, obj: JsonObject): ResourceLogs {
  return { resource: readResource(path, obj, 'resource'), scopeLogs: readList(path, obj, 'scopeLogs', readScopeLogs) };
}

function readScopeLogs(path: JsonPath, obj: JsonObject): ScopeLogs {
  return { scope: readScope(path, obj), logRecords: readList(path, obj, 'logRecords', readLogRecord) };
}

function readLogRecord(path: JsonPath, obj: JsonObject): LogRecord {
  const body = readMessage(path, obj, 'body');
  let bodyValue: LogRecord['body'] = null;
  if (body !== undefined) {
    path.push('body');
    bodyValue = readAnyValue(path, body, 0);
    path.pop();
  }
  return {
    timeUnixNano: readUint64(path, obj, 'timeUnixNano'),
    observedTimeUnixNano: readUint64(path, obj, 'observedTimeUnixNano'),
    severityNumber: readEnum(path, obj, 'severityNumber', SEVERITY_NUMBER_NAMES),
    severityText: readString(path, obj, 'severityText'),
    body: bodyValue,
    attributes: readAttributes(path, obj, 'attributes'),
    traceId: readIdField(path, obj, 'traceId', 16),
    spanId: readIdField(path, obj, 'spanId', 8),
    eventName: readString(path, obj, 'eventName'),
  };
}
