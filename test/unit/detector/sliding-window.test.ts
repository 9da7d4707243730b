import { describe, expect, it } from 'vitest';
import { addToWindow, advanceWindow, createSlidingWindow } from '../../../src/detector/sliding-window.ts';

describe('sliding window', () => {
  it('sums the current bucket and the ones before it', () => {
    const window = createSlidingWindow(3, 1000);
    expect(addToWindow(window, 500, 1)).toBe(1);
    expect(addToWindow(window, 1500, 2)).toBe(3);
    expect(addToWindow(window, 2500, 4)).toBe(7);
    // Bucket 0 slides out when bucket 3 begins.
    expect(addToWindow(window, 3000, 8)).toBe(14);
  });

  it('empties after a gap longer than the window', () => {
    const window = createSlidingWindow(3, 1000);
    addToWindow(window, 0, 5);
    advanceWindow(window, 10_000);
    expect(window.sum).toBe(0);
    expect(addToWindow(window, 10_500, 1)).toBe(1);
  });

  it('adds a late value still inside the window, ignores one older than it', () => {
    const window = createSlidingWindow(3, 1000);
    addToWindow(window, 5000, 1);
    expect(addToWindow(window, 3500, 2)).toBe(3);
    expect(addToWindow(window, 2999, 4)).toBe(3);
  });
});
