/**
 * Runs `step` (which returns how many items it handled) for warmupMs untimed, so the JIT has
 * compiled the hot path, then for durationMs timed. Items per second of the timed part.
 */
export function timedLoop(step: () => number, durationMs: number, warmupMs: number): { perSecond: number; items: number; seconds: number } {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) step();
  const start = performance.now();
  const end = start + durationMs;
  let items = 0;
  let now = start;
  while (now < end) {
    items += step();
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return { perSecond: items / seconds, items, seconds };
}
