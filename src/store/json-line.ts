// JSON.stringify escapes a lone UTF-16 surrogate as \udXXX, which ClickHouse refuses
// (CANNOT_PARSE_ESCAPE_SEQUENCE) and would fail the whole batch. Such escapes can only come
// from a lone surrogate, or from a literal backslash followed by "ud8..." in a value; in both
// cases the slow path below is correct, and it is rare.
const SURROGATE_ESCAPE = /\\ud[89a-f]/;

/** One JSONEachRow line (without the newline) whose strings are all well-formed Unicode:
 *  lone surrogates become U+FFFD, the same as invalid UTF-8 in a protobuf string. */
export function toJsonLine(row: object): string {
  const line = JSON.stringify(row);
  return SURROGATE_ESCAPE.test(line) ? JSON.stringify(wellFormed(row)) : line;
}

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value)) out[key.toWellFormed()] = wellFormed((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
