import { describe, expect, it } from 'vitest';
import { createActionSequence, cycleRepeats, isReportPoint, pushAction, reportableCycle } from '../../../src/detector/action-cycle.ts';

function feed(ids: number[], minRepeats = 3): Array<number> {
  const sequence = createActionSequence();
  return ids.map((id) => {
    pushAction(sequence, id);
    return reportableCycle(sequence, minRepeats);
  });
}

describe('action cycles', () => {
  it('finds a period-2 cycle at the action that completes its third repeat', () => {
    expect(feed([1, 2, 1, 2, 1, 2])).toEqual([0, 0, 0, 0, 0, 2]);
  });

  it('finds a period-3 cycle after a prefix, and reports again at 2x and 4x the repeats', () => {
    const prefix = [7, 8, 9, 10];
    const cycle = Array.from({ length: 12 }, () => [1, 2, 3]).flat();
    const reported = feed([...prefix, ...cycle]);
    const at = reported.flatMap((period, index) => (period > 0 ? [[index - prefix.length + 1, period]] : []));
    // 3 repeats = 9 actions, 6 repeats = 18, 12 repeats = 36.
    expect(at).toEqual([
      [9, 3],
      [18, 3],
      [36, 3],
    ]);
  });

  it('finds a period-8 cycle and nothing longer', () => {
    const cycle = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(feed([...cycle, ...cycle, ...cycle]).at(-1)).toBe(8);
    const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(feed([...nine, ...nine, ...nine]).every((period) => period === 0)).toBe(true);
  });

  it('leaves one repeated action to the identical-calls rule', () => {
    expect(feed([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]).every((period) => period === 0)).toBe(true);
  });

  it('finds a cycle whose tail repeats one action (not mistaken for period 1)', () => {
    const cycle = [1, 1, 2, 2, 2, 2, 2, 2];
    expect(feed([...cycle, ...cycle, ...cycle]).at(-1)).toBe(8);
  });

  it('does not report an interrupted cycle', () => {
    expect(feed([1, 2, 1, 2, 3, 1, 2]).every((period) => period === 0)).toBe(true);
  });

  it('counts repeats', () => {
    const sequence = createActionSequence();
    for (const id of [1, 2, 1, 2, 1, 2, 1]) pushAction(sequence, id);
    expect(cycleRepeats(sequence, 2)).toBe(3);
  });

  it('report points are the threshold times a power of two', () => {
    expect([1, 4, 5, 6, 10, 15, 20, 30, 40].filter((count) => isReportPoint(count, 5))).toEqual([5, 10, 20, 40]);
  });
});
