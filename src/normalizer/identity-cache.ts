// What a span passes on to its descendants, remembered across export requests: spans arrive
// children first, but a child can still arrive after an ancestor (a later batch, a span that
// outlives its parent), and then it inherits from here.

/** The part of a span's meaning that its descendants inherit. Shared, never mutated. */
export interface InheritedContext {
  /** '' when no span up the chain named an agent (resource and service.name are not inherited). */
  readonly agentId: string;
  readonly agentName: string;
  readonly agentRole: string;
  /** True when the identity came from an attribute naming an agent, not a workflow or span name. */
  readonly agentNamed: boolean;
  readonly sessionId: string;
  readonly taskId: string;
}

export const DEFAULT_IDENTITY_CACHE_SPANS = 100_000;

export function spanKey(traceId: string, spanId: string): string {
  return traceId + spanId;
}

/**
 * A bounded map from traceId+spanId to the context that span passes on, forgetting the least
 * recently used first. Two generations instead of a strict LRU list: writes go to `current`;
 * when it holds half the capacity it becomes `old` and the previous `old` is dropped whole; a
 * read found in `old` moves back to `current`. O(1) per operation with no per-entry bookkeeping
 * (deleting the oldest key of one big Map makes V8 skip ever more holes on every eviction), and
 * never more than `maxSpans` entries.
 */
export interface IdentityCache {
  get(key: string): InheritedContext | undefined;
  set(key: string, context: InheritedContext): void;
  readonly size: number;
}

export function createIdentityCache(maxSpans: number = DEFAULT_IDENTITY_CACHE_SPANS): IdentityCache {
  if (!Number.isInteger(maxSpans) || maxSpans < 1) throw new RangeError(`identity cache size must be a positive integer, got ${maxSpans}`);
  // current stays below `generation` entries and old holds exactly `generation`: at most 2g-1 <= maxSpans.
  const generation = Math.ceil(maxSpans / 2);
  let current = new Map<string, InheritedContext>();
  let old = new Map<string, InheritedContext>();

  function set(key: string, context: InheritedContext): void {
    current.set(key, context);
    if (current.size >= generation) {
      old = current;
      current = new Map();
    }
  }

  return {
    get(key) {
      const recent = current.get(key);
      if (recent !== undefined) return recent;
      const older = old.get(key);
      if (older !== undefined) {
        old.delete(key);
        set(key, older);
      }
      return older;
    },
    // A key may sit in both generations for a while; current wins on read and old is dropped whole.
    set,
    get size() {
      return current.size + old.size;
    },
  };
}
