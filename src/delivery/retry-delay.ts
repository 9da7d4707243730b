export interface RetryDelayOptions {
  /** The shortest wait between two attempts of one delivery, ms. Default 1 000. */
  minDelayMs?: number;
  /** The longest wait, ms; also caps a receiver's Retry-After. Default 300 000 (5 min). */
  maxDelayMs?: number;
}

export const DEFAULT_MIN_DELAY_MS = 1_000;
export const DEFAULT_MAX_DELAY_MS = 300_000;

/**
 * Exponential backoff with full jitter (uniform between the floor and the attempt's ceiling),
 * so deliveries that failed together in one outage do not retry in lockstep. The floor keeps
 * an unlucky draw from turning into a hot loop. `failures` counts the failed attempts so far
 * (1 after the first failure).
 */
export function retryDelayMs(failures: number, options: RetryDelayOptions = {}, random: () => number = Math.random): number {
  const floor = options.minDelayMs ?? DEFAULT_MIN_DELAY_MS;
  const cap = Math.max(floor, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  const exponent = Math.min(Math.max(0, failures - 1), 30);
  const ceiling = Math.min(cap, floor * 2 ** exponent);
  return Math.round(floor + random() * (ceiling - floor));
}

/** The receiver's Retry-After when it gave one (clamped to the floor and cap), else the backoff. */
export function nextDelayMs(
  failures: number,
  retryAfterMs: number | undefined,
  options: RetryDelayOptions = {},
  random: () => number = Math.random,
): number {
  if (retryAfterMs === undefined) return retryDelayMs(failures, options, random);
  const floor = options.minDelayMs ?? DEFAULT_MIN_DELAY_MS;
  const cap = Math.max(floor, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  return Math.min(cap, Math.max(floor, retryAfterMs));
}
