import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** The repository root, where the deployment files live. */
export const repoRoot = new URL('../../../', import.meta.url);

export function readRepoFile(path: string): string {
  return readFileSync(new URL(path, repoRoot), 'utf8');
}

export function readRepoYaml(path: string): unknown {
  return parseYaml(readRepoFile(path));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested mapping, or a failed assertion-friendly empty one when the path is missing. */
export function recordAt(value: unknown, ...path: string[]): Record<string, unknown> {
  let node = value;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return isRecord(node) ? node : {};
}

/** One Dockerfile instruction: keyword and its argument text, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  args: string;
}

export function parseDockerfile(text: string): DockerInstruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  return logical.map((line) => {
    const space = line.indexOf(' ');
    return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
  });
}

/** An image reference with an explicit tag that is not a moving `latest`. */
export function isPinnedImage(image: string): boolean {
  const lastSegment = image.split('/').pop() ?? '';
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return image.includes('@sha256:');
  const tag = lastSegment.slice(colon + 1).split('@')[0] ?? '';
  return tag !== '' && tag !== 'latest' && /\d/.test(tag);
}
