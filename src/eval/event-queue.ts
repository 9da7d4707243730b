// The simulation's clock: a binary min-heap of timed events (a span reaching its end, an agent
// starting a session, an anomaly starting). Ties go to the event queued first, so the order of a
// run depends on the seed alone.

export interface TimedEvent<T> {
  atMs: number;
  seq: number;
  value: T;
}

export interface EventQueue<T> {
  push(atMs: number, value: T): void;
  pop(): TimedEvent<T> | undefined;
  peekTime(): number;
  readonly size: number;
}

export function createEventQueue<T>(): EventQueue<T> {
  const heap: TimedEvent<T>[] = [];
  let seq = 0;
  const before = (a: TimedEvent<T>, b: TimedEvent<T>): boolean => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);

  return {
    push(atMs, value) {
      const event = { atMs, seq: seq++, value };
      let index = heap.length;
      heap.push(event);
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (!before(event, heap[parent]!)) break;
        heap[index] = heap[parent]!;
        index = parent;
      }
      heap[index] = event;
    },

    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (top === undefined || last === undefined || heap.length === 0) return top;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
        if (!before(heap[child]!, last)) break;
        heap[index] = heap[child]!;
        index = child;
      }
      heap[index] = last;
      return top;
    },

    peekTime: () => heap[0]?.atMs ?? Number.POSITIVE_INFINITY,

    get size() {
      return heap.length;
    },
  };
}
