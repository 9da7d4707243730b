// Attribute maps for fuzzing the normalizer: the keys every mapper reads (taken from
// src/semconv, so new conventions are fuzzed without editing this file) mixed with random keys
// under the same prefixes, holding values of the right type, the wrong type, or hostile ones.
import fc from 'fast-check';
import type { AttributeValue, Attributes, Span, TraceRequest } from '../../src/otlp/otlp-types.ts';
import * as agentConventions from '../../src/semconv/agent-attributes.ts';
import * as genAiConventions from '../../src/semconv/gen-ai-attributes.ts';
import * as generalConventions from '../../src/semconv/general-attributes.ts';
import * as openInferenceConventions from '../../src/semconv/openinference-attributes.ts';
import * as openLlmetryConventions from '../../src/semconv/openllmetry-attributes.ts';
import * as vercelAiConventions from '../../src/semconv/vercel-ai-attributes.ts';
import { text } from './hostile-text.ts';

const KEYS = new Set<string>();
const VALUES = new Set<string>();
for (const module of [agentConventions, genAiConventions, generalConventions, openInferenceConventions, openLlmetryConventions, vercelAiConventions]) {
  for (const [name, exported] of Object.entries(module)) {
    const strings = typeof exported === 'string' ? [exported] : exported instanceof Set || Array.isArray(exported) ? [...(exported as Iterable<unknown>)] : [];
    for (const s of strings) {
      if (typeof s !== 'string') continue;
      if (name.startsWith('ATTR_') || name.endsWith('_KEYS')) KEYS.add(s);
      else VALUES.add(s);
    }
  }
}

/** Every attribute name a mapper reads. */
export const CONVENTION_KEYS: readonly string[] = [...KEYS];
/** Every enumerated value the conventions define (operation names, span kinds, suffixes...). */
export const CONVENTION_VALUES: readonly string[] = [...VALUES];

const MIB = 1024 * 1024;
/** Built once: 1 MiB strings a mapper might split, parse as JSON, lower-case or price. None has
 *  '.' or '/', which the price table treats as routing prefixes (see mapper-fuzz.test.ts). */
export const MEGABYTE_STRINGS: readonly string[] = [
  'A'.repeat(MIB),
  ','.repeat(MIB),
  '{'.repeat(MIB),
  '['.repeat(MIB / 2) + ']'.repeat(MIB / 2),
  `"${'\\"'.repeat(MIB / 2 - 1)}"`,
  '\u0000'.repeat(MIB),
  '\ud800'.repeat(MIB),
  'gpt-4o'.repeat(MIB / 6),
];

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, -1, 0.5, 1.5, -1e300, 1e300, Number.MAX_SAFE_INTEGER, 2 ** 64, Number.MIN_VALUE, -Number.MIN_VALUE),
  fc.integer(),
  fc.double({ min: -1e300, max: 1e300, noNaN: true }),
);

/** Spellings of numbers in strings, valid or not. None is above 1e300 (see mapper-fuzz.test.ts). */
const numericString = fc.oneof(
  hostileNumber.map(String),
  fc.constantFrom('', ' ', ' 12 ', '0x10', '1e3', '1e400', '-1e400', '18446744073709551616', '-9223372036854775809', 'NaN', 'Infinity', '-0', '1_000', '١٢٣', '12abc'),
);

const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 3, arbitrary: fc.constantFrom(...CONVENTION_VALUES) },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 3, arbitrary: numericString },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', null) },
  { weight: 1, arbitrary: fc.constantFrom(...MEGABYTE_STRINGS) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
);

/** Any attribute value: scalars, and arrays and kvlists of them (what OTLP AnyValue decodes to). */
export const hostileValue: fc.Arbitrary<AttributeValue> = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(text, fc.constantFrom('args', 'kwargs', '__proto__')), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const PREFIXES = ['gen_ai.', 'agent.', 'llm.', 'ai.', 'traceloop.', 'openinference.', 'tool.', 'session.', 'gen_ai.usage.', 'llm.token_count.'];

const key: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CONVENTION_KEYS) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), text).map(([p, t]) => p + t) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty') },
);

function toAttributes(entries: [string, AttributeValue][]): Attributes {
  const out: Attributes = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Keys whose value decides what a span is: paired with the conventions' values so the mappers'
 *  branches (agent, llm, tool, workflow...) are taken, not only their fall-throughs. */
const DISCRIMINATORS = [
  genAiConventions.ATTR_GEN_AI_OPERATION_NAME,
  openInferenceConventions.ATTR_OPENINFERENCE_SPAN_KIND,
  openLlmetryConventions.ATTR_TRACELOOP_SPAN_KIND,
  openLlmetryConventions.ATTR_LLM_REQUEST_TYPE,
  vercelAiConventions.ATTR_AI_OPERATION_ID,
];
const NUMERIC_KEYS = CONVENTION_KEYS.filter((k) => /token|cost|confidence|usage/.test(k));

export const hostileAttributes: fc.Arbitrary<Attributes> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...DISCRIMINATORS), fc.constantFrom(...CONVENTION_VALUES)), { maxLength: 2 }),
    fc.array(fc.tuple(fc.constantFrom(...NUMERIC_KEYS), fc.oneof(hostileNumber, numericString)), { maxLength: 3 }),
    fc.array(fc.tuple(key, hostileValue), { maxLength: 10 }),
  )
  .map(([kinds, numbers, rest]) => toAttributes([...kinds, ...numbers, ...rest]));

// Ids from small pools, so spans in one request (and across requests) are parents of each
// other, of themselves, or in cycles, and identity resolution walks real chains.
const traceId = fc.constantFrom('', '0af7651916cd43dd8448eb211c80319c', '4bf92f3577b34da6a3ce929d0e0e4736');
const spanId = fc.constantFrom('', '00f067aa0ba902b7', '53995c3f42cd8ad8', 'b7ad6b7169203331', '1122334455667788');

const hostileSpan: fc.Arbitrary<Span> = fc.record({
  traceId,
  spanId,
  parentSpanId: spanId,
  traceState: text,
  name: fc.oneof(text, fc.constantFrom('execute_tool ', 'execute_tool search', 'invoke_agent', ...MEGABYTE_STRINGS.slice(0, 1))),
  kind: fc.constantFrom(0, 1, 2, 3, 4, 5),
  startTimeUnixNano: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  endTimeUnixNano: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  attributes: hostileAttributes,
  events: fc.array(
    fc.record({ timeUnixNano: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), name: fc.constantFrom('exception', 'agent.outcome', 'x'), attributes: hostileAttributes }),
    { maxLength: 2 },
  ),
  links: fc.constant([]),
  status: fc.record({ code: fc.constantFrom(0, 1, 2), message: text }),
});

export const hostileRequest: fc.Arbitrary<TraceRequest> = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: hostileAttributes,
      scopeSpans: fc.array(fc.record({ scope: fc.record({ name: text, version: text, attributes: fc.constant({}) }), spans: fc.array(hostileSpan, { maxLength: 4 }) }), {
        maxLength: 2,
      }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});
