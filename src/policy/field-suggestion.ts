import { z } from 'zod';

/** The field names a strict object in `schema` accepts at `path` (array indexes step into items). */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType = schema;
  let depth = 0;
  for (;;) {
    if (node instanceof z.ZodOptional || node instanceof z.ZodNullable || node instanceof z.ZodDefault) {
      node = node.unwrap() as z.ZodType;
      continue;
    }
    if (depth === path.length) break;
    if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else if (node instanceof z.ZodObject) {
      const child = (node.shape as Record<string, z.ZodType | undefined>)[String(path[depth])];
      if (child === undefined) return [];
      node = child;
    } else return [];
    depth += 1;
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/**
 * The candidate a typo most likely meant: the nearest by edit distance, if within a third of
 * its length (at least one edit): `usd_per_hr` finds `usd_per_hour`, `foo` does not find `loop`.
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, (previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
