// A minimal protobuf wire encoder for fuzzing: unlike protobufjs's Writer it can write any
// field number with any wire type (including groups and wrong types on purpose) and it records
// where every tag and length prefix landed, so mutations can aim at them.
// Wire format: https://protobuf.dev/programming-guides/encoding/

export type PbField =
  | { field: number; wire: 0; value: bigint } // varint; negative values are written as 10-byte two's complement
  | { field: number; wire: 1; value: bigint } // fixed64
  | { field: number; wire: 5; value: number } // fixed32
  | { field: number; wire: 2; value: Uint8Array | PbField[] } // bytes, string or sub-message
  | { field: number; wire: 3; value: PbField[] }; // group (start tag, fields, end tag)

export interface PbEncoding {
  bytes: Uint8Array;
  /** Offsets of every tag varint. */
  tags: number[];
  /** Offset and byte size of every length prefix, with the length it declares. */
  lengths: { offset: number; size: number; value: number }[];
}

export function varintBytes(value: bigint | number): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) size++;
  return size;
}

function tagOf(field: number, wire: number): number {
  return field * 8 + wire;
}

const sizes = new WeakMap<PbField[], number>();

function sizeOf(fields: PbField[]): number {
  const known = sizes.get(fields);
  if (known !== undefined) return known;
  let size = 0;
  for (const f of fields) {
    size += varintSize(tagOf(f.field, f.wire));
    if (f.wire === 0) size += varintBytes(f.value).length;
    else if (f.wire === 1) size += 8;
    else if (f.wire === 5) size += 4;
    else if (f.wire === 3) size += sizeOf(f.value) + varintSize(tagOf(f.field, 4));
    else {
      const inner = f.value instanceof Uint8Array ? f.value.length : sizeOf(f.value);
      size += varintSize(inner) + inner;
    }
  }
  sizes.set(fields, size);
  return size;
}

export function encodeFields(fields: PbField[]): PbEncoding {
  const bytes = new Uint8Array(sizeOf(fields));
  const view = new DataView(bytes.buffer);
  const out: PbEncoding = { bytes, tags: [], lengths: [] };
  let pos = 0;
  const varint = (value: bigint | number): void => {
    const encoded = varintBytes(value);
    bytes.set(encoded, pos);
    pos += encoded.length;
  };
  const write = (list: PbField[]): void => {
    for (const f of list) {
      out.tags.push(pos);
      varint(tagOf(f.field, f.wire));
      if (f.wire === 0) varint(f.value);
      else if (f.wire === 1) {
        view.setBigUint64(pos, BigInt.asUintN(64, f.value), true);
        pos += 8;
      } else if (f.wire === 5) {
        view.setUint32(pos, f.value >>> 0, true);
        pos += 4;
      } else if (f.wire === 3) {
        write(f.value);
        out.tags.push(pos);
        varint(tagOf(f.field, 4));
      } else {
        const inner = f.value instanceof Uint8Array ? f.value.length : sizeOf(f.value);
        out.lengths.push({ offset: pos, size: varintSize(inner), value: inner });
        varint(inner);
        if (f.value instanceof Uint8Array) {
          bytes.set(f.value, pos);
          pos += inner;
        } else {
          write(f.value);
        }
      }
    }
  };
  write(fields);
  return out;
}

// Field builders, so message encoders read like the .proto they follow.
export const pb = {
  varint: (field: number, value: bigint | number): PbField => ({ field, wire: 0, value: BigInt(value) }),
  fixed64: (field: number, value: bigint): PbField => ({ field, wire: 1, value }),
  double(field: number, value: number): PbField {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    return { field, wire: 1, value: view.getBigUint64(0, true) };
  },
  fixed32: (field: number, value: number): PbField => ({ field, wire: 5, value }),
  bytes: (field: number, value: Uint8Array): PbField => ({ field, wire: 2, value }),
  /** UTF-8 as Node encodes it: a lone surrogate becomes U+FFFD's three bytes. */
  string: (field: number, value: string): PbField => ({ field, wire: 2, value: Buffer.from(value, 'utf8') }),
  message: (field: number, value: PbField[]): PbField => ({ field, wire: 2, value }),
  group: (field: number, value: PbField[]): PbField => ({ field, wire: 3, value }),
};
