import type { Logger } from 'pino';
import type { AlertVersion } from './alert.ts';
import type { AlertStore } from './alert-store.ts';

/**
 * Hands alert versions to the store, one write per batch of changes. A version the store
 * refuses (its queue is full) is kept, latest per alert, and offered again at the next commit
 * or retry: the in-memory state is the truth and the table catches up. Beyond maxPending
 * alerts waiting, the oldest waiting version is dropped, logged and counted.
 */
export interface VersionWriter {
  add(version: AlertVersion): void;
  /** Offers what was added since the last commit, plus whatever is waiting. */
  commit(): void;
  readonly waiting: number;
  readonly droppedTotal: number;
}

export function createVersionWriter(store: AlertStore, logger: Logger, maxPending: number): VersionWriter {
  let batch: AlertVersion[] = [];
  const waiting = new Map<string, AlertVersion>();
  let dropped = 0;
  let refusedLogged = false;

  function keep(version: AlertVersion): void {
    const earlier = waiting.get(version.alert.id);
    if (earlier !== undefined && earlier.version > version.version) return;
    waiting.delete(version.alert.id);
    waiting.set(version.alert.id, version);
    if (waiting.size <= maxPending) return;
    const [oldestId, oldest] = waiting.entries().next().value!;
    waiting.delete(oldestId);
    dropped++;
    logger.error({ alertId: oldestId, version: oldest.version, status: oldest.alert.status }, 'alert version dropped: the alerts write queue stayed full');
  }

  return {
    add(version) {
      batch.push(version);
    },
    commit() {
      if (batch.length === 0 && waiting.size === 0) return;
      const offered = batch;
      batch = [];
      // A newer version of an alert supersedes its waiting one: write only the newest.
      for (const version of offered) waiting.delete(version.alert.id);
      const all = waiting.size === 0 ? offered : [...waiting.values(), ...offered];
      if (store.write(all)) {
        waiting.clear();
        if (refusedLogged) logger.info('alerts write queue has room again; waiting versions written');
        refusedLogged = false;
        return;
      }
      for (const version of offered) keep(version);
      if (!refusedLogged) logger.warn({ waiting: waiting.size }, 'alerts write queue full; keeping alert versions to retry');
      refusedLogged = true;
    },
    get waiting() {
      return waiting.size + batch.length;
    },
    get droppedTotal() {
      return dropped;
    },
  };
}
