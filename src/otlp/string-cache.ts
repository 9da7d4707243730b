// Attribute keys repeat in every span of every request ('gen_ai.usage.input_tokens' ...), and so do
// many short values ('execute_tool', 'openai', model names). Decoding them from UTF-8 each time, and
// for keys then having V8 internalize each fresh string as a property name, was about half of
// protobuf decode time. A cache maps the bytes to one string instance, so a hit costs a hash and a
// byte compare. Bounded: a fixed number of slots of at most `maxBytes` each; a miss overwrites its
// slot, so hostile churn degrades to the uncached cost and cannot grow memory. A miss takes the
// slot only when the same hash missed there last (the string is seen a second time): unique
// short values (call ids, request ids) would otherwise evict a repeating key at every span and
// copy their bytes for nothing.

export class StringCache {
  private readonly mask: number;
  private readonly maxBytes: number;
  private readonly slotBytes: (Uint8Array | undefined)[];
  private readonly slotText: string[];
  /** The hash of the latest miss at each slot. */
  private readonly missHash: Int32Array;

  /** `slots` must be a power of two. */
  constructor(slots: number, maxBytes: number) {
    this.mask = slots - 1;
    this.maxBytes = maxBytes;
    this.slotBytes = new Array<Uint8Array | undefined>(slots).fill(undefined);
    this.slotText = new Array<string>(slots).fill('');
    this.missHash = new Int32Array(slots);
  }

  get(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > this.maxBytes) return buf.toString('utf8', start, end);
    // Every byte is hashed: OpenInference keys differ only in the middle ('llm.input_messages.0...').
    let hash = 0x811c9dc5 ^ length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (buf[i] as number), 0x01000193);
    const slot = (hash ^ (hash >>> 16)) & this.mask;
    const cached = this.slotBytes[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.slotText[slot] as string;
    }
    const text = buf.toString('utf8', start, end);
    if (this.missHash[slot] !== hash) {
      this.missHash[slot] = hash;
      return text;
    }
    this.slotBytes[slot] = new Uint8Array(buf.subarray(start, end));
    this.slotText[slot] = text;
    return text;
  }
}

/** Attribute keys: few distinct, up to 64 bytes. */
export const KEY_CACHE = new StringCache(4096, 64);
/** Short string values: enum-like values repeat; ids and free text mostly miss or bypass it. */
export const VALUE_CACHE = new StringCache(4096, 24);
