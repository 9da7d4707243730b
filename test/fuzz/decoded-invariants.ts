// What every successfully decoded TraceRequest must look like, whatever bytes produced it: the
// promises otlp-types.ts makes to everything downstream.
import { isDeepStrictEqual, inspect } from 'node:util';
import type { AttributeValue, Attributes, TraceRequest } from '../../src/otlp/otlp-types.ts';
import { MAX_ANY_VALUE_DEPTH } from '../../src/otlp/limits.ts';

export class PropertyViolation extends Error {
  override readonly name = 'PropertyViolation';
}

export function violation(message: string): never {
  throw new PropertyViolation(message);
}

/** Node's deep strict equality (NaN equals NaN, -0 differs from 0), with a readable failure. */
export function expectDeepEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    const show = (v: unknown): string => inspect(v, { depth: 8, maxStringLength: 200, maxArrayLength: 20, breakLength: 160 });
    violation(`${what} differs\nactual:   ${show(actual)}\nexpected: ${show(expected)}`);
  }
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO = /^0+$/;
const UINT64_MAX = (1n << 64n) - 1n;

function checkId(id: unknown, pattern: RegExp, what: string): void {
  if (id === '') return;
  if (typeof id !== 'string' || !pattern.test(id) || ZERO.test(id)) violation(`${what} is not '' or lowercase non-zero hex: ${inspect(id)}`);
}

function checkString(value: unknown, wellFormed: boolean, what: string): void {
  if (typeof value !== 'string') violation(`${what} is not a string: ${inspect(value)}`);
  if (wellFormed && !value.isWellFormed()) violation(`${what} is not well-formed Unicode: ${inspect(value)}`);
}

function checkTime(value: unknown, what: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) violation(`${what} is not a uint64 bigint: ${inspect(value)}`);
}

function checkEnum(value: unknown, max: number, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) violation(`${what} outside 0..${max}: ${inspect(value)}`);
}

function checkValue(value: AttributeValue, depth: number, wellFormed: boolean, what: string): void {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return;
  if (typeof value === 'string') return checkString(value, wellFormed, what);
  if (depth >= MAX_ANY_VALUE_DEPTH) violation(`${what} nests deeper than ${MAX_ANY_VALUE_DEPTH} containers`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkValue(item, depth + 1, wellFormed, `${what}[${i}]`));
    return;
  }
  if (typeof value !== 'object') violation(`${what} has type ${typeof value}`);
  checkAttributes(value, depth + 1, wellFormed, what);
}

function checkAttributes(attributes: Attributes, depth: number, wellFormed: boolean, what: string): void {
  if (Object.getPrototypeOf(attributes) !== Object.prototype) violation(`${what} has a replaced prototype`);
  for (const key of Object.keys(attributes)) {
    checkString(key, wellFormed, `${what} key`);
    checkValue(attributes[key] ?? null, depth, wellFormed, `${what}.${key}`);
  }
}

/**
 * `wellFormed`: every string is well-formed Unicode (protobuf: invalid UTF-8 became U+FFFD).
 * OTLP/JSON can carry lone surrogates as \ud800 escapes; the store replaces them when it writes.
 */
export function checkTraceRequest(request: TraceRequest, wellFormed: boolean): void {
  for (const rs of request.resourceSpans) {
    checkAttributes(rs.resource, 0, wellFormed, 'resource');
    for (const ss of rs.scopeSpans) {
      checkString(ss.scope.name, wellFormed, 'scope.name');
      checkString(ss.scope.version, wellFormed, 'scope.version');
      checkAttributes(ss.scope.attributes, 0, wellFormed, 'scope.attributes');
      for (const span of ss.spans) {
        checkId(span.traceId, TRACE_ID, 'traceId');
        checkId(span.spanId, SPAN_ID, 'spanId');
        checkId(span.parentSpanId, SPAN_ID, 'parentSpanId');
        checkString(span.name, wellFormed, 'span.name');
        checkString(span.traceState, wellFormed, 'span.traceState');
        checkEnum(span.kind, 5, 'span.kind');
        checkEnum(span.status.code, 2, 'status.code');
        checkString(span.status.message, wellFormed, 'status.message');
        checkTime(span.startTimeUnixNano, 'startTimeUnixNano');
        checkTime(span.endTimeUnixNano, 'endTimeUnixNano');
        checkAttributes(span.attributes, 0, wellFormed, 'span.attributes');
        for (const event of span.events) {
          checkTime(event.timeUnixNano, 'event.timeUnixNano');
          checkString(event.name, wellFormed, 'event.name');
          checkAttributes(event.attributes, 0, wellFormed, 'event.attributes');
        }
        for (const link of span.links) {
          checkId(link.traceId, TRACE_ID, 'link.traceId');
          checkId(link.spanId, SPAN_ID, 'link.spanId');
          checkString(link.traceState, wellFormed, 'link.traceState');
          checkAttributes(link.attributes, 0, wellFormed, 'link.attributes');
        }
      }
    }
  }
}

/** Nothing a request did may have added properties to Object.prototype. */
export function checkNoPrototypePollution(): void {
  const polluted = Object.getOwnPropertyNames(Object.prototype).filter((name) => !BASELINE_PROTOTYPE.has(name));
  if (polluted.length > 0) violation(`Object.prototype gained ${polluted.join(', ')}`);
}

const BASELINE_PROTOTYPE = new Set(Object.getOwnPropertyNames(Object.prototype));
