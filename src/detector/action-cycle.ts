// Cycles of period 2..8 in a session's action sequence, found in O(periods) per action with no
// search: for every period p, run[p] counts how many of the latest actions equal the action p
// before them, in a row. The last (run[p] + p) actions repeat with period p, so R repeats of a
// p-cycle end at the newest action exactly when run[p] >= p * (R - 1).

const MIN_CYCLE_PERIOD = 2;
export const MAX_CYCLE_PERIOD = 8;

/** Int32 slots an action sequence of a capacity takes: the runs, then the ring of ids. */
export function actionSequenceInts(capacity: number): number {
  return MAX_CYCLE_PERIOD + 1 + Math.max(capacity, MAX_CYCLE_PERIOD);
}

const IDS = MAX_CYCLE_PERIOD + 1;

export interface ActionSequence {
  /**
   * data[p] for p in 2..8 is the run for period p (0 and 1 unused: period 1 is the identical-calls
   * rule); data[IDS + n % capacity] is the id of action number n.
   */
  readonly data: Int32Array;
  /** Action ids remembered, at least MAX_CYCLE_PERIOD. */
  readonly capacity: number;
  count: number;
}

/**
 * `capacity` ids are remembered (for evidence; the cycle search needs MAX_CYCLE_PERIOD). The
 * sequence may live at the start of a larger array shared with other per-session state.
 */
export function createActionSequence(capacity: number = MAX_CYCLE_PERIOD, data?: Int32Array): ActionSequence {
  const size = Math.max(capacity, MAX_CYCLE_PERIOD);
  const buffer = data ?? new Int32Array(actionSequenceInts(size));
  if (buffer.length < actionSequenceInts(size)) throw new RangeError('action sequence buffer too small');
  return { data: buffer, capacity: size, count: 0 };
}

/** The action id `back` actions before the newest (0 = newest); NaN when no longer held. */
export function actionBack(sequence: ActionSequence, back: number): number {
  if (back < 0 || back >= sequence.capacity || back >= sequence.count) return Number.NaN;
  return sequence.data[IDS + ((sequence.count - 1 - back) % sequence.capacity)] ?? Number.NaN;
}

export function pushAction(sequence: ActionSequence, id: number): void {
  const { data, capacity, count } = sequence;
  for (let p = MIN_CYCLE_PERIOD; p <= MAX_CYCLE_PERIOD; p++) {
    data[p] = count >= p && data[IDS + ((count - p) % capacity)] === id ? (data[p] ?? 0) + 1 : 0;
  }
  data[IDS + (count % capacity)] = id;
  sequence.count = count + 1;
}

/** How many times the last `period` actions repeat in a row at the end of the sequence. */
export function cycleRepeats(sequence: ActionSequence, period: number): number {
  return Math.floor((sequence.data[period] ?? 0) / period) + 1;
}

/**
 * The smallest period whose cycle has just completed a repeat that is worth reporting: the
 * `minRepeats`-th, then twice, four times as many... (a loop that runs on is reported as it
 * grows, not at every step). 0 when none. A "cycle" of one repeated action is not a cycle here.
 */
export function reportableCycle(sequence: ActionSequence, minRepeats: number): number {
  for (let p = MIN_CYCLE_PERIOD; p <= MAX_CYCLE_PERIOD; p++) {
    const run = sequence.data[p] ?? 0;
    if (run < p * (minRepeats - 1)) continue;
    if (isSingleAction(sequence, p)) continue;
    // The smallest genuine period decides; its multiples are the same loop.
    if (run % p !== 0) return 0;
    return isReportPoint(run / p + 1, minRepeats) ? p : 0;
  }
  return 0;
}

function isSingleAction(sequence: ActionSequence, period: number): boolean {
  const first = actionBack(sequence, 0);
  for (let back = 1; back < period; back++) if (actionBack(sequence, back) !== first) return false;
  return true;
}

/** threshold, 2 x threshold, 4 x threshold... */
export function isReportPoint(count: number, threshold: number): boolean {
  if (count < threshold || count % threshold !== 0) return false;
  const multiple = count / threshold;
  return (multiple & (multiple - 1)) === 0;
}
