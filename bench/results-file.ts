import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { targetMet, type Figure } from './figure.ts';

/** The commit checked out, read from .git without running git; '' when not a checkout. */
export function gitCommit(repoRoot: string): string {
  try {
    const head = readFileSync(join(repoRoot, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    const loose = join(repoRoot, '.git', ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = readFileSync(join(repoRoot, '.git', 'packed-refs'), 'utf8');
    return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0] ?? '';
  } catch {
    return '';
  }
}

export function machineInfo(): Record<string, unknown> {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model ?? 'unknown',
    cpus: cores.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${process.platform} ${release()}`,
    /** 1, 5 and 15 minute load averages when this was called (a shared box's other tenants). */
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Writes the run as JSON so runs can be compared across commits. */
export function writeResults(
  path: string,
  run: { repoRoot: string; params: unknown; figures: readonly Figure[]; details: unknown; startedAt: Date; machineAtStart: Record<string, unknown> },
): void {
  const figures: Record<string, unknown> = {};
  for (const figure of run.figures) {
    const met = targetMet(figure);
    figures[figure.key] = { ...figure, ...(met === undefined ? {} : { met }) };
  }
  const body = {
    date: run.startedAt.toISOString(),
    commit: gitCommit(run.repoRoot),
    node: process.version,
    machine: run.machineAtStart,
    loadAverageAtEnd: machineInfo()['loadAverage'],
    params: run.params,
    figures,
    details: run.details,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
}
