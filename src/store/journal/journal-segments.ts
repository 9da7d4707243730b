import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FRAME_HEADER_BYTES, parseFrames } from './journal-frame.ts';
import { decodeRecord } from './journal-record.ts';

/** A segment file, named after the sequence number of its first record. */
export interface Segment {
  firstSeq: number;
  path: string;
  /** Bytes handed to the file system and fdatasync'ed: readable and acknowledged. */
  durableBytes: number;
  /** Bytes appended, including those still being written. */
  appendedBytes: number;
  /** The last record's seq; for a segment found on disk, the last whole record's. */
  lastSeq: number;
}

const NAME = /^(\d{16})\.wal$/;

export function segmentPath(dir: string, firstSeq: number): string {
  return join(dir, `${String(firstSeq).padStart(16, '0')}.wal`);
}

/** The segments in `dir`, oldest first. Only the newest is scanned for its last seq. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const names = (await readdir(dir)).filter((name) => NAME.test(name)).sort();
  const segments: Segment[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const size = (await stat(path)).size;
    segments.push({ firstSeq: Number(NAME.exec(name)![1]), path, durableBytes: size, appendedBytes: size, lastSeq: 0 });
  }
  for (let i = 0; i < segments.length - 1; i++) segments[i]!.lastSeq = segments[i + 1]!.firstSeq - 1;
  const newest = segments.at(-1);
  if (newest !== undefined) newest.lastSeq = await lastSeqOf(newest);
  return segments;
}

async function lastSeqOf(segment: Segment): Promise<number> {
  const handle = await open(segment.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(segment.durableBytes);
    await handle.read(buffer, 0, buffer.length, 0);
    const { payloads } = parseFrames(buffer);
    const last = payloads.at(-1);
    return last === undefined ? segment.firstSeq - 1 : (decodeRecord(last)?.seq ?? segment.firstSeq - 1);
  } finally {
    await handle.close();
  }
}

/** Reads the whole frames from `offset`, at least one frame if one starts there, about maxBytes. */
export async function readSegment(segment: Segment, offset: number, maxBytes: number): Promise<{ buffer: Buffer; end: number }> {
  const handle = await open(segment.path, 'r');
  try {
    const available = segment.durableBytes - offset;
    if (available <= 0) return { buffer: Buffer.alloc(0), end: offset };
    let length = Math.min(available, maxBytes);
    if (length >= FRAME_HEADER_BYTES) {
      const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
      await handle.read(header, 0, FRAME_HEADER_BYTES, offset);
      length = Math.min(available, Math.max(length, FRAME_HEADER_BYTES + header.readUInt32BE(4)));
    }
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return { buffer: buffer.subarray(0, bytesRead), end: offset + bytesRead };
  } finally {
    await handle.close();
  }
}
