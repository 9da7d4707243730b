import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  fn: string;
  selfPercent: number;
}

/** Self time by function over every .cpuprofile in dir (Warden's --cpu-prof output). */
export function summarizeProfiles(dir: string, top: number): ProfileLine[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      if (node === undefined) return;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}`;
      const key = `${functionName || '(anonymous)'}${where}`;
      const delta = profile.timeDeltas[i] ?? 0;
      self.set(key, (self.get(key) ?? 0) + delta);
      total += delta;
    });
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, micros]) => ({ fn, selfPercent: (100 * micros) / total }));
}
