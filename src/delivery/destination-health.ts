/** What a destination's failures look like right now; reported to logs, metrics and the lead's alert. */
export interface DestinationHealth {
  /** Failed attempts in a row (retryable or permanent); 0 after any success. */
  consecutiveFailures: number;
  /** The last failure's reason, or '' when none. */
  lastError: string;
  /** Unix ms of the first failure of the current streak, or null when healthy. */
  failingSinceMs: number | null;
  /** True once the streak reached the unhealthy threshold, until the next success. */
  unhealthy: boolean;
}

/** What the caller should do about one outcome. */
export type HealthEvent = 'became_unhealthy' | 'recovered' | 'warn' | 'quiet';

export const WARN_INTERVAL_MS = 60_000;

/**
 * Consecutive failures of one destination, with a log throttle: a destination that keeps
 * failing is reported once when it crosses the threshold and warned about at most once a
 * minute after that, not on every retry.
 */
export function createDestinationHealth(unhealthyAfter: number) {
  const health: DestinationHealth = { consecutiveFailures: 0, lastError: '', failingSinceMs: null, unhealthy: false };
  let lastWarnMs = Number.NEGATIVE_INFINITY;
  return {
    snapshot: (): DestinationHealth => ({ ...health }),

    success(): HealthEvent {
      const wasUnhealthy = health.unhealthy;
      health.consecutiveFailures = 0;
      health.failingSinceMs = null;
      health.unhealthy = false;
      return wasUnhealthy ? 'recovered' : 'quiet';
    },

    failure(message: string, nowMs: number): HealthEvent {
      health.consecutiveFailures += 1;
      health.lastError = message;
      health.failingSinceMs ??= nowMs;
      if (!health.unhealthy && health.consecutiveFailures >= unhealthyAfter) {
        health.unhealthy = true;
        lastWarnMs = nowMs;
        return 'became_unhealthy';
      }
      if (nowMs - lastWarnMs < WARN_INTERVAL_MS) return 'quiet';
      lastWarnMs = nowMs;
      return 'warn';
    },
  };
}

export type DestinationHealthTracker = ReturnType<typeof createDestinationHealth>;
