// OTLP/JSON AnyValue and KeyValue lists to AttributeValue / Attributes.
import type { AttributeValue, Attributes } from './otlp-types.ts';
import { int64ToAttribute, setAttribute } from './attribute-values.ts';
import { MAX_ANY_VALUE_DEPTH } from './limits.ts';
import type { JsonObject, JsonPath } from './json-reader.ts';
import { asObject, isObject, readInt64, shapeError } from './json-reader.ts';

const NUMERIC = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** `depth` counts the array/kvlist levels above this value; deeper than MAX_ANY_VALUE_DEPTH fails. */
export function readAnyValue(path: JsonPath, value: JsonObject, depth: number): AttributeValue {
  // A oneof: the first member present wins; an empty AnyValue is null.
  const s = value['stringValue'];
  if (s !== undefined && s !== null) {
    if (typeof s !== 'string') throw shapeError(path, 'stringValue', 'expected string');
    return s;
  }
  const b = value['boolValue'];
  if (b !== undefined && b !== null) {
    if (typeof b !== 'boolean') throw shapeError(path, 'boolValue', 'expected boolean');
    return b;
  }
  const i = value['intValue'];
  if (i !== undefined && i !== null) return int64ToAttribute(readInt64(path, value, 'intValue'));
  const d = value['doubleValue'];
  if (d !== undefined && d !== null) return readDouble(path, d);
  const a = value['arrayValue'];
  if (a !== undefined && a !== null) {
    path.push('arrayValue');
    const values = nestedValues(path, a, depth);
    const out: AttributeValue[] = [];
    path.push('values');
    for (let k = 0; k < values.length; k++) {
      path.push(k);
      out.push(readAnyValue(path, asObject(path, values[k]), depth + 1));
      path.pop();
    }
    path.length -= 2;
    return out;
  }
  const kv = value['kvlistValue'];
  if (kv !== undefined && kv !== null) {
    path.push('kvlistValue');
    const values = nestedValues(path, kv, depth);
    const out: Record<string, AttributeValue> = {};
    path.push('values');
    readKeyValues(path, values, out, depth + 1);
    path.length -= 2;
    return out;
  }
  const bytes = value['bytesValue'];
  if (bytes !== undefined && bytes !== null) {
    if (typeof bytes !== 'string') throw shapeError(path, 'bytesValue', 'expected base64 string');
    // Re-encoded so that URL-safe or unpadded base64 reads the same as the protobuf decoder's output.
    return Buffer.from(bytes, 'base64').toString('base64');
  }
  return null;
}

/** The `values` array of an ArrayValue or KeyValueList, after the depth check. */
function nestedValues(path: JsonPath, container: unknown, depth: number): unknown[] {
  if (depth >= MAX_ANY_VALUE_DEPTH) throw shapeError(path, undefined, `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  if (!isObject(container)) throw shapeError(path, undefined, 'expected object');
  const values = container['values'];
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw shapeError(path, 'values', 'expected array');
  return values;
}

function readDouble(path: JsonPath, d: unknown): number {
  if (typeof d === 'number') return d;
  // proto3 JSON spells the non-finite doubles as strings and allows numbers in strings.
  if (typeof d === 'string') {
    if (d === 'NaN') return Number.NaN;
    if (d === 'Infinity') return Number.POSITIVE_INFINITY;
    if (d === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (NUMERIC.test(d)) return Number(d);
  }
  throw shapeError(path, 'doubleValue', 'expected number');
}

/** KeyValue list items into `out`; the caller has pushed the list's name onto `path`. */
function readKeyValues(path: JsonPath, values: unknown[], out: Record<string, AttributeValue>, depth: number): void {
  for (let k = 0; k < values.length; k++) {
    path.push(k);
    const item = asObject(path, values[k]);
    const key = item['key'];
    if (key !== undefined && key !== null && typeof key !== 'string') throw shapeError(path, 'key', 'expected string');
    const raw = item['value'];
    let value: AttributeValue = null;
    if (raw !== undefined && raw !== null) {
      path.push('value');
      value = readAnyValue(path, asObject(path, raw), depth);
      path.pop();
    }
    setAttribute(out, key ?? '', value);
    path.pop();
  }
}

/** A repeated KeyValue field such as `attributes`; when a key repeats the last one wins. */
export function readAttributes(path: JsonPath, obj: JsonObject, key: string): Attributes {
  const out: Attributes = {};
  const values = obj[key];
  if (values === undefined || values === null) return out;
  if (!Array.isArray(values)) throw shapeError(path, key, 'expected array');
  path.push(key);
  readKeyValues(path, values, out, 0);
  path.pop();
  return out;
}
