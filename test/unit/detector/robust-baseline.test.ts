import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, robustBaseline } from '../../../src/detector/robust-baseline.ts';

describe('robust baseline', () => {
  it('is the median and 1.4826 x MAD, unmoved by one outlier', () => {
    // median 10, absolute deviations 2,1,0,1,2,990 -> MAD 1.5
    const baseline = robustBaseline([8, 9, 10, 11, 12, 1000], 0, 0.001);
    expect(baseline.median).toBe(10.5);
    expect(baseline.scale).toBeCloseTo(MAD_TO_SIGMA * 1.5, 10);
  });

  it('has a scale of at least a fraction of the median, and at least epsilon', () => {
    expect(robustBaseline([100, 100, 100, 100], 0.25, 1).scale).toBe(25);
    expect(robustBaseline([0, 0, 0], 0.25, 1).scale).toBe(1);
    expect(robustBaseline([], 0.25, 1)).toEqual({ median: 0, scale: 1 });
  });
});
