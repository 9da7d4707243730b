/** Prometheus-style cumulative histogram of flush latency, in milliseconds. */
export interface LatencyHistogram {
  /** Cumulative counts: `count` observations took at most `le` ms; the last bucket is +Inf. */
  buckets: Array<{ le: number; count: number }>;
  sum: number;
  count: number;
}

// Matches warden_store_flush_seconds (telemetry/metrics.ts), in ms.
const BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, Number.POSITIVE_INFINITY];

export function createLatencyHistogram(): { observe(ms: number): void; snapshot(): LatencyHistogram } {
  const counts = BOUNDS_MS.map(() => 0);
  let sum = 0;
  let count = 0;
  return {
    observe(ms) {
      const index = BOUNDS_MS.findIndex((bound) => ms <= bound);
      counts[index] = (counts[index] ?? 0) + 1;
      sum += ms;
      count++;
    },
    snapshot() {
      let running = 0;
      const buckets = BOUNDS_MS.map((le, i) => {
        running += counts[i] ?? 0;
        return { le, count: running };
      });
      return { buckets, sum, count };
    },
  };
}
