import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildFigures, type Measurements } from './build-figures.ts';
import { summarizeProfiles } from './cpu-profile-summary.ts';
import type { LatencyResult } from './latency-phase.ts';
import type { Sampler } from './process-sampler.ts';
import { progress } from './progress.ts';
import { renderReport } from './report-table.ts';
import { writeResults } from './results-file.ts';

type Measured = Omit<Measurements, 'wardenPeakRssMiB' | 'wardenMeanRssMiB' | 'eventLoopP99MaxMs' | 'eventLoopMaxMs' | 'eventLoopModerateP99MaxMs' | 'latency'> & { latency: LatencyResult | undefined };

/** Derives the sampled figures, prints the table (and the profile), writes the JSON. */
export function finishRun(run: { repoRoot: string; startedAt: Date; machineAtStart: Record<string, unknown>; sampler: Sampler; profileDir: string | undefined; measurements: Measured }): void {
  const { sampler, measurements } = run;
  if (measurements.latency === undefined) throw new Error('the latency phase did not run');
  const inWindows = (atMs: number): boolean => measurements.windows.some((w) => atMs >= w.startMs && atMs <= w.endMs);
  const underLoad = sampler.processSamples.filter((s) => inWindows(s.atMs));
  const loop = sampler.loopSamples.filter((s) => inWindows(s.atMs));
  const latency = measurements.latency;
  const loopModerate = sampler.loopSamples.filter((s) => s.atMs >= latency.startMs && s.atMs <= latency.endMs);
  const loopPresent = sampler.loopMetricsPresent() === true && loop.length > 0;
  if (!loopPresent) progress('Warden /metrics has no nodejs_eventloop_lag_* series: event-loop delay not reported');
  const full: Measurements = {
    ...measurements,
    latency: measurements.latency,
    wardenPeakRssMiB: Math.max(...sampler.processSamples.map((s) => s.hwmMiB)),
    wardenMeanRssMiB: underLoad.reduce((sum, s) => sum + s.rssMiB, 0) / Math.max(1, underLoad.length),
    eventLoopP99MaxMs: loopPresent ? Math.max(...loop.map((s) => s.p99Ms)) : null,
    eventLoopMaxMs: loopPresent ? Math.max(...loop.map((s) => s.maxMs)) : null,
    eventLoopModerateP99MaxMs: loopPresent && loopModerate.length > 0 ? Math.max(...loopModerate.map((s) => s.p99Ms)) : null,
  };
  const figures = buildFigures(full);
  process.stdout.write(`\n${renderReport(figures)}`);
  const profile = run.profileDir === undefined ? undefined : summarizeProfiles(run.profileDir, 25);
  if (profile !== undefined) {
    process.stdout.write(`\nWarden CPU profile (--cpu-prof, whole run), self time:\n`);
    for (const line of profile) process.stdout.write(`  ${line.selfPercent.toFixed(1).padStart(5)} %  ${line.fn}\n`);
    rmSync(run.profileDir!, { recursive: true, force: true });
  }
  const out = resolve(run.repoRoot, measurements.params.out);
  writeResults(out, {
    repoRoot: run.repoRoot,
    params: measurements.params,
    figures,
    startedAt: run.startedAt,
    machineAtStart: run.machineAtStart,
    details: {
      windows: measurements.windows,
      latency: { ...measurements.latency },
      insert: measurements.insert,
      memory: measurements.memory,
      pipeline: measurements.pipeline,
      spansPerPayload: measurements.spansPerPayload,
      bytesPerSpan: measurements.bytesPerSpan,
      eventLoopDelayExposed: loopPresent,
      ...(profile === undefined ? {} : { profile }),
    },
  });
  progress(`results written to ${out}`);
}
