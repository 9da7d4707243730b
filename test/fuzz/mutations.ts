// Mutations of valid encodings: byte-level damage to protobuf (aimed at tags and length prefixes
// where the encoder recorded them) and structural or textual damage to OTLP/JSON.
import fc from 'fast-check';
import { type PbEncoding, varintBytes } from './protobuf-encoder.ts';

export type ByteMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'length'; which: number; value: number; relative: boolean }
  | { kind: 'wire'; which: number; wire: number }
  | { kind: 'field'; which: number; field: number }
  | { kind: 'varint'; at: number; bytes: Uint8Array };

/** Varints a careless or hostile sender writes: never ending, over-long, maximal. */
const PATHOLOGICAL_VARINTS = [
  new Uint8Array(11).fill(0x80),
  Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
  Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x08]), // 2^31
  Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
  Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
  Uint8Array.from([0x80]),
];

/** Declared lengths: off by a little, zero, or far past any body (2^31, 2^32 - 1, 2^35). */
const lengthValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((value) => ({ value, relative: true })),
  fc.constantFrom(0, 1, 127, 128, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 35).map((value) => ({ value, relative: false })),
  fc.nat().map((value) => ({ value, relative: false })),
);

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.tuple(fc.nat(), lengthValue).map(([which, v]) => ({ kind: 'length' as const, which, ...v })),
  fc.record({ kind: fc.constant('wire' as const), which: fc.nat(), wire: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('field' as const), which: fc.nat(), field: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 ** 29 - 1 })) }),
  fc.record({ kind: fc.constant('varint' as const), at: fc.nat(), bytes: fc.constantFrom(...PATHOLOGICAL_VARINTS) }),
);

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** The varint at `at` (at most 5 bytes read) and its size; offsets drift after earlier splices. */
function readVarint(bytes: Uint8Array, at: number): { value: number; size: number } {
  let value = 0;
  let size = 0;
  for (let shift = 0; shift < 35 && at + size < bytes.length; shift += 7) {
    const b = bytes[at + size] as number;
    size++;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  return { value, size: Math.max(size, 1) };
}

export function mutateProtobuf(encoding: PbEncoding, mutations: readonly ByteMutation[]): Uint8Array {
  let bytes = encoding.bytes;
  for (const m of mutations) {
    const n = bytes.length;
    switch (m.kind) {
      case 'flip':
        if (n === 0) break;
        bytes = Uint8Array.from(bytes);
        bytes[m.at % n] = (bytes[m.at % n] as number) ^ (1 << m.bit);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, m.at % (n + 1));
        break;
      case 'insert':
        bytes = splice(bytes, m.at % (n + 1), 0, m.bytes);
        break;
      case 'delete':
        bytes = splice(bytes, m.at % (n + 1), Math.min(m.count, n - (m.at % (n + 1))), new Uint8Array());
        break;
      case 'length': {
        const target = encoding.lengths[m.which % Math.max(encoding.lengths.length, 1)];
        if (target === undefined || target.offset >= n) break;
        const value = m.relative ? Math.max(0, target.value + m.value) : m.value;
        bytes = splice(bytes, target.offset, Math.min(target.size, n - target.offset), varintBytes(value));
        break;
      }
      case 'wire':
      case 'field': {
        const at = encoding.tags[m.which % Math.max(encoding.tags.length, 1)];
        if (at === undefined || at >= n) break;
        const tag = readVarint(bytes, at);
        const next = m.kind === 'wire' ? Math.floor(tag.value / 8) * 8 + m.wire : m.field * 8 + (tag.value % 8);
        bytes = splice(bytes, at, tag.size, varintBytes(next));
        break;
      }
      case 'varint':
        bytes = splice(bytes, m.at % (n + 1), 0, m.bytes);
        break;
    }
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// OTLP/JSON.

export type JsonMutation =
  | { kind: 'replace'; which: number; value: unknown }
  | { kind: 'delete'; which: number }
  | { kind: 'wrap'; which: number }
  | { kind: 'nest'; which: number; depth: number };

/** Values that look almost right: integers out of range or absurdly long, wrong types, tricks. */
const HOSTILE_JSON_TEXT = [
  `"${'9'.repeat(5000)}"`,
  `"${'0'.repeat(5000)}1"`,
  '"18446744073709551616"',
  '"-9223372036854775809"',
  '"-1"',
  '"1e3"',
  '"0x10"',
  '" 1"',
  '""',
  '"NaN"',
  '"-"',
  '1e308',
  '-1',
  '1.5',
  '18446744073709551616',
  '"AAAAAAAAAAAAAAAAAAAAAA=="',
  '"zz"',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '[]',
  '{}',
  'null',
  'true',
];

const hostileJson = fc.constantFrom(...HOSTILE_JSON_TEXT).map((t) => JSON.parse(t) as unknown);

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), which: fc.nat(), value: fc.oneof(hostileJson, fc.jsonValue({ maxDepth: 2 })) }),
  fc.record({ kind: fc.constant('delete' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('wrap' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('nest' as const), which: fc.nat(), depth: fc.integer({ min: 1, max: 40 }) }),
);

type Container = Record<string, unknown> | unknown[];

function nodesOf(root: unknown): { parent: Container; key: string | number }[] {
  const out: { parent: Container; key: string | number }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        stack.push(child);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        out.push({ parent: node as Record<string, unknown>, key });
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return out;
}

function nestedAnyValue(depth: number): unknown {
  let value: unknown = { stringValue: 'leaf' };
  for (let i = 0; i < depth; i++) {
    value = i % 2 === 0 ? { arrayValue: { values: [value] } } : { kvlistValue: { values: [{ key: 'k', value }] } };
  }
  return value;
}

/** Applies mutations in place to a fresh copy of `value` and returns it. */
export function mutateJson(value: unknown, mutations: readonly JsonMutation[]): unknown {
  const root = { root: structuredClone(value) };
  for (const m of mutations) {
    const nodes = nodesOf(root);
    const node = nodes[m.which % nodes.length];
    if (node === undefined) continue;
    const { parent, key } = node;
    const get = (): unknown => (parent as Record<string | number, unknown>)[key];
    const set = (v: unknown): void => {
      (parent as Record<string | number, unknown>)[key] = v;
    };
    if (m.kind === 'replace') set(m.value);
    else if (m.kind === 'wrap') set([get()]);
    else if (m.kind === 'nest') set(nestedAnyValue(m.depth));
    else if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  }
  return root.root;
}

export type TextMutation = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; bit: number } | { kind: 'insert'; at: number; text: string };

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\\u', '\\ud800', '1e999', '-', 'null'), fc.string({ maxLength: 4 })) }),
);

/** Damages the UTF-8 bytes of a JSON text (flips can make it invalid UTF-8). */
export function mutateJsonText(textValue: string, mutations: readonly TextMutation[]): Uint8Array {
  let bytes: Uint8Array = Buffer.from(textValue, 'utf8');
  for (const m of mutations) {
    const n = bytes.length;
    if (m.kind === 'truncate') bytes = bytes.subarray(0, m.at % (n + 1));
    else if (m.kind === 'flip') {
      if (n === 0) continue;
      bytes = Uint8Array.from(bytes);
      bytes[m.at % n] = (bytes[m.at % n] as number) ^ (1 << m.bit);
    } else bytes = splice(bytes, m.at % (n + 1), 0, Buffer.from(m.text, 'utf8'));
  }
  return bytes;
}
