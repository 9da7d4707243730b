import type { Result } from '../errors/warden-error.ts';
import type { AlertVersion } from './alert.ts';

/**
 * Where the alerter keeps alerts (the alerts table, src/store/alert-store.ts; an in-memory
 * fake in unit tests). Every change is a new version; readers take the highest.
 */
export interface AlertStore {
  /**
   * The Warden instance whose alerts this store writes and restores, where several share the
   * table; unset where one instance's alerts are all there is (replay, tests).
   */
  readonly instance?: string;
  /** Queues versions for writing, all or none: false when the write queue is full. */
  write(versions: readonly AlertVersion[]): boolean;
  /** The latest version of every firing alert of this instance, most recently changed first, at most `limit`. */
  loadFiring(limit: number): Promise<Result<AlertVersion[]>>;
  /** The latest version of one alert; null for an unknown id. */
  get(id: string): Promise<Result<AlertVersion | null>>;
  /** Resolves when every version queued so far is written. */
  flush(): Promise<void>;
}
