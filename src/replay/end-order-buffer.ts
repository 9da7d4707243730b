import type { AgentSpan } from '../normalizer/agent-span.ts';

/** Spans held waiting for their end, at most; beyond it the earliest-ending goes out early. */
export const DEFAULT_END_ORDER_SPANS = 100_000;

export interface EndOrderBuffer {
  /** Takes the next span in start order; appends to `out` every span now known to end first. */
  push(span: AgentSpan, out: AgentSpan[]): void;
  /** Appends everything still held, in end order. */
  drain(out: AgentSpan[]): void;
  readonly size: number;
  /** Spans let out before their turn because the buffer was full. */
  readonly forced: number;
}

interface Held {
  endNs: bigint;
  seq: number;
  span: AgentSpan;
}

/**
 * Stored spans come back in start order; live, Warden saw each span when it ended (SDKs export
 * on end), children before their parents. This turns start order back into end order: every
 * span still to come starts, and so ends, no earlier than the latest start read, so anything
 * held that ends by then can go. It holds the spans still open at that point (an agent's
 * invoke_agent span for the length of its session), bounded by maxSpans. Equal ends keep
 * start order.
 */
export function createEndOrderBuffer(maxSpans: number = DEFAULT_END_ORDER_SPANS): EndOrderBuffer {
  const heap: Held[] = [];
  let seq = 0;
  let forced = 0;

  const before = (a: Held, b: Held): boolean => a.endNs < b.endNs || (a.endNs === b.endNs && a.seq < b.seq);

  function insert(item: Held): void {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  function take(): AgentSpan {
    const top = heap[0]!;
    const tail = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = tail;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < heap.length && before(heap[left]!, heap[first]!)) first = left;
        if (right < heap.length && before(heap[right]!, heap[first]!)) first = right;
        if (first === i) break;
        [heap[i], heap[first]] = [heap[first]!, heap[i]!];
        i = first;
      }
    }
    return top.span;
  }

  return {
    push(span, out) {
      insert({ endNs: span.startTimeUnixNano + span.durationNs, seq: seq++, span });
      const watermark = span.startTimeUnixNano;
      while (heap.length > 0 && heap[0]!.endNs <= watermark) out.push(take());
      while (heap.length > maxSpans) {
        forced++;
        out.push(take());
      }
    },
    drain(out) {
      while (heap.length > 0) out.push(take());
    },
    get size() {
      return heap.length;
    },
    get forced() {
      return forced;
    },
  };
}
