/** How far a replay is: `done` of `total` in the reporter's unit, and spans fed so far. */
export interface ProgressUpdate {
  done: number;
  total: number;
  spans: number;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  stream: ProgressStream;
  /** `spans` (done/total are spans) or `bytes` (done/total are bytes of the input file). */
  unit: 'spans' | 'bytes';
  now?: () => number;
  /** Without a terminal, one line this often. ms; default 5000. */
  lineIntervalMs?: number;
}

export interface ProgressReporter {
  update(progress: ProgressUpdate): void;
  /** Clears the bar and prints one closing line with the span count and rate. */
  finish(spans: number): void;
  /** Clears the bar, so an error message that follows starts on a clean line. */
  clear(): void;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;
const MiB = 1024 * 1024;

/**
 * Progress on stderr: a bar redrawn in place when it is a terminal, else one plain line every
 * few seconds (CI logs, pipes), so long replays show they are alive without flooding logs.
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const tty = options.stream.isTTY === true;
  const intervalMs = tty ? REDRAW_MS : (options.lineIntervalMs ?? 5000);
  const startedMs = now();
  let lastShownMs = startedMs;
  let drawn = false;
  const clear = (): void => {
    if (drawn) options.stream.write('\r\x1b[K');
    drawn = false;
  };

  return {
    update(progress) {
      const at = now();
      if (at - lastShownMs < intervalMs) return;
      lastShownMs = at;
      const text = describeProgress(progress, options.unit, at - startedMs);
      if (tty) {
        options.stream.write(`\r\x1b[K${bar(fraction(progress))} ${text}`);
        drawn = true;
      } else {
        options.stream.write(`replay: ${text}\n`);
      }
    },

    clear,

    finish(spans) {
      const elapsedMs = now() - startedMs;
      clear();
      options.stream.write(`replay: ${spans} spans in ${(elapsedMs / 1000).toFixed(1)} s (${rate(spans, elapsedMs)} spans/s)\n`);
    },
  };
}

/** `45% 123456/274000 spans, 85.1k spans/s, ETA 0:02` (or MiB of the file for `bytes`). */
export function describeProgress(progress: ProgressUpdate, unit: 'spans' | 'bytes', elapsedMs: number): string {
  const share = fraction(progress);
  const amount =
    unit === 'spans'
      ? `${Math.min(progress.done, progress.total)}/${progress.total} spans`
      : `${(progress.done / MiB).toFixed(1)}/${(progress.total / MiB).toFixed(1)} MiB, ${progress.spans} spans`;
  const eta = share > 0 && share < 1 ? `, ETA ${clock((elapsedMs * (1 - share)) / share)}` : '';
  return `${Math.floor(share * 100)}% ${amount}, ${rate(progress.spans, elapsedMs)} spans/s${eta}`;
}

function fraction(progress: ProgressUpdate): number {
  if (progress.total <= 0) return 1;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

function bar(share: number): string {
  const filled = Math.round(share * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

function rate(spans: number, elapsedMs: number): string {
  if (elapsedMs <= 0) return '-';
  const perSecond = (spans * 1000) / elapsedMs;
  return perSecond >= 10_000 ? `${(perSecond / 1000).toFixed(1)}k` : String(Math.round(perSecond));
}

/** m:ss, or h:mm:ss from an hour. */
function clock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
