// A plain model of an ExportTraceServiceRequest that the fuzzers generate, with its two wire
// encodings (protobuf through protobuf-encoder.ts, OTLP/JSON) and the TraceRequest each decoder
// must produce from them. The expected values are written from the spec and README, not from
// the decoders: ids are lowercase hex or '' (wrong width, all zero), unknown enums are 0, int64
// outside the safe range is a decimal string, bytes are base64, invalid UTF-8 and (protobuf
// only) lone surrogates become U+FFFD.
import type { AttributeValue, Attributes, Span, TraceRequest } from '../../src/otlp/otlp-types.ts';
import { pb, type PbField } from './protobuf-encoder.ts';

export type AnyModel =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: bigint }
  | { type: 'double'; value: number }
  | { type: 'array'; value: AnyModel[] }
  | { type: 'kvlist'; value: KeyValueModel[] }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'empty' };

export interface KeyValueModel {
  key: string;
  /** undefined: the KeyValue has no value field. */
  value: AnyModel | undefined;
}

export interface EventModel {
  time: bigint;
  name: string;
  attributes: KeyValueModel[];
}

export interface LinkModel {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  attributes: KeyValueModel[];
}

export interface SpanModel {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  traceState: string;
  name: string;
  /** Any int32: values outside 0..5 must decode as 0. */
  kind: number;
  start: bigint;
  end: bigint;
  attributes: KeyValueModel[];
  events: EventModel[];
  links: LinkModel[];
  status: { code: number; message: string } | undefined;
}

export interface ScopeSpansModel {
  scope: { name: string; version: string; attributes: KeyValueModel[] } | undefined;
  spans: SpanModel[];
}

export interface ResourceSpansModel {
  resource: KeyValueModel[] | undefined;
  scopeSpans: ScopeSpansModel[];
}

export interface RequestModel {
  resourceSpans: ResourceSpansModel[];
}

// ---------------------------------------------------------------------------------------------
// Expected decoded values.

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export type WireFormat = 'protobuf' | 'json';

function expectedString(value: string, format: WireFormat): string {
  // JSON.stringify escapes a lone surrogate (\ud800) and JSON.parse restores it; UTF-8 cannot
  // carry one, so Node's encoder writes U+FFFD.
  return format === 'protobuf' ? value.toWellFormed() : value;
}

export function expectedId(bytes: Uint8Array, width: number): string {
  if (bytes.length !== width || bytes.every((b) => b === 0)) return '';
  return Buffer.from(bytes).toString('hex');
}

function expectedEnum(value: number, max: number): number {
  return Number.isInteger(value) && value >= 0 && value <= max ? value : 0;
}

function setOwn(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function expectedAnyValue(model: AnyModel | undefined, format: WireFormat): AttributeValue {
  if (model === undefined) return null;
  switch (model.type) {
    case 'string':
      return expectedString(model.value, format);
    case 'bool':
      return model.value;
    case 'int':
      return model.value >= MIN_SAFE && model.value <= MAX_SAFE ? Number(model.value) : model.value.toString();
    case 'double':
      // JSON has no negative zero: JSON.stringify(-0) is "0".
      return format === 'json' && Object.is(model.value, -0) ? 0 : model.value;
    case 'array':
      return model.value.map((item) => expectedAnyValue(item, format));
    case 'kvlist':
      return expectedAttributes(model.value, format);
    case 'bytes':
      return Buffer.from(model.value).toString('base64');
    case 'empty':
      return null;
  }
}

export function expectedAttributes(list: KeyValueModel[], format: WireFormat): Attributes {
  const out: Attributes = {};
  for (const kv of list) setOwn(out, expectedString(kv.key, format), expectedAnyValue(kv.value, format));
  return out;
}

function expectedSpan(span: SpanModel, format: WireFormat): Span {
  return {
    traceId: expectedId(span.traceId, 16),
    spanId: expectedId(span.spanId, 8),
    parentSpanId: expectedId(span.parentSpanId, 8),
    traceState: expectedString(span.traceState, format),
    name: expectedString(span.name, format),
    kind: expectedEnum(span.kind, 5) as Span['kind'],
    startTimeUnixNano: span.start,
    endTimeUnixNano: span.end,
    attributes: expectedAttributes(span.attributes, format),
    events: span.events.map((e) => ({ timeUnixNano: e.time, name: expectedString(e.name, format), attributes: expectedAttributes(e.attributes, format) })),
    links: span.links.map((l) => ({
      traceId: expectedId(l.traceId, 16),
      spanId: expectedId(l.spanId, 8),
      traceState: expectedString(l.traceState, format),
      attributes: expectedAttributes(l.attributes, format),
    })),
    status: {
      code: expectedEnum(span.status?.code ?? 0, 2) as Span['status']['code'],
      message: expectedString(span.status?.message ?? '', format),
    },
  };
}

export function expectedRequest(model: RequestModel, format: WireFormat): TraceRequest {
  return {
    resourceSpans: model.resourceSpans.map((rs) => ({
      resource: expectedAttributes(rs.resource ?? [], format),
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: {
          name: expectedString(ss.scope?.name ?? '', format),
          version: expectedString(ss.scope?.version ?? '', format),
          attributes: expectedAttributes(ss.scope?.attributes ?? [], format),
        },
        spans: ss.spans.map((s) => expectedSpan(s, format)),
      })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Protobuf encoding. `noise` (unknown fields, which a receiver must skip) goes first in every
// message, so it also separates known fields from each other.

export function anyValueFields(model: AnyModel, noise: PbField[] = []): PbField[] {
  const body = ((): PbField[] => {
    switch (model.type) {
      case 'string':
        return [pb.string(1, model.value)];
      case 'bool':
        return [pb.varint(2, model.value ? 1 : 0)];
      case 'int':
        return [pb.varint(3, model.value)];
      case 'double':
        return [pb.double(4, model.value)];
      case 'array':
        return [pb.message(5, [...noise, ...model.value.map((v) => pb.message(1, anyValueFields(v, noise)))])];
      case 'kvlist':
        return [pb.message(6, [...noise, ...model.value.map((kv) => pb.message(1, keyValueFields(kv, noise)))])];
      case 'bytes':
        return [pb.bytes(7, model.value)];
      case 'empty':
        return [];
    }
  })();
  return [...noise, ...body];
}

function keyValueFields(kv: KeyValueModel, noise: PbField[]): PbField[] {
  const out = [...noise, pb.string(1, kv.key)];
  if (kv.value !== undefined) out.push(pb.message(2, anyValueFields(kv.value, noise)));
  return out;
}

function attributeFields(field: number, list: KeyValueModel[], noise: PbField[]): PbField[] {
  return list.map((kv) => pb.message(field, keyValueFields(kv, noise)));
}

function spanFields(span: SpanModel, noise: PbField[]): PbField[] {
  const out: PbField[] = [
    ...noise,
    pb.bytes(1, span.traceId),
    pb.bytes(2, span.spanId),
    pb.string(3, span.traceState),
    pb.bytes(4, span.parentSpanId),
    pb.string(5, span.name),
    pb.varint(6, span.kind),
    pb.fixed64(7, span.start),
    pb.fixed64(8, span.end),
    ...attributeFields(9, span.attributes, noise),
    ...span.events.map((e) => pb.message(11, [...noise, pb.fixed64(1, e.time), pb.string(2, e.name), ...attributeFields(3, e.attributes, noise)])),
    ...span.links.map((l) =>
      pb.message(13, [...noise, pb.bytes(1, l.traceId), pb.bytes(2, l.spanId), pb.string(3, l.traceState), ...attributeFields(4, l.attributes, noise)]),
    ),
  ];
  if (span.status !== undefined) out.push(pb.message(15, [...noise, pb.string(2, span.status.message), pb.varint(3, span.status.code)]));
  return out;
}

export function requestFields(model: RequestModel, noise: PbField[] = []): PbField[] {
  return [
    ...noise,
    ...model.resourceSpans.map((rs) => {
      const fields: PbField[] = [...noise];
      if (rs.resource !== undefined) fields.push(pb.message(1, [...noise, ...attributeFields(1, rs.resource, noise)]));
      for (const ss of rs.scopeSpans) {
        const scopeSpans: PbField[] = [...noise];
        if (ss.scope !== undefined) {
          scopeSpans.push(pb.message(1, [...noise, pb.string(1, ss.scope.name), pb.string(2, ss.scope.version), ...attributeFields(3, ss.scope.attributes, noise)]));
        }
        for (const span of ss.spans) scopeSpans.push(pb.message(2, spanFields(span, noise)));
        fields.push(pb.message(2, scopeSpans));
      }
      return pb.message(1, fields);
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// OTLP/JSON encoding (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"):
// ids hex (any case), 64-bit integers as decimal strings (numbers are accepted too), enums as
// integers (names accepted too), lowerCamelCase keys. `style` picks among the allowed spellings.

export interface JsonStyle {
  /** Bit flags choosing alternative spellings; each bit is read by one encoder below. */
  bits: number;
}

const SPAN_KIND_NAME = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];

function jsonId(bytes: Uint8Array, style: JsonStyle): string {
  const hex = Buffer.from(bytes).toString('hex');
  return style.bits & 1 ? hex.toUpperCase() : hex;
}

function jsonUint64(value: bigint, style: JsonStyle): string | number {
  return style.bits & 2 && value <= MAX_SAFE ? Number(value) : value.toString();
}

export function jsonAnyValue(model: AnyModel, style: JsonStyle): Record<string, unknown> {
  switch (model.type) {
    case 'string':
      return { stringValue: model.value };
    case 'bool':
      return { boolValue: model.value };
    case 'int':
      return { intValue: style.bits & 4 && model.value >= MIN_SAFE && model.value <= MAX_SAFE ? Number(model.value) : model.value.toString() };
    case 'double': {
      const d = model.value;
      if (Number.isNaN(d)) return { doubleValue: 'NaN' };
      if (!Number.isFinite(d)) return { doubleValue: d > 0 ? 'Infinity' : '-Infinity' };
      return { doubleValue: style.bits & 8 ? String(d) : d };
    }
    case 'array':
      return { arrayValue: { values: model.value.map((v) => jsonAnyValue(v, style)) } };
    case 'kvlist':
      return { kvlistValue: { values: jsonAttributes(model.value, style) } };
    case 'bytes': {
      const base64 = Buffer.from(model.value).toString(style.bits & 16 ? 'base64url' : 'base64');
      return { bytesValue: base64 };
    }
    case 'empty':
      return {};
  }
}

function jsonAttributes(list: KeyValueModel[], style: JsonStyle): Record<string, unknown>[] {
  return list.map((kv) => (kv.value === undefined ? { key: kv.key } : { key: kv.key, value: jsonAnyValue(kv.value, style) }));
}

function jsonSpan(span: SpanModel, style: JsonStyle): Record<string, unknown> {
  const out: Record<string, unknown> = {
    traceId: jsonId(span.traceId, style),
    spanId: jsonId(span.spanId, style),
    traceState: span.traceState,
    name: span.name,
    kind: style.bits & 32 && SPAN_KIND_NAME[span.kind] !== undefined ? SPAN_KIND_NAME[span.kind] : span.kind,
    startTimeUnixNano: jsonUint64(span.start, style),
    endTimeUnixNano: jsonUint64(span.end, style),
    attributes: jsonAttributes(span.attributes, style),
    events: span.events.map((e) => ({ timeUnixNano: jsonUint64(e.time, style), name: e.name, attributes: jsonAttributes(e.attributes, style) })),
    links: span.links.map((l) => ({ traceId: jsonId(l.traceId, style), spanId: jsonId(l.spanId, style), traceState: l.traceState, attributes: jsonAttributes(l.attributes, style) })),
  };
  // An absent parent is written as "" by some SDKs and omitted by others.
  if (span.parentSpanId.length > 0 || style.bits & 64) out['parentSpanId'] = jsonId(span.parentSpanId, style);
  if (span.status !== undefined) out['status'] = { code: span.status.code, message: span.status.message };
  return out;
}

export function jsonRequest(model: RequestModel, style: JsonStyle): Record<string, unknown> {
  return {
    resourceSpans: model.resourceSpans.map((rs) => ({
      ...(rs.resource === undefined ? {} : { resource: { attributes: jsonAttributes(rs.resource, style) } }),
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...(ss.scope === undefined ? {} : { scope: { name: ss.scope.name, version: ss.scope.version, attributes: jsonAttributes(ss.scope.attributes, style) } }),
        spans: ss.spans.map((s) => jsonSpan(s, style)),
      })),
    })),
  };
}
