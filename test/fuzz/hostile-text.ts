// Strings an attacker or a broken client can put in any OTLP string field: SQL and ClickHouse
// parameter syntax, quotes and backslashes, control characters and NUL, lone UTF-16 surrogates,
// line and paragraph separators, astral characters.
import fc from 'fast-check';

export const SQL_FRAGMENTS = [
  "'); DROP TABLE otel_traces; --",
  "' OR '1'='1",
  '{name:String}',
  '{traceId:String}',
  '\\',
  '\\\\',
  "\\'",
  '"',
  "'",
  '`',
  '$$',
  ';',
  '\\N',
  '--',
  '/*',
] as const;

export const SPECIAL_CHARACTERS = ['\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\ufffd', '😀', '漢'] as const;

export const loneSurrogate: fc.Arbitrary<string> = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const hostileUnit = fc.oneof(
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
  fc.constantFrom(...SQL_FRAGMENTS),
  fc.constantFrom(...SPECIAL_CHARACTERS),
  loneSurrogate,
);

/** Short text: mostly printable, often hostile, sometimes any code point or a lone surrogate. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 3, arbitrary: fc.string({ unit: hostileUnit, maxLength: 6 }) },
);
