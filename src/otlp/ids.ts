// Trace and span ids in one canonical form for both wire formats: lowercase hex of the exact
// width, or '' when the id is absent or unusable. trace.proto calls an all-zero id invalid, so
// it becomes '' too: a root span whose exporter writes a zero parent id then looks like a root.

const HEX_ID = /^[0-9a-f]+$/;
const ZERO = /^0+$/;

/** Raw id bytes from protobuf to hex; `width` is 16 for trace ids, 8 for span ids. Node's native
 *  hex encoder returns a flat string; concatenating per byte built ropes that cost more later,
 *  when the ids are hashed as map keys. */
export function bytesToHexId(bytes: Buffer, start: number, end: number, width: number): string {
  if (end - start !== width) return '';
  for (let i = start; i < end; i++) {
    if (bytes[i] !== 0) return bytes.toString('hex', start, end);
  }
  return '';
}

/** A hex id from OTLP/JSON (case-insensitive per the OTLP spec) to lowercase hex. */
export function normalizeHexId(text: string, width: number): string {
  if (text.length !== width * 2) return '';
  const lower = text.toLowerCase();
  if (!HEX_ID.test(lower) || ZERO.test(lower)) return '';
  return lower;
}
