/**
 * Canonical JSON, so equal payloads hash equal whatever order their keys were built in:
 * object keys sorted by UTF-16 code units, no whitespace, strings and numbers as
 * JSON.stringify writes them (the ECMAScript shortest round-trip form). That is RFC 8785 (JCS)
 * for the values JSON can hold. `undefined` members are left out and `undefined` array items
 * become null, as in JSON.stringify; toJSON() is honoured (Dates become ISO strings).
 * NaN, Infinity, bigint, functions and symbols have no JSON form and throw a TypeError rather
 * than being silently changed: an audit payload must hash what the caller meant.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return encode((value as { toJSON(): unknown }).toJSON(), path);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (item === undefined ? 'null' : encode(item, `${path}[${i}]`))).join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${encode(record[key], `${path}.${key}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
  }
}
