/** The byte that ends every row. */
export const NEWLINE = 0x0a;

/**
 * Serialized rows as the insert body ClickHouse takes: JSONEachRow lines, each ending in a
 * newline, as UTF-8 bytes. Rows are encoded once, when a request is accepted, and these same
 * bytes are journaled, queued and inserted. Queued rows live outside the JavaScript heap, so
 * a full queue costs the garbage collector nothing (as strings they were copied into the old
 * generation and marked over and over).
 */
export interface RowBlock {
  readonly bytes: Buffer;
  readonly rows: number;
}

export const EMPTY_ROW_BLOCK: RowBlock = { bytes: Buffer.alloc(0), rows: 0 };

/** JSON lines never contain a raw newline, so the lines need no escaping. */
export function rowBlockOf(lines: readonly string[]): RowBlock {
  if (lines.length === 0) return EMPTY_ROW_BLOCK;
  // One join and one encode; the trailing '' gives the last line its newline.
  return { bytes: Buffer.from([...lines, ''].join('\n'), 'utf8'), rows: lines.length };
}

const MIN_SLAB_BYTES = 64 * 1024;
const MAX_SLAB_BYTES = 16 * 1024 * 1024;

/**
 * Encodes each writer's rows one after another into large slabs, so consecutive requests'
 * blocks are adjacent and a batch of them is inserted without a copy (concatRowBlocks), and
 * the engine sees one allocation per slab rather than several per request: every Buffer
 * allocated counts towards V8's external memory, and at tens of MB/s that alone set off a
 * full garbage collection every second. Slabs start small (tables with few rows stay small)
 * and double up to 16 MiB. A slab lives as long as any block in it.
 */
export class RowBlockBuilder {
  #slab: Buffer = Buffer.alloc(0);
  #used = 0;
  #nextSlabBytes = MIN_SLAB_BYTES;

  build(lines: readonly string[]): RowBlock {
    if (lines.length === 0) return EMPTY_ROW_BLOCK;
    let start = this.#used;
    for (const line of lines) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit: only near the end is the exact length needed.
      if (this.#used + 3 * line.length + 1 > this.#slab.length) {
        const needed = Buffer.byteLength(line, 'utf8') + 1;
        if (this.#used + needed > this.#slab.length) {
          start = this.#newSlab(start, needed);
        }
      }
      this.#used += this.#slab.write(line, this.#used, 'utf8');
      this.#slab[this.#used++] = NEWLINE;
    }
    return { bytes: this.#slab.subarray(start, this.#used), rows: lines.length };
  }

  /** Moves the block begun at `start` into a new slab with room for `needed` more bytes; returns
   *  where the block now starts. */
  #newSlab(start: number, needed: number): number {
    const begun = this.#used - start;
    const size = Math.max(this.#nextSlabBytes, 2 * (begun + needed));
    this.#nextSlabBytes = Math.min(MAX_SLAB_BYTES, this.#nextSlabBytes * 2);
    const slab = Buffer.allocUnsafeSlow(size);
    this.#slab.copy(slab, 0, start, this.#used);
    this.#slab = slab;
    this.#used = begun;
    return 0;
  }
}

/** The offset just past the `rows`-th newline from `start`, or -1 when there are fewer. */
export function skipRows(bytes: Buffer, start: number, rows: number): number {
  let at = start;
  for (let i = 0; i < rows; i++) {
    const newline = bytes.indexOf(NEWLINE, at);
    if (newline === -1) return -1;
    at = newline + 1;
  }
  return at;
}

/** The first `rows` rows and the rest, sharing the block's memory. */
export function splitRowBlock(block: RowBlock, rows: number): [RowBlock, RowBlock] {
  if (rows <= 0) return [EMPTY_ROW_BLOCK, block];
  if (rows >= block.rows) return [block, EMPTY_ROW_BLOCK];
  const at = skipRows(block.bytes, 0, rows);
  return [
    { bytes: block.bytes.subarray(0, at), rows },
    { bytes: block.bytes.subarray(at), rows: block.rows - rows },
  ];
}

/** One block of all the rows. Blocks that lie next to each other in memory (built one after
 *  another in one slab) are joined without copying. */
export function concatRowBlocks(blocks: readonly RowBlock[]): RowBlock {
  if (blocks.length === 1) return blocks[0]!;
  let rows = 0;
  let adjacent = true;
  for (let i = 0; i < blocks.length; i++) {
    rows += blocks[i]!.rows;
    if (i > 0 && adjacent) {
      const before = blocks[i - 1]!.bytes;
      const bytes = blocks[i]!.bytes;
      adjacent = bytes.buffer === before.buffer && bytes.byteOffset === before.byteOffset + before.length;
    }
  }
  if (adjacent && blocks.length > 0) {
    const first = blocks[0]!.bytes;
    const last = blocks[blocks.length - 1]!.bytes;
    const length = last.byteOffset + last.length - first.byteOffset;
    return { bytes: Buffer.from(first.buffer, first.byteOffset, length), rows };
  }
  return { bytes: Buffer.concat(blocks.map((block) => block.bytes)), rows };
}

/** The rows as strings: for the rare paths that hand rows to people (dead letters, logs). */
export function rowBlockLines(block: RowBlock): string[] {
  if (block.rows === 0) return [];
  const lines = block.bytes.toString('utf8').split('\n');
  lines.pop();
  return lines;
}
