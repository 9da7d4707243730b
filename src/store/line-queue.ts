interface Chunk {
  lines: string[];
  /** Lines of this chunk already taken. */
  taken: number;
}

/**
 * FIFO of serialized rows, kept as the arrays they were offered in, so offering is O(1) and
 * taking a batch touches only the chunks it takes.
 */
export class LineQueue {
  #chunks: Array<Chunk | undefined> = [];
  #head = 0;
  #rows = 0;

  get rows(): number {
    return this.#rows;
  }

  push(lines: string[]): void {
    if (lines.length === 0) return;
    this.#chunks.push({ lines, taken: 0 });
    this.#rows += lines.length;
  }

  /** Removes and returns up to maxRows lines, oldest first. */
  take(maxRows: number): string[] {
    const batch: string[] = [];
    while (batch.length < maxRows) {
      const chunk = this.#chunks[this.#head];
      if (chunk === undefined) break;
      const end = Math.min(chunk.lines.length, chunk.taken + (maxRows - batch.length));
      for (let i = chunk.taken; i < end; i++) batch.push(chunk.lines[i]!);
      chunk.taken = end;
      if (end < chunk.lines.length) break;
      this.#chunks[this.#head] = undefined;
      this.#head++;
    }
    this.#rows -= batch.length;
    // Drop the consumed prefix now and then instead of shifting on every take.
    if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }
}
