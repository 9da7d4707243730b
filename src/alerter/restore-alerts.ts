import type { AlertVersion } from './alert.ts';
import type { AlertLifecycle } from './alert-lifecycle.ts';
import { openFromStored, storedTraceIds } from './alert-snapshot.ts';

export interface RestoreSummary {
  restored: number;
  /** Firing in the table but unchanged for longer than the restore window: resolved now. */
  stale: number;
  /** Duplicates of an alert already open (same fingerprint): folded into it. */
  folded: number;
}

/**
 * Rebuilds the open alerts from the firing rows of the alerts table (newest first). Restored
 * alerts are not announced to sinks (they were announced when they opened); those resolved as
 * stale or folded are, since that is a change.
 */
export function restoreAlerts(lifecycle: AlertLifecycle, stored: readonly AlertVersion[], nowMs: number, restoreWindowMs: number): RestoreSummary {
  const { open } = lifecycle;
  const summary: RestoreSummary = { restored: 0, stale: 0, folded: 0 };
  // Oldest first, so the order of last activity (what eviction takes) matches the table's.
  for (let i = stored.length - 1; i >= 0; i--) {
    const version = stored[i]!;
    if (version.alert.status !== 'firing' || open.getById(version.alert.id) !== undefined) continue;
    const alert = openFromStored(version, nowMs);
    const traceIds = storedTraceIds(version.alert);
    if (version.updatedAtMs < nowMs - restoreWindowMs) {
      alert.traceIds = traceIds;
      lifecycle.resolve(alert, nowMs, 'stale');
      summary.stale++;
      continue;
    }
    const existing = open.get(alert.fingerprint);
    if (existing !== undefined) {
      alert.traceIds = traceIds;
      lifecycle.fold(existing, alert, nowMs);
      summary.folded++;
      continue;
    }
    lifecycle.makeRoom(nowMs);
    open.add(alert);
    for (const traceId of traceIds) open.noteTrace(alert, traceId);
    summary.restored++;
  }
  return summary;
}
