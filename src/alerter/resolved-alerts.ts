import type { AlertVersion } from './alert.ts';

/**
 * The latest versions of recently resolved alerts, so an ack right after resolution builds on
 * the version just written even while it still waits in the write queue. Bounded; older
 * resolved alerts are read back from the store.
 */
export interface ResolvedAlerts {
  get(id: string): AlertVersion | undefined;
  set(version: AlertVersion): void;
}

export function createResolvedAlerts(max: number): ResolvedAlerts {
  const versions = new Map<string, AlertVersion>();
  return {
    get: (id) => versions.get(id),
    set(version) {
      versions.delete(version.alert.id);
      versions.set(version.alert.id, version);
      if (versions.size > max) versions.delete(versions.keys().next().value!);
    },
  };
}
