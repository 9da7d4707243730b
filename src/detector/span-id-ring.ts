// The most recent span ids of a session or agent, for evidence. Span ids from the pipeline are 16
// lowercase hex digits (src/otlp/ids.ts): kept as two 32-bit words they cost 8 bytes instead of a
// retained string's ~48, which is most of a long session's state. Any other text is kept as is.

export interface SpanIdRing {
  /** Two words (high, low) per slot from `offset`; the slot of span number n is n % capacity. */
  readonly words: Int32Array;
  readonly offset: number;
  readonly capacity: number;
  /** Ids that are not 16 hex digits, by slot; created at the first one. */
  texts: Array<string | undefined> | null;
  /** Ids pushed so far. */
  count: number;
}

/** A ring of `capacity` ids, in its own array or in words[offset .. offset + 2 x capacity) of a shared one. */
export function createSpanIdRing(capacity: number, words: Int32Array = new Int32Array(capacity * 2), offset = 0): SpanIdRing {
  if (offset + capacity * 2 > words.length) throw new RangeError('span id ring outside its buffer');
  return { words, offset, capacity, texts: null, count: 0 };
}

export function pushSpanId(ring: SpanIdRing, spanId: string): void {
  const capacity = ring.capacity;
  const slot = ring.count % capacity;
  ring.count++;
  if (spanId.length === 16) {
    const high = hexWord(spanId, 0);
    const low = hexWord(spanId, 8);
    if (high !== null && low !== null) {
      ring.words[ring.offset + slot * 2] = high;
      ring.words[ring.offset + slot * 2 + 1] = low;
      if (ring.texts !== null) ring.texts[slot] = undefined;
      return;
    }
  }
  if (ring.texts === null) ring.texts = new Array<string | undefined>(capacity);
  ring.texts[slot] = spanId;
}

/** The span id `back` pushes before the newest (0 = newest); '' when it is no longer held. */
export function spanIdBack(ring: SpanIdRing, back: number): string {
  const capacity = ring.capacity;
  if (back < 0 || back >= capacity || back >= ring.count) return '';
  const slot = (ring.count - 1 - back) % capacity;
  const text = ring.texts?.[slot];
  if (text !== undefined) return text;
  const at = ring.offset + slot * 2;
  return wordHex(ring.words[at] ?? 0) + wordHex(ring.words[at + 1] ?? 0);
}

/** The newest `count` span ids held (fewer when fewer are), oldest first. */
export function recentSpanIds(ring: SpanIdRing, count: number): string[] {
  const available = Math.min(count, ring.count, ring.capacity);
  const ids: string[] = [];
  for (let back = available - 1; back >= 0; back--) ids.push(spanIdBack(ring, back));
  return ids;
}

function hexWord(text: string, start: number): number | null {
  let word = 0;
  for (let i = start; i < start + 8; i++) {
    const code = text.charCodeAt(i);
    let nibble: number;
    if (code >= 48 && code <= 57) nibble = code - 48;
    else if (code >= 97 && code <= 102) nibble = code - 87;
    else return null;
    word = (word << 4) | nibble;
  }
  return word;
}

function wordHex(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}
