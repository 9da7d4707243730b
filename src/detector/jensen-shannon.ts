/**
 * Jensen-Shannon divergence, base 2 (0 = same distribution, 1 = disjoint), of two distributions
 * given as counts over the same categories (index i is the same category in both; a shorter
 * array has zeros at the end). Counts are normalized here. 0 when either has no counts: there is
 * nothing to compare, and callers require minimum counts anyway.
 */
export function jensenShannonDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const pTotal = sum(p);
  const qTotal = sum(q);
  if (pTotal <= 0 || qTotal <= 0) return 0;
  const length = Math.max(p.length, q.length);
  let divergence = 0;
  for (let i = 0; i < length; i++) {
    const pi = (p[i] ?? 0) / pTotal;
    const qi = (q[i] ?? 0) / qTotal;
    const mi = (pi + qi) / 2;
    // 0 * log 0 is 0; mi > 0 whenever pi or qi is.
    if (pi > 0) divergence += pi * Math.log2(pi / mi);
    if (qi > 0) divergence += qi * Math.log2(qi / mi);
  }
  // Rounding can leave a hair outside [0, 1].
  return Math.min(1, Math.max(0, divergence / 2));
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? 0;
    if (value > 0) total += value;
  }
  return total;
}
