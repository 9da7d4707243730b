import { concatRowBlocks, EMPTY_ROW_BLOCK, splitRowBlock, type RowBlock } from './row-block.ts';

/**
 * FIFO of serialized rows, kept as the blocks they were accepted in, so pushing is O(1) and
 * taking a batch copies each byte once (a block split at the batch's end shares its memory).
 */
export class RowQueue {
  #blocks: Array<RowBlock | undefined> = [];
  #head = 0;
  #rows = 0;

  get rows(): number {
    return this.#rows;
  }

  push(block: RowBlock): void {
    if (block.rows === 0) return;
    this.#blocks.push(block);
    this.#rows += block.rows;
  }

  /** Removes and returns up to maxRows rows, oldest first, as one block. */
  take(maxRows: number): RowBlock {
    const taken: RowBlock[] = [];
    let rows = 0;
    while (rows < maxRows) {
      const block = this.#blocks[this.#head];
      if (block === undefined) break;
      if (rows + block.rows > maxRows) {
        const [first, rest] = splitRowBlock(block, maxRows - rows);
        taken.push(first);
        rows += first.rows;
        this.#blocks[this.#head] = rest;
        break;
      }
      taken.push(block);
      rows += block.rows;
      this.#blocks[this.#head] = undefined;
      this.#head++;
    }
    this.#rows -= rows;
    // Drop the consumed prefix now and then instead of shifting on every take.
    if (this.#head > 1024 && this.#head * 2 > this.#blocks.length) {
      this.#blocks = this.#blocks.slice(this.#head);
      this.#head = 0;
    }
    return taken.length === 0 ? EMPTY_ROW_BLOCK : concatRowBlocks(taken);
  }
}
