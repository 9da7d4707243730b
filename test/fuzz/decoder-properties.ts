// The OTLP decoder properties, shared by the bounded unit test (decoder-fuzz.test.ts) and the
// long-running fuzzer (scripts/fuzz.ts). Each check throws PropertyViolation when it fails.
import fc from 'fast-check';
import { decodeLogsRequestJson, decodeTraceRequestJson } from '../../src/otlp/decode-json.ts';
import { decodeLogsRequestProto, decodeTraceRequestProto } from '../../src/otlp/decode-proto.ts';
import { MAX_ANY_VALUE_DEPTH } from '../../src/otlp/limits.ts';
import type { TraceRequest } from '../../src/otlp/otlp-types.ts';
import type { Result } from '../../src/errors/warden-error.ts';
import { checkNoPrototypePollution, checkTraceRequest, expectDeepEqual, violation } from './decoded-invariants.ts';
import { nestedChain, noise, request } from './otlp-arbitraries.ts';
import { byteMutation, jsonMutation, mutateJson, mutateJsonText, mutateProtobuf, textMutation } from './mutations.ts';
import { expectedAnyValue, expectedRequest, jsonAnyValue, jsonRequest, requestFields } from './otlp-model.ts';
import type { AnyModel, RequestModel, SpanModel } from './otlp-model.ts';
import { encodeFields, pb } from './protobuf-encoder.ts';

/** Per input, far above the microseconds a small body takes: only a hang or a blow-up trips it. */
export const MAX_DECODE_MS = 1000;

/** The slowest single decode seen, for the fuzzer's report. */
export const decodeStats = { maxMs: 0 };

function timed<T>(decode: () => T): T {
  const start = performance.now();
  const out = decode();
  const ms = performance.now() - start;
  if (ms > decodeStats.maxMs) decodeStats.maxMs = ms;
  if (ms > MAX_DECODE_MS) violation(`decoding took ${ms.toFixed(0)} ms`);
  return out;
}

type Format = 'protobuf' | 'json';
const CODE: Record<Format, string> = { protobuf: 'WARDEN_OTLP_BAD_PROTOBUF', json: 'WARDEN_OTLP_BAD_JSON' };

/** A decode either succeeded with a well-shaped request or failed as bad input, with a message. */
export function checkClean<T>(result: Result<T>, format: Format, check?: (value: T) => void): void {
  if (typeof result !== 'object' || result === null) violation(`decoder returned ${String(result)}`);
  if (result.ok) {
    check?.(result.value);
  } else {
    const { code, message, retryable } = result.error;
    if (code !== CODE[format]) violation(`failure code ${code}, expected ${CODE[format]}`);
    if (retryable) violation('bad input reported as retryable');
    if (typeof message !== 'string' || message.length === 0 || message.length > 4096) violation(`unusable message: ${String(message).slice(0, 200)}`);
  }
  checkNoPrototypePollution();
}

function decodeProtoClean(bytes: Uint8Array): Result<TraceRequest> {
  const traces = timed(() => decodeTraceRequestProto(bytes));
  checkClean(traces, 'protobuf', (value) => checkTraceRequest(value, true));
  checkClean(
    timed(() => decodeLogsRequestProto(bytes)),
    'protobuf',
  );
  return traces;
}

function decodeJsonClean(body: Uint8Array | string): Result<TraceRequest> {
  const traces = timed(() => decodeTraceRequestJson(body));
  checkClean(traces, 'json', (value) => checkTraceRequest(value, false));
  checkClean(
    timed(() => decodeLogsRequestJson(body)),
    'json',
  );
  return traces;
}

const FIXED_SPAN: SpanModel = {
  traceId: Uint8Array.from({ length: 16 }, (_, i) => i + 1),
  spanId: Uint8Array.from({ length: 8 }, (_, i) => i + 1),
  parentSpanId: new Uint8Array(),
  traceState: '',
  name: 'nested',
  kind: 1,
  start: 1n,
  end: 2n,
  attributes: [],
  events: [],
  links: [],
  status: undefined,
};

/** One span whose attribute `nested` holds `value`, in a whole request. */
function requestWithValue(value: AnyModel): RequestModel {
  return { resourceSpans: [{ resource: undefined, scopeSpans: [{ scope: undefined, spans: [{ ...FIXED_SPAN, attributes: [{ key: 'nested', value }] }] }] }] };
}

export interface NamedProperty {
  name: string;
  property: fc.IProperty<never>;
}

function named<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IPropertyWithHooks<Ts>): NamedProperty {
  return { name, property: property as unknown as fc.IProperty<never> };
}

export function decoderProperties(): NamedProperty[] {
  return [
    named(
      'protobuf: arbitrary bytes decode or fail cleanly',
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 256 }),
          // Start like a real request so the decoder gets past the first tag more often.
          fc.uint8Array({ maxLength: 256 }).map((rest) => Uint8Array.from([0x0a, rest.length & 0x7f, ...rest])),
        ),
        (bytes) => {
          decodeProtoClean(bytes);
        },
      ),
    ),
    named(
      'protobuf: a valid request round-trips, unknown fields skipped',
      fc.property(request, noise, (model, unknown) => {
        const result = decodeProtoClean(encodeFields(requestFields(model, unknown)).bytes);
        if (!result.ok) violation(`valid request refused: ${result.error.message}`);
        expectDeepEqual(result.value, expectedRequest(model, 'protobuf'), 'decoded request');
      }),
    ),
    named(
      'protobuf: a mutated request decodes or fails cleanly',
      fc.property(request, noise, fc.array(byteMutation, { minLength: 1, maxLength: 4 }), (model, unknown, mutations) => {
        decodeProtoClean(mutateProtobuf(encodeFields(requestFields(model, unknown)), mutations));
      }),
    ),
    named(
      'protobuf: nesting is accepted up to the limit and refused beyond it',
      fc.property(nestedChain, (chain) => {
        const result = decodeProtoClean(encodeFields(requestFields(requestWithValue(chain.value))).bytes);
        if (chain.depth <= MAX_ANY_VALUE_DEPTH) {
          if (!result.ok) violation(`depth ${chain.depth} refused: ${result.error.message}`);
          const decoded = result.value.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes['nested'];
          expectDeepEqual(decoded, expectedAnyValue(chain.value, 'protobuf'), 'nested value');
        } else if (result.ok || !result.error.message.includes(`nested deeper than ${MAX_ANY_VALUE_DEPTH}`)) {
          violation(`depth ${chain.depth} not refused for nesting: ${result.ok ? 'accepted' : result.error.message}`);
        }
      }),
    ),
    named(
      'protobuf: invalid UTF-8 in strings becomes U+FFFD, the rest of the request intact',
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.uint8Array({ maxLength: 24 }), fc.uint8Array({ maxLength: 24 }), (name, key, value) => {
        const kv = pb.message(9, [pb.bytes(1, key), pb.message(2, [pb.bytes(1, value)])]);
        const spanBytes = [pb.bytes(1, Uint8Array.from({ length: 16 }, (_, i) => i + 1)), pb.bytes(2, Uint8Array.from({ length: 8 }, (_, i) => i + 1)), pb.bytes(5, name), kv];
        const body = encodeFields([pb.message(1, [pb.message(2, [pb.message(2, spanBytes)])])]).bytes;
        const result = decodeProtoClean(body);
        if (!result.ok) violation(`refused: ${result.error.message}`);
        const decoded = result.value.resourceSpans[0]?.scopeSpans[0]?.spans[0];
        const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
        expectDeepEqual(decoded?.name, utf8(name), 'span name');
        expectDeepEqual(decoded?.attributes, { [utf8(key)]: utf8(value) }, 'attributes');
        expectDeepEqual(decoded?.traceId, '0102030405060708090a0b0c0d0e0f10', 'trace id');
      }),
    ),
    named(
      'json: arbitrary text and JSON values decode or fail cleanly',
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [v] }] }] })),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 'k', value: v }] }] }] }] })),
          fc.string({ unit: 'binary', maxLength: 64 }),
          fc.uint8Array({ maxLength: 128 }),
        ),
        (body) => {
          decodeJsonClean(body);
        },
      ),
    ),
    named(
      'json: a valid request round-trips in every allowed spelling',
      fc.property(request, fc.nat(127), (model, bits) => {
        const body = JSON.stringify(jsonRequest(model, { bits }));
        const result = decodeJsonClean(bits & 1 ? Buffer.from(body, 'utf8') : body);
        if (!result.ok) violation(`valid request refused: ${result.error.message}`);
        expectDeepEqual(result.value, expectedRequest(model, 'json'), 'decoded request');
      }),
    ),
    named(
      'json: a mutated request decodes or fails cleanly',
      fc.property(
        request,
        fc.nat(127),
        fc.array(jsonMutation, { maxLength: 3 }),
        fc.array(textMutation, { maxLength: 2 }),
        (model, bits, mutations, textMutations) => {
          const mutated = JSON.stringify(mutateJson(jsonRequest(model, { bits }), mutations)) ?? 'null';
          decodeJsonClean(textMutations.length === 0 ? mutated : mutateJsonText(mutated, textMutations));
        },
      ),
    ),
    named(
      'json: nesting is accepted up to the limit and refused beyond it',
      fc.property(nestedChain, (chain) => {
        const body = JSON.stringify(jsonRequest(requestWithValue(chain.value), { bits: 0 }));
        const result = decodeJsonClean(body);
        if (chain.depth <= MAX_ANY_VALUE_DEPTH) {
          if (!result.ok) violation(`depth ${chain.depth} refused: ${result.error.message}`);
          const decoded = result.value.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes['nested'];
          expectDeepEqual(decoded, expectedAnyValue(chain.value, 'json'), 'nested value');
        } else if (result.ok || !result.error.message.includes(`nested deeper than ${MAX_ANY_VALUE_DEPTH}`)) {
          violation(`depth ${chain.depth} not refused for nesting: ${result.ok ? 'accepted' : result.error.message}`);
        }
      }),
    ),
    named(
      'json: ids in base64 (protobuf JSON, not OTLP) are never misread as hex',
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), (traceId, spanId) => {
        const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.from(traceId).toString('base64'), spanId: Buffer.from(spanId).toString('base64') }] }] }] });
        const result = decodeJsonClean(body);
        if (!result.ok) violation(`refused: ${result.error.message}`);
        const decoded = result.value.resourceSpans[0]?.scopeSpans[0]?.spans[0];
        expectDeepEqual([decoded?.traceId, decoded?.spanId], ['', ''], 'ids');
      }),
    ),
  ];
}
