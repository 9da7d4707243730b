// AnyValue, KeyValue and InstrumentationScope from protobuf (opentelemetry/proto/common/v1/common.proto).
// Case labels are whole tags, (field number << 3) | wire type, so one compare picks the field.
import type { AttributeValue, Attributes, InstrumentationScope } from './otlp-types.ts';
import { int64ToAttribute, setAttribute } from './attribute-values.ts';
import { MAX_ANY_VALUE_DEPTH } from './limits.ts';
import { KEY_CACHE, VALUE_CACHE } from './string-cache.ts';
import type { WireReader } from './wire-reader.ts';

/** True when `field` is one this decoder reads (bit n of `mask` set for field n): such a field
 *  with the wrong wire type is an error, any other unknown field is skipped. */
export function skipOrFail(r: WireReader, tag: number, end: number, mask: number, message: string): void {
  const field = tag >>> 3;
  if (field < 32 && ((mask >>> field) & 1) === 1) r.wrongWireType(message, tag);
  r.skip(tag, end);
}

const ANY_VALUE_FIELDS = 0b1111_1110;

export function readAnyValue(r: WireReader, end: number, depth: number): AttributeValue {
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x0a: // 1 string_value
        value = r.cachedString(end, VALUE_CACHE);
        break;
      case 0x10: // 2 bool_value
        value = r.uint32(end) !== 0;
        break;
      case 0x18: { // 3 int_value
        const n = r.int64(end);
        value = typeof n === 'number' ? n : int64ToAttribute(n);
        break;
      }
      case 0x21: // 4 double_value
        value = r.double(end);
        break;
      case 0x2a: // 5 array_value
        value = readArrayValue(r, nestedEnd(r, end, depth), depth + 1);
        break;
      case 0x32: // 6 kvlist_value
        value = readKeyValueList(r, nestedEnd(r, end, depth), depth + 1);
        break;
      case 0x3a: { // 7 bytes_value
        const stop = r.delimitedEnd(end);
        value = r.buf.toString('base64', r.pos, stop);
        r.pos = stop;
        break;
      }
      default:
        // string_value_strindex (8) is for Profiles only; the spec says to treat it as absent.
        skipOrFail(r, tag, end, ANY_VALUE_FIELDS, 'AnyValue');
    }
  }
  return value;
}

function nestedEnd(r: WireReader, end: number, depth: number): number {
  if (depth >= MAX_ANY_VALUE_DEPTH) r.fail(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  return r.delimitedEnd(end);
}

function readArrayValue(r: WireReader, end: number, depth: number): AttributeValue[] {
  const out: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) out.push(readAnyValue(r, r.delimitedEnd(end), depth)); // 1 values
    else skipOrFail(r, tag, end, 0b10, 'ArrayValue');
  }
  return out;
}

function readKeyValueList(r: WireReader, end: number, depth: number): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) readKeyValue(r, r.delimitedEnd(end), out, depth); // 1 values
    else skipOrFail(r, tag, end, 0b10, 'KeyValueList');
  }
  return out;
}

/** One KeyValue into `out`; the last of repeated keys wins. */
export function readKeyValue(r: WireReader, end: number, out: Attributes, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) key = r.cachedString(end, KEY_CACHE); // 1 key
    else if (tag === 0x12) value = readAnyValue(r, r.delimitedEnd(end), depth); // 2 value
    else skipOrFail(r, tag, end, 0b110, 'KeyValue'); // key_strindex (3) is Profiles only
  }
  setAttribute(out, key, value);
}

/** Resource (resource/v1/resource.proto): its attributes, merged into `out` if it repeats. */
export function readResource(r: WireReader, end: number, out: Attributes): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) readKeyValue(r, r.delimitedEnd(end), out, 0); // 1 attributes
    else skipOrFail(r, tag, end, 0b10, 'Resource');
  }
}

export function readScope(r: WireReader, end: number, scope: InstrumentationScope): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x0a: // 1 name
        scope.name = r.string(end);
        break;
      case 0x12: // 2 version
        scope.version = r.string(end);
        break;
      case 0x1a: // 3 attributes
        readKeyValue(r, r.delimitedEnd(end), scope.attributes, 0);
        break;
      default:
        skipOrFail(r, tag, end, 0b1110, 'InstrumentationScope');
    }
  }
}
