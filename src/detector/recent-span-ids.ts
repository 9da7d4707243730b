/**
 * Appends a span id to an evidence list that keeps only the most recent `cap` ids. Evidence
 * lists are short (maxEvidenceSpanIds), so shifting is cheaper than a ring's bookkeeping.
 */
export function pushRecentSpanId(ids: string[], spanId: string, cap: number): void {
  ids.push(spanId);
  if (ids.length > cap) ids.shift();
}
