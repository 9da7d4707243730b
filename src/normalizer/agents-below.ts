// Spans arrive children first, so the agent spans inside a workflow usually reach Warden before
// the span that wraps them, sometimes in an earlier request. This remembers spans not seen yet
// that have an agent named by attribute somewhere below them.

export interface AgentsBelow {
  add(traceId: string, spanId: string): void;
  has(traceId: string, spanId: string): boolean;
  /** Span ids remembered, counting one re-added after its generation turned old twice. */
  readonly size: number;
}

/**
 * Keyed by trace, then span id: the lookup for most spans is one Map read by a trace id whose
 * hash V8 already keeps, where a traceId+spanId key would be a new string to hash per span.
 * Bounded like the identity cache: two generations, at most `maxSpans` span ids; when the
 * current generation is full the older one is dropped whole. A forgotten span only means a
 * workflow root that arrives very late keeps the name it carries, as it did before.
 */
export function createAgentsBelow(maxSpans: number): AgentsBelow {
  const generation = Math.max(1, Math.ceil(maxSpans / 2));
  let current = new Map<string, Set<string>>();
  let old = new Map<string, Set<string>>();
  let currentCount = 0;
  let oldCount = 0;

  return {
    add(traceId, spanId) {
      let ids = current.get(traceId);
      if (ids === undefined) {
        ids = new Set();
        current.set(traceId, ids);
      }
      if (ids.has(spanId)) return;
      ids.add(spanId);
      if (++currentCount >= generation) {
        old = current;
        oldCount = currentCount;
        current = new Map();
        currentCount = 0;
      }
    },
    // Not deleted on read: a re-sent export must resolve the same way as the first.
    has(traceId, spanId) {
      return current.get(traceId)?.has(spanId) === true || old.get(traceId)?.has(spanId) === true;
    },
    get size() {
      return currentCount + oldCount;
    },
  };
}
