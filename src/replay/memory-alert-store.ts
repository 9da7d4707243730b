import type { Alert, AlertVersion } from '../alerter/alert.ts';
import type { AlertStore } from '../alerter/alert-store.ts';
import { ok } from '../errors/warden-error.ts';

/** Alerts a replay keeps, at most; later ones are counted, not kept. */
export const DEFAULT_REPLAY_MAX_ALERTS = 100_000;

export interface MemoryAlertStore extends AlertStore {
  /** The latest version of every alert kept, in the order the alerts opened. */
  alerts(): Alert[];
  /** Alerts opened after the store was full: counted, not kept. */
  readonly dropped: number;
}

/**
 * The alerts table in memory, for a replay: the latest version of each alert id, nothing
 * written anywhere. It never refuses a write (a refused write would only make the alerter
 * hold versions and retry), so at most `maxAlerts` alerts are kept (about 2 KB each: 100 000
 * is ~200 MB); versions of alerts beyond that are dropped and counted.
 */
export function createMemoryAlertStore(maxAlerts: number = DEFAULT_REPLAY_MAX_ALERTS): MemoryAlertStore {
  const latest = new Map<string, AlertVersion>();
  // Dropped alerts still open (the alerter holds at most maxOpenAlerts), so their later
  // versions are not counted again; forgotten when they resolve.
  const droppedOpen = new Set<string>();
  let dropped = 0;

  function keep(version: AlertVersion): void {
    const id = version.alert.id;
    const known = latest.get(id);
    if (known === undefined) {
      if (latest.size >= maxAlerts) {
        if (!droppedOpen.has(id)) dropped++;
        if (version.alert.status === 'firing') droppedOpen.add(id);
        else droppedOpen.delete(id);
        return;
      }
      latest.set(id, version);
      return;
    }
    // Map order stays the opening order: a later version replaces the value in place.
    if (version.version > known.version) latest.set(id, version);
  }

  return {
    write(versions) {
      for (const version of versions) keep(version);
      return true;
    },

    async loadFiring(limit) {
      const firing = [...latest.values()].filter((version) => version.alert.status === 'firing');
      firing.sort((a, b) => b.updatedAtMs - a.updatedAtMs);
      return ok(firing.slice(0, limit));
    },

    async get(id) {
      return ok(latest.get(id) ?? null);
    },

    async flush() {},

    alerts: () => [...latest.values()].map((version) => version.alert),

    get dropped() {
      return dropped;
    },
  };
}
