// A bounds-checked cursor over protobuf wire format (https://protobuf.dev/programming-guides/encoding/).
// Every read takes the end of the enclosing message, so a length prefix cannot reach past its
// parent and a truncated body fails instead of reading garbage. Failures throw WireError, which
// the decoders turn into a Result at their boundary.
import type { StringCache } from './string-cache.ts';

export class WireError extends Error {
  override readonly name = 'WireError';
}

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

const MAX_GROUP_DEPTH = 32;

export class WireReader {
  readonly buf: Buffer;
  readonly view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(what: string): never {
    throw new WireError(`${what} at byte ${this.pos}`);
  }

  /** A varint's low 32 bits as an unsigned number; the whole varint (up to 10 bytes) is consumed. */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 32; shift += 7) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++] as number;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    // Bits above 32 (a negative int32 is sign-extended to 10 bytes): skip them.
    for (let i = 5; i < 10; i++) {
      if (pos >= end) this.fail('truncated varint');
      if ((buf[pos++] as number) < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** An int32 field (enums): the low 32 bits, signed. */
  int32(end: number): number {
    return this.uint32(end) | 0;
  }

  /** An int64 varint as a JS number when it fits in 49 bits, else a bigint (rare: huge or negative). */
  int64(end: number): number | bigint {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let value = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++] as number;
      value += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
      mul *= 128;
    }
    let big = 0n;
    pos = start;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++] as number;
      big |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        this.pos = pos;
        return BigInt.asIntN(64, big);
      }
    }
    return this.fail('varint longer than 10 bytes');
  }

  fixed64(end: number): bigint {
    if (this.pos + 8 > end) this.fail('truncated fixed64');
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  double(end: number): number {
    if (this.pos + 8 > end) this.fail('truncated double');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix and returns the end of the delimited range that starts at `pos`. */
  delimitedEnd(end: number): number {
    const length = this.lengthPrefix(end);
    const stop = this.pos + length;
    if (stop > end) this.fail(`length ${length} runs past the end of its message`);
    return stop;
  }

  /** A length prefix. Protobuf caps a message at 2 GiB, so a length from 2^31 up is refused: read
   *  as a uint32 (low 32 bits), 2^32 + 2 would frame 2 bytes and a malformed body would decode. */
  private lengthPrefix(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++] as number;
      const bits = b & 0x7f;
      if (shift < 28) value |= bits << shift;
      else if (shift === 28 && bits <= 0x07) value += bits * 0x10000000;
      else if (bits !== 0) this.fail('length of 2 GiB or more');
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
      if (shift === 63) this.fail('varint longer than 10 bytes');
    }
  }

  /** UTF-8 text; invalid sequences become U+FFFD rather than failing the whole request. */
  string(end: number): string {
    const stop = this.delimitedEnd(end);
    const start = this.pos;
    this.pos = stop;
    return stop === start ? '' : this.buf.toString('utf8', start, stop);
  }

  /** A string likely to repeat across spans, through a bounded cache (see string-cache.ts). */
  cachedString(end: number, cache: StringCache): string {
    const stop = this.delimitedEnd(end);
    const start = this.pos;
    this.pos = stop;
    return cache.get(this.buf, start, stop);
  }

  /** Reads a tag; field number 0 is invalid on the wire. Returns field << 3 | wireType. */
  tag(end: number): number {
    const tag = this.uint32(end);
    if (tag >>> 3 === 0) this.fail('field number 0');
    return tag;
  }

  /** Skips an unknown field so newer senders' fields are ignored, as proto3 requires. */
  skip(tag: number, end: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.uint32(end);
        return;
      case WIRE_I64:
        if (this.pos + 8 > end) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.delimitedEnd(end);
        return;
      case WIRE_I32:
        if (this.pos + 4 > end) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      case WIRE_SGROUP:
        this.skipGroup(tag >>> 3, end);
        return;
      default:
        this.fail(`unexpected wire type ${tag & 7}`);
    }
  }

  /** Groups are obsolete but still valid wire data in unknown fields; nesting is bounded. */
  private skipGroup(field: number, end: number): void {
    const open = [field];
    while (open.length > 0) {
      const tag = this.tag(end);
      const wireType = tag & 7;
      if (wireType === WIRE_EGROUP) {
        if (open.pop() !== tag >>> 3) this.fail('mismatched end group');
      } else if (wireType === WIRE_SGROUP) {
        if (open.length >= MAX_GROUP_DEPTH) this.fail('groups nested too deeply');
        open.push(tag >>> 3);
      } else {
        this.skip(tag, end);
      }
    }
  }

  /** A known field arrived with a wire type its schema does not allow. */
  wrongWireType(message: string, tag: number): never {
    return this.fail(`${message} field ${tag >>> 3} has wire type ${tag & 7}`);
  }
}
