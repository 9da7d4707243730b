import { crc32 } from 'node:zlib';

// One journal record on disk: magic, payload length, CRC-32 of the payload, payload. The CRC
// tells a record torn by a crash mid-write (only ever the last one of a segment, and never one
// that was acknowledged: acknowledgement waits for fdatasync) from a whole one.
const MAGIC = 0x574a5231; // "WJR1"
export const FRAME_HEADER_BYTES = 12;
/** Far above any record (requests are capped at 64 MiB by default): a larger length is corruption. */
const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;

export interface Frame {
  /** The header, then the payload's parts as given: written with one writev, never copied. */
  parts: Buffer[];
  bytes: number;
}

export function encodeFrame(payload: readonly Buffer[]): Frame {
  let length = 0;
  let crc = 0;
  for (const part of payload) {
    length += part.length;
    crc = crc32(part, crc);
  }
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32BE(MAGIC, 0);
  header.writeUInt32BE(length, 4);
  header.writeUInt32BE(crc, 8);
  return { parts: [header, ...payload], bytes: FRAME_HEADER_BYTES + length };
}

export interface ParsedFrames {
  payloads: Buffer[];
  /** Bytes consumed: the start of the first frame not returned. */
  consumed: number;
  /** A frame that can never become whole: bad magic, impossible length or CRC mismatch. */
  corrupt: boolean;
}

/**
 * The whole frames at the start of `buffer`. Stops at an incomplete frame (read more, or at the
 * end of a segment: a torn tail) or at a corrupt one.
 */
export function parseFrames(buffer: Buffer): ParsedFrames {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= FRAME_HEADER_BYTES) {
    if (buffer.readUInt32BE(offset) !== MAGIC) return { payloads, consumed: offset, corrupt: true };
    const length = buffer.readUInt32BE(offset + 4);
    if (length > MAX_PAYLOAD_BYTES) return { payloads, consumed: offset, corrupt: true };
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > buffer.length) break;
    const payload = buffer.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== buffer.readUInt32BE(offset + 8)) return { payloads, consumed: offset, corrupt: true };
    payloads.push(payload);
    offset = end;
  }
  return { payloads, consumed: offset, corrupt: false };
}
