import type { Logger } from 'pino';
import type { DeliveryRecord } from './delivery.ts';
import { createDestinationHealth } from './destination-health.ts';
import type { DestinationHealthTracker } from './destination-health.ts';
import type { DestinationOptions, DestinationStats, OutboxOptions } from './outbox-options.ts';
import type { DestinationGate } from './pick-due.ts';

/** One destination's settings, gate and counters, as the outbox keeps them. */
export interface DestinationState extends DestinationGate {
  readonly name: string;
  readonly options: DestinationOptions;
  readonly health: DestinationHealthTracker;
  /** The configured concurrency; `concurrency` drops to 1 while the destination fails. */
  readonly maxConcurrency: number;
  attempts: number;
  delivered: number;
  failed: number;
  withdrawn: number;
}

export const MAX_CONCURRENCY = 4;

export function createDestinationStates(options: OutboxOptions): Map<string, DestinationState> {
  const states = new Map<string, DestinationState>();
  for (const [name, destination] of Object.entries(options.destinations)) {
    const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(destination.concurrency ?? 2)));
    states.set(name, {
      name,
      options: destination,
      concurrency,
      maxConcurrency: concurrency,
      inFlight: 0,
      blockedUntilMs: 0,
      health: createDestinationHealth(options.unhealthyAfter ?? 5),
      attempts: 0,
      delivered: 0,
      failed: 0,
      withdrawn: 0,
    });
  }
  return states;
}

export function destinationStats(state: DestinationState, pending: number): DestinationStats {
  return { ...state.health.snapshot(), pending, inFlight: state.inFlight, attempts: state.attempts, delivered: state.delivered, failed: state.failed, withdrawn: state.withdrawn };
}

type Hooks = Pick<OutboxOptions, 'onDestinationUnhealthy' | 'onDestinationRecovered'>;

/**
 * Counts one settled attempt against its destination and tells people what they need to know:
 * recovery and the crossing into unhealthy at once, every permanent failure, retries at most
 * once a minute (destination-health.ts).
 */
export function reportOutcome(state: DestinationState, record: DeliveryRecord, succeeded: boolean, nowMs: number, logger: Logger, hooks: Hooks): void {
  const log = { destination: state.name, deliveryId: record.id, attempts: record.attempts, status: record.status };
  if (succeeded) {
    state.delivered += 1;
    if (state.health.success() === 'recovered') {
      logger.info(log, 'delivery destination recovered');
      guarded(logger, () => hooks.onDestinationRecovered?.(state.name));
    }
    return;
  }
  if (record.status === 'failed') state.failed += 1;
  const event = state.health.failure(record.lastError, nowMs);
  if (event === 'became_unhealthy') {
    const health = state.health.snapshot();
    logger.warn({ ...log, ...health }, 'delivery destination keeps failing; retrying with backoff');
    guarded(logger, () => hooks.onDestinationUnhealthy?.(state.name, health));
  } else if (record.status === 'failed') {
    logger.warn({ ...log, error: record.lastError }, 'delivery failed permanently');
  } else if (event === 'warn') {
    logger.warn({ ...log, error: record.lastError }, 'delivery attempt failed; will retry');
  }
}

// A throwing callback must not stop the outbox's loop.
function guarded(logger: Logger, call: () => void): void {
  try {
    call();
  } catch (error) {
    logger.error({ err: error }, 'delivery outbox callback threw');
  }
}
