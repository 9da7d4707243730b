import type { Logger } from 'pino';
import type { DetectorSet } from '../detector/create-detector-set.ts';
import type { BaselineStore } from '../store/baseline-store.ts';

export interface BaselinePersistence {
  /** Loads the saved baselines into the detectors; a failure is logged, Warden starts cold. */
  restore(): Promise<void>;
  start(): void;
  /** Saves once more, so a normal restart loses nothing learned. */
  shutdown(): Promise<void>;
}

/** Every five minutes: a crash loses at most that much learning. */
const SAVE_INTERVAL_MS = 5 * 60_000;
/** Baselines older than a week describe an agent that has probably changed. */
const RESTORE_WINDOW_MS = 7 * 24 * 60 * 60_000;

/**
 * Keeps the detectors' learned baselines (spend history, tool mix, known tools, data classes and
 * targets) in ClickHouse across restarts. Budgets, loops and sessions are short-lived and start
 * fresh.
 */
export function createBaselinePersistence(deps: {
  detectors: DetectorSet;
  store: BaselineStore;
  logger: Logger;
  clock?: () => number;
}): BaselinePersistence {
  const clock = deps.clock ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();

  const save = async (): Promise<void> => {
    const snapshots = deps.detectors.exportBaselines();
    const saved = await deps.store.save(
      snapshots.map((snapshot) => ({ agentId: snapshot.agentId, snapshot })),
      clock(),
    );
    if (saved.ok) deps.logger.debug({ agents: snapshots.length }, 'detector baselines saved');
    else deps.logger.warn({ code: saved.error.code }, `detector baselines not saved: ${saved.error.message}`);
  };

  return {
    async restore() {
      const loaded = await deps.store.load(clock() - RESTORE_WINDOW_MS);
      if (!loaded.ok) {
        deps.logger.error({ code: loaded.error.code }, `detector baselines not restored, starting cold: ${loaded.error.message}`);
        return;
      }
      const byActivity = [...loaded.value].sort((a, b) => lastSeenOf(a) - lastSeenOf(b));
      const report = deps.detectors.importBaselines(byActivity);
      deps.logger.info({ ...report }, 'detector baselines restored');
    },

    start() {
      timer = setInterval(() => {
        saving = saving.then(save);
      }, SAVE_INTERVAL_MS);
      timer.unref();
    },

    async shutdown() {
      clearInterval(timer);
      saving = saving.then(save);
      await saving;
    },
  };
}

function lastSeenOf(snapshot: unknown): number {
  const value = (snapshot as { lastSeenMs?: unknown } | null)?.lastSeenMs;
  return typeof value === 'number' ? value : 0;
}
