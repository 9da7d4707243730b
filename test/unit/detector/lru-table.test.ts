import { describe, expect, it } from 'vitest';
import { createLruTable } from '../../../src/detector/lru-table.ts';

describe('LRU table', () => {
  it('creates on first use and returns the same entry after', () => {
    const table = createLruTable({ maxEntries: 10, idleMs: 1000, create: (key: string) => ({ key, hits: 0 }) });
    table.use('a', 1).hits++;
    table.use('a', 2).hits++;
    expect(table.peek('a')).toEqual({ key: 'a', hits: 2 });
    expect(table.size).toBe(1);
  });

  it('drops the least recently used entry when full', () => {
    const evicted: string[] = [];
    const table = createLruTable({ maxEntries: 3, idleMs: 1000, create: (key: string) => key, onEvict: (value) => evicted.push(value) });
    table.use('a', 1);
    table.use('b', 2);
    table.use('c', 3);
    table.use('a', 4); // a is now the most recent
    table.use('d', 5);
    expect(evicted).toEqual(['b']);
    expect([...table.entries()].map(([key]) => key)).toEqual(['c', 'a', 'd']);
    expect(table.stats()).toEqual({ size: 3, capacity: 3, evictedIdle: 0, evictedFull: 1 });
  });

  it('evicts entries idle for the idle time, and only those', () => {
    const table = createLruTable({ maxEntries: 10, idleMs: 100, create: (key: string) => key });
    table.use('a', 0);
    table.use('b', 50);
    table.use('c', 120);
    expect(table.evictIdle(160)).toBe(2); // a (idle 160) and b (idle 110)
    expect([...table.entries()].map(([key]) => key)).toEqual(['c']);
    expect(table.evictIdle(219)).toBe(0);
    expect(table.evictIdle(220)).toBe(1);
  });

  it('insert adds only absent keys', () => {
    const table = createLruTable({ maxEntries: 2, idleMs: 100, create: () => 0 });
    expect(table.insert('a', 1, 10)).toBe(true);
    expect(table.insert('a', 2, 10)).toBe(false);
    expect(table.peek('a')).toBe(1);
  });

  it('stays at its cap under a million distinct keys', () => {
    const table = createLruTable({ maxEntries: 1000, idleMs: 1e9, create: () => 0 });
    for (let i = 0; i < 1_000_000; i++) table.use(`k${i}`, i);
    expect(table.size).toBe(1000);
    expect(table.peek('k999999')).toBe(0);
    expect(table.peek('k998999')).toBeUndefined();
  });

  it('never hands back an evicted entry, even the one used last', () => {
    const table = createLruTable({ maxEntries: 10, idleMs: 100, create: (key: string) => ({ key, hits: 0 }) });
    table.use('a', 0).hits++;
    // 'a', the entry used last, idles out: its next use starts a fresh entry.
    expect(table.evictIdle(200)).toBe(1);
    table.use('a', 300).hits++;
    expect(table.peek('a')).toEqual({ key: 'a', hits: 1 });
    const first = table.use('z', 400);
    expect(table.use('z', 401)).toBe(first);
    expect(table.peek('z')).toBe(first);
  });
});
