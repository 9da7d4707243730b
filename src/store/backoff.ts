export interface BackoffOptions {
  /** Delay before the first retry, ms. Default 100. */
  initialDelayMs?: number;
  /** Longest delay between retries, ms. Default 10 000. */
  maxDelayMs?: number;
}

/**
 * Exponential backoff with jitter (each delay drawn from the upper half of its window), so
 * several writers recovering from one outage do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 10_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
