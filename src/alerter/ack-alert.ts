import { fail, ok } from '../errors/warden-error.ts';
import type { Result } from '../errors/warden-error.ts';
import type { Alert } from './alert.ts';
import type { AlertLifecycle } from './alert-lifecycle.ts';
import type { AlertStore } from './alert-store.ts';
import { snapshot } from './alert-snapshot.ts';

export interface AckRequest {
  id: string;
  actor: string;
  /** '' for none. */
  reason: string;
  nowMs: number;
  writeWaitMs: number;
}

/**
 * Acknowledges an alert: an ack says a person has seen it, it does not silence or resolve it
 * (repeats still count, the quiet period still resolves it). The first ack wins; acking again
 * returns the alert unchanged. An alert not open in memory (resolved, or restored out of the
 * window) is acked on its latest stored version.
 */
export async function ackAlert(lifecycle: AlertLifecycle, store: AlertStore, request: AckRequest): Promise<Result<Alert | null>> {
  const { id, actor, nowMs } = request;
  const reason = request.reason === '' ? null : request.reason;
  const alert = lifecycle.open.getById(id);
  if (alert !== undefined) {
    if (alert.ackedAtMs !== null) return ok(snapshot(alert));
    alert.ackedAtMs = nowMs;
    alert.ackedBy = actor;
    alert.ackReason = reason;
    lifecycle.counters.acked++;
    const acked = lifecycle.publish(alert, 'acked', nowMs);
    lifecycle.writer.commit();
    await written(store, request.writeWaitMs);
    return ok(acked);
  }

  let stored = lifecycle.resolvedAlerts.get(id);
  if (stored === undefined) {
    const read = await store.get(id);
    if (!read.ok) return read;
    if (read.value === null) return ok(null);
    stored = read.value;
  }
  // The owner holds a firing alert in memory and writes its next version from there, which
  // would silently drop an ack written here.
  const owner = stored.instance;
  if (stored.alert.status === 'firing' && store.instance !== undefined && owner !== undefined && owner !== store.instance) {
    return fail('WARDEN_ALERT_OWNED_ELSEWHERE', `alert ${id} is firing on Warden instance "${owner}"; acknowledge it through that instance's API`);
  }
  if (stored.alert.acked_at !== null) return ok(stored.alert);
  const acked: Alert = { ...stored.alert, acked_at: new Date(nowMs).toISOString(), acked_by: actor, ack_reason: reason };
  lifecycle.counters.acked++;
  lifecycle.publishDetached(stored, acked, 'acked', nowMs);
  lifecycle.writer.commit();
  await written(store, request.writeWaitMs);
  return ok(acked);
}

// Bounded: with ClickHouse down the ack still holds (the version is queued and retried), and
// the caller gets its answer instead of hanging.
async function written(store: AlertStore, waitMs: number): Promise<void> {
  if (waitMs <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([store.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
}
