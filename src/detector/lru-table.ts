// Detector state keyed by agent, session or trace, bounded two ways: entries idle for longer than
// a limit are dropped, and when the table is full the least recently active entry makes room.
// A Map for lookup plus a doubly linked recency list: every operation is O(1), and eviction never
// iterates the Map (whose deleted slots V8 skips one by one until it rehashes).

interface Node<V> {
  key: string;
  value: V;
  lastSeenMs: number;
  older: Node<V> | null;
  newer: Node<V> | null;
}

export interface TableStats {
  size: number;
  capacity: number;
  evictedIdle: number;
  evictedFull: number;
}

export interface LruTable<V> {
  /** The entry for key, created when absent, now the most recently active (at nowMs). */
  use(key: string, nowMs: number): V;
  /** The entry for key, if any, without touching its recency. */
  peek(key: string): V | undefined;
  /**
   * Adds an entry created elsewhere (a restored baseline) as the most recently active; false if
   * key is present. Insert oldest first: the idle walk stops at the first entry still active.
   */
  insert(key: string, value: V, nowMs: number): boolean;
  /** Drops entries last active at or before nowMs - idleMs; returns how many. */
  evictIdle(nowMs: number): number;
  /** Drops the least recently active entry; false when empty. */
  evictOldest(): boolean;
  /** Entries, least recently active first, with the time each was last active. */
  entries(): Generator<[key: string, value: V, lastSeenMs: number]>;
  readonly size: number;
  stats(): TableStats;
}

export interface LruTableOptions<V> {
  maxEntries: number;
  idleMs: number;
  create: (key: string) => V;
  /** Called for every entry dropped by eviction (not for peeks or failed inserts). */
  onEvict?: (value: V) => void;
}

export function createLruTable<V>(options: LruTableOptions<V>): LruTable<V> {
  const { maxEntries, idleMs, create, onEvict } = options;
  const nodes = new Map<string, Node<V>>();
  let oldest: Node<V> | null = null;
  let newest: Node<V> | null = null;
  // The entry of the latest use or insert, checked before the Map: consecutive spans of a request
  // mostly belong to one session, trace and agent, and a lookup in a table of 10^5 entries is a
  // few cache misses. Cleared when its entry is dropped, so it is always an entry of `nodes`.
  let last: Node<V> | null = null;
  let evictedIdle = 0;
  let evictedFull = 0;

  function unlink(node: Node<V>): void {
    if (node.older) node.older.newer = node.newer;
    else oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else newest = node.older;
    node.older = null;
    node.newer = null;
  }

  function append(node: Node<V>): void {
    node.older = newest;
    if (newest) newest.newer = node;
    else oldest = node;
    newest = node;
  }

  function drop(node: Node<V>): void {
    if (node === last) last = null;
    unlink(node);
    nodes.delete(node.key);
    onEvict?.(node.value);
  }

  function add(key: string, value: V, nowMs: number): void {
    while (nodes.size >= maxEntries && oldest) {
      drop(oldest);
      evictedFull++;
    }
    const node: Node<V> = { key, value, lastSeenMs: nowMs, older: null, newer: null };
    nodes.set(key, node);
    append(node);
    last = node;
  }

  return {
    use(key, nowMs) {
      let node: Node<V> | undefined = last ?? undefined;
      if (node === undefined || node.key !== key) {
        node = nodes.get(key);
        if (node === undefined) {
          const value = create(key);
          add(key, value, nowMs);
          return value;
        }
        last = node;
      }
      if (nowMs > node.lastSeenMs) node.lastSeenMs = nowMs;
      if (node !== newest) {
        unlink(node);
        append(node);
      }
      return node.value;
    },

    peek(key) {
      if (last !== null && last.key === key) return last.value;
      return nodes.get(key)?.value;
    },

    insert(key, value, nowMs) {
      if (nodes.has(key)) return false;
      add(key, value, nowMs);
      return true;
    },

    evictIdle(nowMs) {
      // Recency order is the order of lastSeenMs as long as callers pass a non-decreasing clock
      // (the detector set does), so the walk stops at the first entry still active.
      const cutoff = nowMs - idleMs;
      let count = 0;
      while (oldest && oldest.lastSeenMs <= cutoff) {
        drop(oldest);
        count++;
      }
      evictedIdle += count;
      return count;
    },

    evictOldest() {
      if (!oldest) return false;
      drop(oldest);
      evictedFull++;
      return true;
    },

    *entries() {
      for (let node = oldest; node; node = node.newer) yield [node.key, node.value, node.lastSeenMs];
    },

    get size() {
      return nodes.size;
    },

    stats() {
      return { size: nodes.size, capacity: maxEntries, evictedIdle, evictedFull };
    },
  };
}
