import { describe, expect, it } from 'vitest';
import { createSpanIdRing, pushSpanId, recentSpanIds, spanIdBack } from '../../../src/detector/span-id-ring.ts';

describe('span id ring', () => {
  it('returns 16-hex span ids exactly, newest last, keeping only its capacity', () => {
    const ring = createSpanIdRing(3);
    const ids = ['00f067aa0ba902b7', 'ffffffffffffffff', '0000000000000001', '8000000000000000'];
    for (const id of ids) pushSpanId(ring, id);
    expect(recentSpanIds(ring, 10)).toEqual(ids.slice(1));
    expect(recentSpanIds(ring, 2)).toEqual(ids.slice(2));
    expect(spanIdBack(ring, 0)).toBe('8000000000000000');
    expect(spanIdBack(ring, 3)).toBe('');
  });

  it('keeps ids that are not 16 lowercase hex digits as text', () => {
    const ring = createSpanIdRing(2);
    pushSpanId(ring, 'span-1');
    pushSpanId(ring, '00F067AA0BA902B7');
    expect(recentSpanIds(ring, 2)).toEqual(['span-1', '00F067AA0BA902B7']);
    // A hex id overwriting a text slot is read back as hex.
    pushSpanId(ring, 'aaaaaaaaaaaaaaaa');
    expect(recentSpanIds(ring, 2)).toEqual(['00F067AA0BA902B7', 'aaaaaaaaaaaaaaaa']);
  });

  it('can live in a shared buffer at an offset', () => {
    const words = new Int32Array(10).fill(-7);
    const ring = createSpanIdRing(2, words, 4);
    pushSpanId(ring, '0123456789abcdef');
    expect(recentSpanIds(ring, 1)).toEqual(['0123456789abcdef']);
    expect([...words.subarray(0, 4)]).toEqual([-7, -7, -7, -7]);
    expect(() => createSpanIdRing(4, words, 4)).toThrow(RangeError);
  });
});
