// fast-check arbitraries for OTLP trace requests (otlp-model.ts) and for unknown fields.
import fc from 'fast-check';
import { text } from './hostile-text.ts';
import type { AnyModel, EventModel, KeyValueModel, LinkModel, RequestModel, SpanModel } from './otlp-model.ts';
import type { PbField } from './protobuf-encoder.ts';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** An id: usually the right width, sometimes all zero (invalid), sometimes the wrong width. */
export function idBytes(width: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.uint8Array({ minLength: width, maxLength: width }) },
    { weight: 1, arbitrary: fc.constant(new Uint8Array(width)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }) },
  );
}

export const uint64: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: UINT64_MAX }),
  fc.constantFrom(0n, 1n, BigInt(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER) + 1n, 1n << 63n, UINT64_MAX),
);

const int64: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.integer().map(BigInt),
  fc.constantFrom(INT64_MIN, INT64_MAX, -1n, 0n, BigInt(Number.MAX_SAFE_INTEGER) + 1n, BigInt(Number.MIN_SAFE_INTEGER) - 1n),
);

const attributeKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('', '__proto__', 'constructor', 'toString', 'gen_ai.agent.id', 'agent.id', 'service.name') },
);

export interface AnyValueShape {
  /** Container nesting allowed below a top-level attribute value. */
  maxDepth: number;
}

export function anyValueArbitraries(shape: AnyValueShape): { any: fc.Arbitrary<AnyModel>; keyValues: fc.Arbitrary<KeyValueModel[]> } {
  const tree = fc.letrec<{ any: AnyModel; keyValues: KeyValueModel[] }>((tie) => ({
    any: fc.oneof(
      { maxDepth: shape.maxDepth, depthSize: 'small' },
      text.map((value) => ({ type: 'string' as const, value })),
      fc.boolean().map((value) => ({ type: 'bool' as const, value })),
      int64.map((value) => ({ type: 'int' as const, value })),
      fc.double().map((value) => ({ type: 'double' as const, value })),
      fc.uint8Array({ maxLength: 12 }).map((value) => ({ type: 'bytes' as const, value })),
      fc.constant({ type: 'empty' as const }),
      fc.array(tie('any'), { maxLength: 3 }).map((value) => ({ type: 'array' as const, value })),
      tie('keyValues').map((value) => ({ type: 'kvlist' as const, value })),
    ),
    keyValues: fc.array(
      fc.record({ key: attributeKey, value: fc.option(tie('any'), { nil: undefined, freq: 8 }) }),
      { maxLength: 3 },
    ),
  }));
  return { any: tree.any, keyValues: tree.keyValues };
}

const { keyValues } = anyValueArbitraries({ maxDepth: 3 });

const event: fc.Arbitrary<EventModel> = fc.record({ time: uint64, name: text, attributes: keyValues });

const link: fc.Arbitrary<LinkModel> = fc.record({ traceId: idBytes(16), spanId: idBytes(8), traceState: text, attributes: keyValues });

const int32 = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));

export const span: fc.Arbitrary<SpanModel> = fc.record({
  traceId: idBytes(16),
  spanId: idBytes(8),
  parentSpanId: fc.oneof(fc.constant(new Uint8Array()), idBytes(8)),
  traceState: text,
  name: text,
  kind: int32,
  start: uint64,
  end: uint64,
  attributes: keyValues,
  events: fc.array(event, { maxLength: 2 }),
  links: fc.array(link, { maxLength: 1 }),
  status: fc.option(fc.record({ code: int32, message: text }), { nil: undefined }),
});

export const request: fc.Arbitrary<RequestModel> = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: fc.option(keyValues, { nil: undefined }),
      scopeSpans: fc.array(
        fc.record({
          scope: fc.option(fc.record({ name: text, version: text, attributes: keyValues }), { nil: undefined }),
          spans: fc.array(span, { maxLength: 3 }),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  ),
});

/**
 * Fields no OTLP trace message defines (16 and up, to 2^29 - 1), of every wire type, groups
 * included: a receiver must skip them (proto3), whichever message they appear in.
 */
export const unknownField: fc.Arbitrary<PbField> = fc.letrec<{ field: PbField }>((tie) => ({
  field: fc.oneof(
    { maxDepth: 2 },
    fc.record({ field: fc.integer({ min: 16, max: 2 ** 29 - 1 }), wire: fc.constant(0 as const), value: fc.bigInt({ min: -(1n << 63n), max: UINT64_MAX }) }),
    fc.record({ field: fc.integer({ min: 16, max: 2 ** 29 - 1 }), wire: fc.constant(1 as const), value: fc.bigInt({ min: 0n, max: UINT64_MAX }) }),
    fc.record({ field: fc.integer({ min: 16, max: 2 ** 29 - 1 }), wire: fc.constant(5 as const), value: fc.nat() }),
    fc.record({ field: fc.integer({ min: 16, max: 2 ** 29 - 1 }), wire: fc.constant(2 as const), value: fc.uint8Array({ maxLength: 8 }) }),
    fc.record({ field: fc.integer({ min: 16, max: 2 ** 29 - 1 }), wire: fc.constant(3 as const), value: fc.array(tie('field'), { maxLength: 2 }) }),
  ),
})).field;

export const noise: fc.Arbitrary<PbField[]> = fc.oneof(fc.constant<PbField[]>([]), fc.array(unknownField, { minLength: 1, maxLength: 2 }));

/** A chain of `depth` nested containers (arrays and kvlists in any order) ending in a string. */
export const nestedChain: fc.Arbitrary<{ depth: number; value: AnyModel }> = fc
  .tuple(fc.oneof(fc.integer({ min: 28, max: 36 }), fc.integer({ min: 1, max: 48 })), fc.nat(), fc.nat())
  .map(([depth, low, high]) => {
    let value: AnyModel = { type: 'string', value: 'leaf' };
    for (let i = 0; i < depth; i++) {
      // Bit i of the two 31-bit numbers picks array or kvlist for level i.
      const isArray = Math.floor((i < 31 ? low : high) / 2 ** (i % 31)) % 2 === 0;
      value = isArray ? { type: 'array', value: [value] } : { type: 'kvlist', value: [{ key: 'k', value }] };
    }
    return { depth, value };
  });
