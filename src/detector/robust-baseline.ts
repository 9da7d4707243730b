import { median, medianAbsoluteDeviation } from 'simple-statistics';

/** MAD x this estimates the standard deviation of normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

export interface RobustBaseline {
  median: number;
  /** 1.4826 x MAD, but at least minRelativeScale x median and at least epsilon. */
  scale: number;
}

/**
 * Median and a robust scale of a history: one spike in the history moves neither. The floors on
 * the scale keep a very steady history (MAD near 0) from turning every small rise into a spike.
 */
export function robustBaseline(values: readonly number[], minRelativeScale: number, epsilon: number): RobustBaseline {
  if (values.length === 0) return { median: 0, scale: epsilon };
  const center = median(values as number[]);
  const mad = medianAbsoluteDeviation(values as number[]);
  return { median: center, scale: Math.max(MAD_TO_SIGMA * mad, minRelativeScale * center, epsilon) };
}
