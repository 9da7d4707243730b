// The rate the spend spike rule judges: an agent's usage over its last two minutes, per minute.
// Per-minute spend is heavy-tailed (contexts grow within a session, sessions overlap, some
// sessions are routed to a pricier model), so one heavy minute is normal; a spike (a loop of
// large prompts, a runaway batch) keeps the rate up for minutes. Two minutes is the most
// evidence that still reports within the two minutes a spike must be caught in. Against the
// current minute alone, it took the evaluation from about 3 500 to about 680 false alerts per
// million normal spans, every spike still caught (README "Evaluation"). The window slides: the
// minute before last counts for the part of it still inside the last 120 s, its usage taken as
// spread evenly over it (the estimate sliding-window rate limiters use), so a spike is judged on
// two full minutes whatever second of a minute it started in.
import type { SpendHistory } from './spend-history.ts';

const MINUTE_MS = 60_000;
export const RATE_WINDOW_MINUTES = 2;

/**
 * The smallest scale of the two-minute rate, as a fraction of the median minute: with the
 * default sensitivity 4 the rate must reach 1 + 4 x 0.75 = 4 times the usual one. Measured on
 * the evaluation (seeds 1-10): the weakest injected spikes (5x) reach 4.5x over their first two
 * minutes, and normal two-minute stretches of long contexts reach 4x about 650 times per million
 * normal spans (3.5x, at sensitivity 3: 1 400; 4.75x, at sensitivity 5: 310, too close to 4.5x).
 */
export const MIN_WINDOW_RELATIVE_SCALE = 0.75;

/**
 * The dollar rule also needs the rate above this many times the most expensive minute of the
 * history before the window: routing a session to a model 5-20 times the price makes single
 * minutes that costly while the tokens stay usual, and the token rule already reports spikes in
 * volume. Measured on the evaluation: 1.5 leaves about 80 false dollar alerts per million normal
 * spans, 2 about 15.
 */
export const USD_OVER_LARGEST_MINUTE = 2;

export type SpendMetric = 'usd' | 'tokens';

/** USD or tokens per minute over the two minutes up to atMs (a time within the current minute). */
export function windowRate(history: SpendHistory, metric: SpendMetric, atMs: number): number {
  const elapsed = Math.min(1, Math.max(0, (atMs - history.minute * MINUTE_MS) / MINUTE_MS));
  const current = metric === 'usd' ? history.usd : history.tokens;
  return (current + closedMinuteBefore(history, metric, 1) + (1 - elapsed) * closedMinuteBefore(history, metric, 2)) / RATE_WINDOW_MINUTES;
}

/**
 * Scale of the two-minute rate from a minute's robust scale: a mean of two minutes spreads about
 * 1/sqrt(2) as much as one minute when minutes are independent; at least MIN_WINDOW_RELATIVE_SCALE
 * of the median.
 */
export function windowScale(median: number, minuteScale: number): number {
  return Math.max(minuteScale * Math.SQRT1_2, MIN_WINDOW_RELATIVE_SCALE * median);
}

/**
 * The largest closed minute of the history before the two-minute window: the window's own
 * minutes are what is being judged, not what is usual (0 without one).
 */
export function largestMinuteBeforeWindow(history: SpendHistory, metric: SpendMetric): number {
  const past = history.past;
  if (past === null) return 0;
  const size = past.length / 2;
  const offset = metric === 'usd' ? 0 : size;
  const windowStart = history.minute - RATE_WINDOW_MINUTES;
  // Ring positions of the newest and the previous entry, when they lie in the window.
  const newest = history.newestMinute >= windowStart ? (history.next - 1 + size) % size : -1;
  const previous = history.previousMinute >= windowStart ? (history.next - 2 + 2 * size) % size : -1;
  let largest = 0;
  for (let i = 0; i < history.length; i++) if (i !== newest && i !== previous) largest = Math.max(largest, past[offset + i] ?? 0);
  return largest;
}

/** The usage of the minute `back` minutes before the current one: 0 when it was idle or is not known. */
function closedMinuteBefore(history: SpendHistory, metric: SpendMetric, back: 1 | 2): number {
  const past = history.past;
  if (past === null) return 0;
  const size = past.length / 2;
  const wanted = history.minute - back;
  let age: number;
  if (history.newestMinute === wanted) age = 0;
  else if (history.previousMinute === wanted && size >= 2) age = 1;
  else return 0;
  const index = (history.next - 1 - age + 2 * size) % size;
  return past[(metric === 'usd' ? 0 : size) + index] ?? 0;
}
