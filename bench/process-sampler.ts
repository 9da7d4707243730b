import { readdirSync, readFileSync } from 'node:fs';
import { EVENT_LOOP_MAX, EVENT_LOOP_P99, scrapeMetrics } from './warden-metrics.ts';

export interface ProcessSample {
  atMs: number;
  rssMiB: number;
  hwmMiB: number;
  /** user + system CPU seconds so far. */
  cpuSeconds: number;
}

export interface LoopSample {
  atMs: number;
  p99Ms: number;
  maxMs: number;
}

// Linux's USER_HZ; /proc/<pid>/stat counts CPU time in these ticks.
const CLOCK_TICKS = 100;

export function readProcess(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  return { atMs: performance.now(), rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024, cpuSeconds };
}

/**
 * Samples Warden's memory and CPU from /proc every intervalMs, and its event-loop delay from
 * /metrics every second (prom-client resets that histogram at each scrape, so a sample covers
 * the second before it). Windows select samples by time.
 */
export function startSampler(pid: number, apiUrl: string, intervalMs = 500) {
  const processSamples: ProcessSample[] = [];
  const loopSamples: LoopSample[] = [];
  let loopMetricsPresent: boolean | undefined;
  let scraping = false;
  let ticks = 0;
  const timer = setInterval(() => {
    try {
      processSamples.push(readProcess(pid));
    } catch {
      // The process exited between samples.
    }
    if (++ticks % Math.max(1, Math.round(1000 / intervalMs)) !== 0 || scraping) return;
    scraping = true;
    scrapeMetrics(apiUrl)
      .then((scrape) => {
        loopMetricsPresent = scrape.has(EVENT_LOOP_P99);
        if (loopMetricsPresent) loopSamples.push({ atMs: performance.now(), p99Ms: scrape.value(EVENT_LOOP_P99) * 1000, maxMs: scrape.value(EVENT_LOOP_MAX) * 1000 });
      })
      .catch(() => undefined)
      .finally(() => {
        scraping = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    processSamples,
    loopSamples,
    loopMetricsPresent: () => loopMetricsPresent,
    stop: () => clearInterval(timer),
  };
}

export type Sampler = ReturnType<typeof startSampler>;

/** CPU seconds every process on the machine has used (all cores), from /proc/stat. */
export function readMachineBusy(): { atMs: number; busySeconds: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { atMs: performance.now(), busySeconds: busy / CLOCK_TICKS };
}

/** Where a Warden process's CPU goes, by what its threads are (their names in /proc). */
export const THREAD_GROUPS = ['javascript', 'gc', 'libuv', 'engine'] as const;
export type ThreadGroup = (typeof THREAD_GROUPS)[number];

export const THREAD_GROUP_LABEL: Record<ThreadGroup, string> = {
  javascript: 'main thread (JavaScript, incl. GC pauses)',
  gc: "V8's helper threads (concurrent and parallel GC, compiler)",
  libuv: 'libuv pool (file I/O, engine calls)',
  engine: 'ClickHouse engine threads',
};

function groupOf(tid: string, pid: number, name: string): ThreadGroup {
  if (tid === String(pid)) return 'javascript';
  if (name.startsWith('V8')) return 'gc';
  if (name.startsWith('libuv')) return 'libuv';
  // Node's own few threads (inspector, signal, platform) are idle under load.
  return 'engine';
}

/** CPU seconds so far of each group of the process's threads (threads that exited are lost). */
export function readThreadCpu(pid: number): Record<ThreadGroup, number> {
  const seconds: Record<ThreadGroup, number> = { javascript: 0, gc: 0, libuv: 0, engine: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    seconds[groupOf(tid, pid, name)] += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }
  return seconds;
}
