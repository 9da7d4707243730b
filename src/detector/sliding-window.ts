// A sum over a sliding time window kept as a ring of fixed buckets: O(1) memory per window and
// amortized O(1) per update. A plain data object with functions, not a closure per instance:
// there is one of these per agent and limit. Several windows can share one Float64Array (each
// typed array costs a few hundred bytes of bookkeeping besides its data).

export interface SlidingWindow {
  /** The ring is buckets[offset .. offset + length). */
  buckets: Float64Array;
  readonly offset: number;
  readonly length: number;
  readonly bucketMs: number;
  /** Absolute index (time / bucketMs) of the newest bucket; -Infinity before the first value. */
  newest: number;
  sum: number;
}

/** A window of `length` buckets of `bucketMs`: it covers the current bucket and the ones before. */
export function createSlidingWindow(length: number, bucketMs: number, buckets: Float64Array = new Float64Array(length), offset = 0): SlidingWindow {
  if (offset + length > buckets.length) throw new RangeError('sliding window outside its buffer');
  return { buckets, offset, length, bucketMs, newest: Number.NEGATIVE_INFINITY, sum: 0 };
}

/** Moves the window so its newest bucket holds timeMs, dropping what slid out. Never goes back. */
export function advanceWindow(window: SlidingWindow, timeMs: number): void {
  const bucket = Math.floor(timeMs / window.bucketMs);
  if (bucket <= window.newest) return;
  const { buckets, offset, length } = window;
  if (bucket - window.newest >= length) {
    buckets.fill(0, offset, offset + length);
    window.sum = 0;
  } else {
    let sum = window.sum;
    for (let b = window.newest + 1; b <= bucket; b++) {
      const index = offset + (b % length);
      sum -= buckets[index] ?? 0;
      buckets[index] = 0;
    }
    // Recomputed once per turn of the ring, so float error cannot build up over days.
    if (Math.floor(bucket / length) !== Math.floor(window.newest / length)) {
      sum = 0;
      for (let i = offset; i < offset + length; i++) sum += buckets[i] ?? 0;
    }
    window.sum = sum;
  }
  window.newest = bucket;
}

/**
 * Adds value at timeMs and returns the window's sum. A value older than the window (a late span)
 * is not added; a value newer moves the window first.
 */
export function addToWindow(window: SlidingWindow, timeMs: number, value: number): number {
  advanceWindow(window, timeMs);
  const bucket = Math.floor(timeMs / window.bucketMs);
  if (bucket > window.newest - window.length) {
    const index = window.offset + (bucket % window.length);
    window.buckets[index] = (window.buckets[index] ?? 0) + value;
    window.sum += value;
  }
  return window.sum;
}
