import { setTimeout as sleep } from 'node:timers/promises';
import type { EncodedPayload } from './encoded-payload.ts';
import { drive, type DriveCounts } from './load-driver.ts';
import { percentile } from './percentiles.ts';
import { readMachineBusy, readProcess, readThreadCpu, THREAD_GROUPS, type Sampler, type ThreadGroup } from './process-sampler.ts';
import { progress } from './progress.ts';
import type { SenderHandle } from './send-outcome.ts';
import { ACCEPTED_SPANS, scrapeMetrics, STORED_SPANS } from './warden-metrics.ts';
import type { WardenProcess } from './warden-process.ts';

/** The client's counts of the window (DriveCounts without its raw latencies), and what was measured around them. */
export interface WindowResult extends Omit<DriveCounts, 'ackLatenciesMs' | 'elapsedMs'> {
  transport: 'http' | 'grpc';
  seconds: number;
  /** Acknowledged spans / window. */
  acceptedPerSecond: number;
  /** Acknowledged in the second half of the window, once the write queue has filled. */
  acceptedSecondHalfPerSecond: number;
  /** Rows Warden wrote to otel_traces during the window / window. */
  storedPerSecond: number;
  /** Warden's own accepted counter over the window (cross-check of the client count). */
  wardenAcceptedSpans: number;
  storedSpans: number;
  /** Spans acknowledged but not yet written when the window closed. */
  queuedAtEnd: number;
  /** Seconds after the window until every acknowledged span was written. */
  drainSeconds: number;
  ackP50Ms: number;
  ackP99Ms: number;
  /** CPU cores used on average (user + system / wall). */
  wardenCpuCores: number;
  /** The same, by thread group (process-sampler.ts). */
  wardenCpuCoresByThread: Record<ThreadGroup, number>;
  generatorCpuCores: number;
  /** CPU used by every other process on the machine (other tenants of a shared box). */
  otherCpuCores: number;
  startMs: number;
  endMs: number;
}

async function counters(apiUrl: string): Promise<{ stored: number; accepted: number }> {
  const scrape = await scrapeMetrics(apiUrl);
  const stored = scrape.value(...STORED_SPANS);
  const accepted = scrape.value(...ACCEPTED_SPANS);
  return { stored: Number.isNaN(stored) ? 0 : stored, accepted: Number.isNaN(accepted) ? 0 : accepted };
}

/** Waits until Warden has written everything it accepted; seconds taken. */
export async function waitForDrain(apiUrl: string, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    const now = await counters(apiUrl);
    if (now.stored >= now.accepted) return (performance.now() - start) / 1000;
    await sleep(200);
  }
  throw new Error(`Warden did not write everything it accepted within ${timeoutMs} ms`);
}

/**
 * One fixed window of open-throttle load over one transport: the client counts what was
 * acknowledged and pushed back, Warden's /metrics what was written, both over the same window.
 */
export async function runThroughputWindow(options: {
  transport: 'http' | 'grpc';
  warden: WardenProcess;
  sender: SenderHandle;
  payloads: readonly EncodedPayload[];
  durationMs: number;
  inFlight: number;
  pushbackPauseMs: number;
  sampler: Sampler;
}): Promise<WindowResult> {
  const { warden } = options;
  const before = await counters(warden.apiUrl);
  const cpuBefore = readProcess(warden.pid);
  const threadsBefore = readThreadCpu(warden.pid);
  const genBefore = process.cpuUsage();
  const machineBefore = readMachineBusy();
  const startMs = performance.now();
  const run = drive({ payloads: options.payloads, send: options.sender.send, inFlight: options.inFlight, durationMs: options.durationMs, pushbackPauseMs: options.pushbackPauseMs });
  let ackAtHalf = 0;
  const half = setTimeout(() => (ackAtHalf = run.counts.ackSpans), options.durationMs / 2);
  const ticker = setInterval(() => {
    const c: DriveCounts = run.counts;
    const elapsed = (performance.now() - startMs) / 1000;
    void counters(warden.apiUrl).then(
      (now) => progress(`  ${options.transport} ${elapsed.toFixed(0)} s: acknowledged ${Math.round(c.ackSpans / elapsed)} spans/s, stored ${Math.round((now.stored - before.stored) / elapsed)} spans/s, pushed back ${c.pushedBackRequests} requests`),
      () => undefined,
    );
  }, 5000);
  const counts = await run.done;
  const endMs = performance.now();
  clearInterval(ticker);
  clearTimeout(half);
  const after = await counters(warden.apiUrl);
  const cpuAfter = readProcess(warden.pid);
  const threadsAfter = readThreadCpu(warden.pid);
  const gen = process.cpuUsage(genBefore);
  const machineAfter = readMachineBusy();
  const seconds = counts.elapsedMs / 1000;
  const wardenCpuCores = (cpuAfter.cpuSeconds - cpuBefore.cpuSeconds) / ((cpuAfter.atMs - cpuBefore.atMs) / 1000);
  const wardenCpuCoresByThread = Object.fromEntries(
    THREAD_GROUPS.map((group) => [group, (threadsAfter[group] - threadsBefore[group]) / ((cpuAfter.atMs - cpuBefore.atMs) / 1000)]),
  ) as Record<ThreadGroup, number>;
  const generatorCpuCores = (gen.user + gen.system) / 1e6 / seconds;
  const machineCores = (machineAfter.busySeconds - machineBefore.busySeconds) / ((machineAfter.atMs - machineBefore.atMs) / 1000);
  const drainSeconds = await waitForDrain(warden.apiUrl, 180_000);
  return {
    transport: options.transport,
    seconds,
    requests: counts.requests,
    ackSpans: counts.ackSpans,
    rejectedSpans: counts.rejectedSpans,
    pushedBackRequests: counts.pushedBackRequests,
    pushedBackSpans: counts.pushedBackSpans,
    errors: counts.errors,
    lastError: counts.lastError,
    acceptedPerSecond: counts.ackSpans / seconds,
    acceptedSecondHalfPerSecond: (counts.ackSpans - ackAtHalf) / (seconds - options.durationMs / 2000),
    storedPerSecond: (after.stored - before.stored) / seconds,
    wardenAcceptedSpans: after.accepted - before.accepted,
    storedSpans: after.stored - before.stored,
    queuedAtEnd: after.accepted - after.stored,
    drainSeconds,
    ackP50Ms: percentile(counts.ackLatenciesMs, 50),
    ackP99Ms: percentile(counts.ackLatenciesMs, 99),
    wardenCpuCores,
    wardenCpuCoresByThread,
    generatorCpuCores,
    otherCpuCores: Math.max(0, machineCores - wardenCpuCores - generatorCpuCores),
    startMs,
    endMs,
  };
}
