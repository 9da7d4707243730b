import { describe, expect, it } from 'vitest';
import { jensenShannonDivergence } from '../../../src/detector/jensen-shannon.ts';

describe('jensenShannonDivergence (base 2)', () => {
  it('is 0 for the same distribution, whatever the totals', () => {
    expect(jensenShannonDivergence([1, 2, 3], [10, 20, 30])).toBeCloseTo(0, 12);
  });

  it('is 1 for disjoint distributions', () => {
    expect(jensenShannonDivergence([5, 0], [0, 7])).toBeCloseTo(1, 12);
    // A shorter array means zeros at the end.
    expect(jensenShannonDivergence([3], [0, 0, 4])).toBeCloseTo(1, 12);
  });

  it('matches hand-computed values', () => {
    // P = (1/2, 1/2), Q = (1, 0), M = (3/4, 1/4):
    // KL(P||M) = 1/2 log2(2/3) + 1/2 log2(2) = 0.2075187..., KL(Q||M) = log2(4/3) = 0.4150375...
    // JSD = (0.2075187 + 0.4150375) / 2 = 0.3112781...
    expect(jensenShannonDivergence([1, 1], [1, 0])).toBeCloseTo(0.311278124, 8);
    // P = (0.9, 0.1), Q = (0.1, 0.9), M = (0.5, 0.5):
    // KL(P||M) = 0.9 log2(1.8) + 0.1 log2(0.2) = 0.5310044; same for Q; JSD = 0.5310044
    expect(jensenShannonDivergence([9, 1], [1, 9])).toBeCloseTo(0.531004406, 8);
  });

  it('is symmetric', () => {
    expect(jensenShannonDivergence([4, 1, 0, 2], [1, 1, 5, 0])).toBeCloseTo(jensenShannonDivergence([1, 1, 5, 0], [4, 1, 0, 2]), 12);
  });

  it('is 0 when either side has no counts', () => {
    expect(jensenShannonDivergence([], [1, 2])).toBe(0);
    expect(jensenShannonDivergence([0, 0], [1, 2])).toBe(0);
  });
});
