// Typed field access over parsed OTLP/JSON with the JSON path of every failure. A shape error
// is thrown internally and turned into a Result at the decoder's boundary: checking a Result at
// every one of the many fields would cost more on the hot path than one try/catch around it.

export type JsonObject = Record<string, unknown>;

export class JsonShapeError extends Error {
  override readonly name = 'JsonShapeError';
}

/** The path from the request root to the value being read, e.g. ['resourceSpans', 0, 'scopeSpans']. */
export type JsonPath = (string | number)[];

export function formatPath(path: JsonPath, last?: string): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  if (last !== undefined) out += out === '' ? last : `.${last}`;
  return out === '' ? '(root)' : out;
}

export function shapeError(path: JsonPath, key: string | undefined, expected: string): JsonShapeError {
  return new JsonShapeError(`${formatPath(path, key)}: ${expected}`);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(path: JsonPath, value: unknown): JsonObject {
  if (!isObject(value)) throw shapeError(path, undefined, 'expected object');
  return value;
}

/** A sub-message; undefined when absent or null (proto3 JSON: null means the default). */
export function readMessage(path: JsonPath, obj: JsonObject, key: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw shapeError(path, key, 'expected object');
  return value;
}

export function readString(path: JsonPath, obj: JsonObject, key: string): string {
  const value = obj[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw shapeError(path, key, 'expected string');
  return value;
}

/** A repeated message field, each element read by `read` with its index on the path. */
export function readList<T>(path: JsonPath, obj: JsonObject, key: string, read: (path: JsonPath, item: JsonObject) => T): T[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw shapeError(path, key, 'expected array');
  const out: T[] = [];
  path.push(key);
  for (let i = 0; i < value.length; i++) {
    path.push(i);
    out.push(read(path, asObject(path, value[i])));
    path.pop();
  }
  path.pop();
  return out;
}

const UNSIGNED = /^[0-9]+$/;
const SIGNED = /^-?[0-9]+$/;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
/** Digits of UINT64_MAX; INT64_MIN has 19. */
const MAX_INT64_DIGITS = 20;

/** More significant digits than any 64-bit integer has. Checked before BigInt(), which costs
 *  O(n log n) on the way to a refusal: one 16 MB digit string held the event loop for ~4 s. */
function tooManyDigits(text: string): boolean {
  if (text.length <= MAX_INT64_DIGITS) return false;
  let i = text.charCodeAt(0) === 0x2d /* - */ ? 1 : 0;
  while (i < text.length && text.charCodeAt(i) === 0x30 /* 0 */) i++;
  return text.length - i > MAX_INT64_DIGITS;
}

/** A fixed64 time: OTLP/JSON writes 64-bit integers as decimal strings; receivers must also take numbers. */
export function readUint64(path: JsonPath, obj: JsonObject, key: string): bigint {
  const value = obj[key];
  if (value === undefined || value === null) return 0n;
  let big: bigint | undefined;
  if (typeof value === 'string' && UNSIGNED.test(value) && !tooManyDigits(value)) big = BigInt(value);
  // A number this large was already rounded by JSON.parse; keep what arrived rather than refuse it.
  else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) big = BigInt(value);
  if (big === undefined || big > UINT64_MAX) throw shapeError(path, key, 'expected unsigned 64-bit integer');
  return big;
}

export function readInt64(path: JsonPath, obj: JsonObject, key: string): bigint {
  const value = obj[key];
  let big: bigint | undefined;
  if (typeof value === 'string' && SIGNED.test(value) && !tooManyDigits(value)) big = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
  if (big === undefined || big < INT64_MIN || big > INT64_MAX) throw shapeError(path, key, 'expected 64-bit integer');
  return big;
}

/** OTLP/JSON requires enums as integers. The names are accepted too, as the Collector's decoder
 *  does, because a generic proto3 JSON encoder writes names and nothing is lost by reading them. */
export function readEnum(path: JsonPath, obj: JsonObject, key: string, names: Readonly<Record<string, number>>): number {
  const value = obj[key];
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && Object.hasOwn(names, value)) return names[value] as number;
  throw shapeError(path, key, 'expected integer enum value');
}
