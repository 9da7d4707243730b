import type { DeliveryRecord } from './delivery.ts';

export interface PendingEntry {
  record: DeliveryRecord;
  inFlight: boolean;
  /** False while its first row is being written: it holds its order but is not attempted. */
  durable: boolean;
}

/** What the scheduler needs to know of a destination. */
export interface DestinationGate {
  concurrency: number;
  inFlight: number;
  /** Unix ms before which the destination gets no attempt (its backoff while failing). */
  blockedUntilMs: number;
}

/**
 * The deliveries to attempt now, and when the next one falls due. `entries` come in enqueue
 * order: a delivery waits while an earlier one with the same destination and orderKey is still
 * pending, whether in flight or backing off.
 */
export function pickDue(
  entries: Iterable<PendingEntry>,
  destinations: ReadonlyMap<string, DestinationGate>,
  nowMs: number,
): { due: PendingEntry[]; nextDueAtMs: number | undefined } {
  const due: PendingEntry[] = [];
  const started = new Map<string, number>();
  const heldOrders = new Set<string>();
  let nextDueAtMs: number | undefined;
  for (const entry of entries) {
    const { record } = entry;
    const gate = destinations.get(record.destination);
    if (gate === undefined) continue;
    if (record.orderKey !== '') {
      const order = `${record.destination}\0${record.orderKey}`;
      if (heldOrders.has(order)) continue;
      heldOrders.add(order);
    }
    if (entry.inFlight || !entry.durable) continue;
    const dueAtMs = Math.max(record.nextAttemptAtMs, gate.blockedUntilMs);
    if (dueAtMs > nowMs) {
      nextDueAtMs = nextDueAtMs === undefined ? dueAtMs : Math.min(nextDueAtMs, dueAtMs);
      continue;
    }
    const busy = gate.inFlight + (started.get(record.destination) ?? 0);
    // A full destination is pumped again when one of its attempts finishes.
    if (busy >= gate.concurrency) continue;
    started.set(record.destination, (started.get(record.destination) ?? 0) + 1);
    due.push(entry);
  }
  return { due, nextDueAtMs };
}
