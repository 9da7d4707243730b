// An agent's usage per minute, for the spend baseline: the current minute's running totals and a
// ring of the last closed active minutes (minutes with counted LLM usage; idle minutes are not
// history, so an agent that works in bursts is compared with its own working minutes, not with
// the quiet between them). Float32: a baseline needs 7 significant digits, not 16, and the
// ring is the bulk of an agent's spend state (60 minutes x 2 values x 4 bytes). The calendar
// minutes of the two newest entries are kept too, so the spike rule can tell whether they are
// the minutes just before the current one (spend-window.ts).
import { robustBaseline } from './robust-baseline.ts';

export interface SpendHistory {
  /** Minute (Unix ms / 60 000) being accumulated; -1 before the first usage. */
  minute: number;
  usd: number;
  tokens: number;
  /** USD per minute in the first half, tokens in the second; allocated when a minute first closes. */
  past: Float32Array | null;
  /** Closed active minutes in the ring (up to its capacity). */
  length: number;
  /** Ring position the next closed minute goes to. */
  next: number;
  /** Calendar minute of the newest ring entry and of the one before it; -1 when unknown (restored). */
  newestMinute: number;
  previousMinute: number;
  usdMedian: number;
  usdScale: number;
  tokensMedian: number;
  tokensScale: number;
}

const USD_EPSILON = 1e-6;
const TOKENS_EPSILON = 1;

export function createSpendHistory(): SpendHistory {
  return { minute: -1, usd: 0, tokens: 0, past: null, length: 0, next: 0, newestMinute: -1, previousMinute: -1, usdMedian: 0, usdScale: USD_EPSILON, tokensMedian: 0, tokensScale: TOKENS_EPSILON };
}

/** Closes the current minute into the ring (when it had usage) and refreshes the baseline. */
export function closeMinute(history: SpendHistory, capacity: number, minRelativeScale: number): void {
  if (history.usd <= 0 && history.tokens <= 0) return;
  if (history.past === null) history.past = new Float32Array(capacity * 2);
  const size = history.past.length / 2;
  history.past[history.next] = history.usd;
  history.past[size + history.next] = history.tokens;
  history.next = (history.next + 1) % size;
  history.length = Math.min(history.length + 1, size);
  history.previousMinute = history.newestMinute;
  history.newestMinute = history.minute;
  refreshBaseline(history, minRelativeScale);
}

/** Fills the ring from closed minutes, oldest first; only the newest `capacity` fit. */
export function restoreHistory(history: SpendHistory, usd: readonly number[], tokens: readonly number[], capacity: number, minRelativeScale: number): void {
  const past = new Float32Array(capacity * 2);
  const skip = Math.max(0, usd.length - capacity);
  let length = 0;
  for (let i = skip; i < usd.length; i++, length++) {
    past[length] = usd[i] ?? 0;
    past[capacity + length] = tokens[i] ?? 0;
  }
  history.past = past;
  history.length = length;
  history.next = length % capacity;
  // A snapshot keeps no calendar minutes: the restored minutes are history, not the last two.
  history.newestMinute = -1;
  history.previousMinute = -1;
  if (length > 0) refreshBaseline(history, minRelativeScale);
}

function refreshBaseline(history: SpendHistory, minRelativeScale: number): void {
  const usdBaseline = robustBaseline(closedMinutes(history, 'usd'), minRelativeScale, USD_EPSILON);
  const tokensBaseline = robustBaseline(closedMinutes(history, 'tokens'), minRelativeScale, TOKENS_EPSILON);
  history.usdMedian = usdBaseline.median;
  history.usdScale = usdBaseline.scale;
  history.tokensMedian = tokensBaseline.median;
  history.tokensScale = tokensBaseline.scale;
}

/** The closed minutes in the ring, oldest first. */
export function closedMinutes(history: SpendHistory, metric: 'usd' | 'tokens'): number[] {
  const past = history.past;
  if (past === null) return [];
  const size = past.length / 2;
  const offset = metric === 'usd' ? 0 : size;
  const values: number[] = [];
  const start = history.length < size ? 0 : history.next;
  for (let i = 0; i < history.length; i++) values.push(past[offset + ((start + i) % size)] ?? 0);
  return values;
}
