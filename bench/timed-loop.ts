/**
 * Runs `step` (which returns how many items it handled) for warmupMs untimed, so the JIT has
 * compiled the hot path, then for durationMs timed. Items per second of the timed part.
 * `setupMs`, when given, reads a running total of milliseconds the steps spent preparing their
 * input (not part of what is measured); the timed part's share of it is left out of the rate.
 */
export function timedLoop(
  step: () => number,
  durationMs: number,
  warmupMs: number,
  setupMs: () => number = () => 0,
): { perSecond: number; items: number; seconds: number; setupSeconds: number } {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) step();
  const setupBefore = setupMs();
  const start = performance.now();
  const end = start + durationMs;
  let items = 0;
  let now = start;
  while (now < end) {
    items += step();
    now = performance.now();
  }
  const setupSeconds = (setupMs() - setupBefore) / 1000;
  const seconds = (now - start) / 1000 - setupSeconds;
  return { perSecond: items / seconds, items, seconds, setupSeconds };
}
