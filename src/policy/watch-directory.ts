import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';

export interface DirectoryWatch {
  close(): void;
}

/**
 * Calls `onSettled` once a directory has been quiet for `debounceMs` after any change in it.
 * A directory, not a file: editors save by writing a new file and renaming it over the old one,
 * and Kubernetes swaps a mounted ConfigMap through a `..data` symlink, so the events that matter
 * carry other names or outlive the watched inode. Callers re-read and compare.
 */
export function watchDirectory(dir: string, debounceMs: number, onSettled: () => void, logger: Logger): DirectoryWatch {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    // Not persistent: the servers keep the process alive, a forgotten watch must not.
    watcher = watch(dir, { persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(onSettled, debounceMs);
      timer.unref();
    });
    watcher.on('error', (error) => logger.warn({ err: error }, `watching ${dir} failed; hot reload is off, reload with SIGHUP`));
  } catch (error) {
    // inotify watches are a per-user limit; running without hot reload beats not running.
    logger.warn({ err: error }, `cannot watch ${dir}; hot reload is off, reload with SIGHUP`);
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
