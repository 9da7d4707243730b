import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { fail, ok, type Result } from '../../errors/warden-error.ts';
import { readCheckpoint, writeCheckpoint } from './journal-checkpoint.ts';
import { encodeFrame, parseFrames, type Frame } from './journal-frame.ts';
import { decodeRecord, encodeRecord, type JournalRecord } from './journal-record.ts';
import { listSegments, readSegment, segmentPath, type Segment } from './journal-segments.ts';

export interface JournalOptions {
  dir: string;
  /** Bytes on disk (not yet in ClickHouse) before append() refuses: back-pressure. */
  maxBytes: number;
  /** A segment is deleted whole once all its records are in ClickHouse. Default maxBytes / 8, at most 64 MiB. */
  segmentBytes?: number;
  /** fdatasync before acknowledging. Off only where losing the last acknowledged writes in a
   *  power loss is acceptable (a process crash loses nothing either way: the page cache survives it). */
  fsync?: boolean;
  /** How often the checkpoint is written and finished segments deleted. Default 1000 ms. */
  checkpointIntervalMs?: number;
  logger: Logger;
}

export interface JournalPosition {
  segment: number;
  offset: number;
}

export interface Appended {
  seq: number;
  /** Where the record starts: reading from here returns it first. */
  position: JournalPosition;
  /** Resolves once the record is on disk (fdatasync), or failed. */
  durable: Promise<Result<void>>;
}

export interface JournalStats {
  bytes: number;
  maxBytes: number;
  segments: number;
  lastSeq: number;
  doneSeq: number;
  syncs: number;
  syncedBytes: number;
}

export interface Journal {
  /** Where the records left from before the start begin (null: none). */
  readonly recoveredFrom: JournalPosition | null;
  readonly recoveredBytes: number;
  /** null when the journal is full: the caller pushes back. */
  append(tables: JournalRecord['tables']): Appended | null;
  /** Records from `from` on, only durable ones, about maxBytes of them. */
  read(from: JournalPosition, maxBytes: number): Promise<{ records: JournalRecord[]; next: JournalPosition }>;
  /** Whether `position` is past every record appended so far. */
  atEnd(position: JournalPosition): boolean;
  /** Every record up to seq is in ClickHouse. */
  markDone(seq: number): void;
  doneSeq(): number;
  stats(): JournalStats;
  /** Writes what is appended, the checkpoint, and closes. */
  close(): Promise<void>;
}

interface Pending {
  segment: Segment;
  frame: Frame;
  resolve: (result: Result<void>) => void;
}

/**
 * The write-ahead journal: every accepted request's rows are appended and fdatasync'ed before
 * the request is acknowledged, and replayed into ClickHouse after a crash. Appends are group
 * committed: while one write + sync is in flight, the next requests' records gather into the
 * next one, so the sync cost is shared by all requests in between.
 */
export async function openJournal(options: JournalOptions): Promise<Journal> {
  const { dir, maxBytes, logger } = options;
  // Space is freed a segment at a time: keep several segments within the bound.
  const segmentBytes = options.segmentBytes ?? Math.max(64 * 1024, Math.min(64 * 1024 * 1024, Math.floor(maxBytes / 8)));
  const fsync = options.fsync ?? true;
  await mkdir(dir, { recursive: true });
  let done = await readCheckpoint(dir);
  const segments: Segment[] = await listSegments(dir);
  // Segments whose every record is already in ClickHouse.
  while (segments.length > 0 && segments[0]!.lastSeq <= done) await rm(segments.shift()!.path, { force: true });
  let totalBytes = segments.reduce((sum, s) => sum + s.appendedBytes, 0);
  const recoveredFrom = segments.length === 0 ? null : { segment: segments[0]!.firstSeq, offset: 0 };
  const recoveredBytes = totalBytes;
  let nextSeq = Math.max(done, segments.at(-1)?.lastSeq ?? 0) + 1;
  // Appends always start a new segment: an older one may end in a torn record.
  let active: Segment | null = null;
  let handle: FileHandle | null = null;
  let handleSegment: Segment | null = null;
  let queue: Pending[] = [];
  let writing: Promise<void> | null = null;
  let syncs = 0;
  let syncedBytes = 0;
  let checkpointed = done;
  let closed = false;
  // Segments a write failed on: what follows in them may be torn, so nothing more goes there.
  const broken = new Set<Segment>();

  async function handleFor(segment: Segment): Promise<FileHandle> {
    if (handleSegment === segment && handle !== null) return handle;
    if (handle !== null) await handle.close();
    handle = await open(segment.path, 'a');
    handleSegment = segment;
    // A new file's directory entry must be durable too, or a crash could lose the file.
    if (fsync) {
      const directory = await open(dir, 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
    }
    return handle;
  }

  async function writeGroups(): Promise<void> {
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      let failure: string | null = null;
      let start = 0;
      while (start < group.length && failure === null) {
        const segment = group[start]!.segment;
        let end = start;
        while (end < group.length && group[end]!.segment === segment) end++;
        if (broken.has(segment)) {
          for (let i = start; i < end; i++) group[i]!.resolve(fail('WARDEN_STORE_UNAVAILABLE', 'the write-ahead journal could not be written; retry'));
          start = end;
          continue;
        }
        const parts = group.slice(start, end).flatMap((p) => p.frame.parts);
        try {
          const file = await handleFor(segment);
          const bytes = await writeAll(file, parts);
          if (fsync) await file.datasync();
          syncs++;
          syncedBytes += bytes;
          segment.durableBytes += bytes;
          for (let i = start; i < end; i++) group[i]!.resolve(ok(undefined));
        } catch (error) {
          failure = (error as Error).message;
          // What follows the failed write in this file may be torn: later records go to a new one.
          broken.add(segment);
          if (active === segment) active = null;
          totalBytes -= segment.appendedBytes - segment.durableBytes;
          segment.appendedBytes = segment.durableBytes;
          logger.error({ err: failure, segment: segment.path }, 'journal write failed; the requests are refused as retryable');
          break;
        }
        start = end;
      }
      if (failure !== null) {
        const result = fail('WARDEN_STORE_UNAVAILABLE', `the write-ahead journal could not be written: ${failure}`);
        for (let i = start; i < group.length; i++) group[i]!.resolve(result);
      }
    }
  }

  function schedule(): void {
    if (writing !== null) return;
    writing = writeGroups().finally(() => {
      writing = null;
      if (queue.length > 0) schedule();
    });
  }

  async function checkpoint(): Promise<void> {
    if (done === checkpointed) return;
    const seq = done;
    await writeCheckpoint(dir, seq);
    checkpointed = seq;
    // Everything appended is done: close the active segment too (the next append starts a new
    // one), or a journal smaller than a segment would never free its space.
    if (active !== null && active.lastSeq <= seq && queue.length === 0 && writing === null) active = null;
    while (segments.length > 0 && segments[0] !== active && segments[0]!.lastSeq <= seq) {
      const segment = segments.shift()!;
      if (handleSegment === segment && handle !== null) {
        await handle.close();
        handle = null;
        handleSegment = null;
      }
      totalBytes -= segment.appendedBytes;
      await rm(segment.path, { force: true });
    }
  }

  let checkpointRunning: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (checkpointRunning !== null) return;
    checkpointRunning = checkpoint()
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'journal checkpoint failed; retrying'))
      .finally(() => (checkpointRunning = null));
  }, options.checkpointIntervalMs ?? 1000);
  timer.unref();

  return {
    recoveredFrom,
    recoveredBytes,

    append(tables) {
      if (closed) return null;
      const seq = nextSeq;
      const frame = encodeFrame(encodeRecord({ seq, tables }));
      if (totalBytes > 0 && totalBytes + frame.bytes > maxBytes) return null;
      nextSeq++;
      if (active === null || (active.appendedBytes > 0 && active.appendedBytes + frame.bytes > segmentBytes)) {
        active = { firstSeq: seq, path: segmentPath(dir, seq), durableBytes: 0, appendedBytes: 0, lastSeq: seq };
        segments.push(active);
      }
      const position = { segment: active.firstSeq, offset: active.appendedBytes };
      active.appendedBytes += frame.bytes;
      active.lastSeq = seq;
      totalBytes += frame.bytes;
      const segment = active;
      const durable = new Promise<Result<void>>((resolve) => queue.push({ segment, frame, resolve }));
      schedule();
      return { seq, position, durable };
    },

    async read(from, maxBytes) {
      let position = from;
      for (;;) {
        const index = segments.findIndex((s) => s.firstSeq >= position.segment);
        if (index === -1) return { records: [], next: position };
        const segment = segments[index]!;
        // Deleted under the reader (all of it was done): go on with the next one.
        if (segment.firstSeq !== position.segment) position = { segment: segment.firstSeq, offset: 0 };
        const next = segments[index + 1];
        const finished = segment !== active && segment.durableBytes === segment.appendedBytes;
        const skipToNext = (): boolean => {
          if (!finished || next === undefined) return false;
          position = { segment: next.firstSeq, offset: 0 };
          return true;
        };
        if (position.offset >= segment.durableBytes) {
          if (skipToNext()) continue;
          return { records: [], next: position };
        }
        const { buffer } = await readSegment(segment, position.offset, maxBytes);
        const parsed = parseFrames(buffer);
        if (parsed.payloads.length > 0) {
          const records: JournalRecord[] = [];
          for (const payload of parsed.payloads) {
            const record = decodeRecord(payload);
            if (record !== null) records.push(record);
          }
          return { records, next: { segment: segment.firstSeq, offset: position.offset + parsed.consumed } };
        }
        // No whole record here. In a finished segment that is a record torn by a crash (never
        // acknowledged: acknowledgement waits for the sync) or corruption: the rest of the
        // segment is unreadable, the next segment goes on.
        if (parsed.corrupt || finished) {
          logger.warn({ segment: segment.path, offset: position.offset, corrupt: parsed.corrupt }, parsed.corrupt ? 'journal segment corrupt here; skipping the rest of it' : 'journal segment ends in a torn record (being written when Warden stopped; never acknowledged)');
          segment.durableBytes = position.offset;
          segment.appendedBytes = position.offset;
          if (skipToNext()) continue;
          return { records: [], next: position };
        }
        return { records: [], next: position };
      }
    },

    atEnd(position) {
      const last = segments.at(-1);
      if (last === undefined) return true;
      return position.segment >= last.firstSeq && position.offset >= last.appendedBytes;
    },

    markDone(seq) {
      if (seq > done) done = seq;
    },
    doneSeq: () => done,

    stats: () => ({ bytes: totalBytes, maxBytes, segments: segments.length, lastSeq: nextSeq - 1, doneSeq: done, syncs, syncedBytes }),

    async close() {
      closed = true;
      clearInterval(timer);
      while (writing !== null) await writing;
      await checkpointRunning;
      await checkpoint().catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'journal checkpoint at close failed'));
      if (handle !== null) await handle.close();
      handle = null;
    },
  };
}

/** Writes every part, in order, at the end of the file (opened for append); returns the bytes. */
async function writeAll(file: FileHandle, parts: Buffer[]): Promise<number> {
  let total = 0;
  for (const part of parts) total += part.length;
  let written = (await file.writev(parts)).bytesWritten;
  if (written < total) {
    // A short write (rare on a local disk): the rest, from where it stopped.
    const rest = Buffer.concat(parts).subarray(written);
    for (let at = 0; at < rest.length; ) at += (await file.write(rest, at)).bytesWritten;
    written = total;
  }
  return written;
}
