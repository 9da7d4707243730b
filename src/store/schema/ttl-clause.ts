/**
 * The TTL clause for a table whose rows expire `ttlDays` after `timeExpression`; '' when
 * ttlDays is 0 (keep forever). Spelled exactly as ClickHouse prints it back in
 * system.tables.engine_full (`toIntervalDay(N)`), so reconcileTtl can read the days back.
 */
export function ttlClause(timeExpression: string, ttlDays: number): string {
  return ttlDays > 0 ? `TTL ${timeExpression} + toIntervalDay(${ttlDays})` : '';
}

/** The days of a TTL written by ttlClause, read back from engine_full; 0 when there is none. */
export function ttlDaysOf(engineFull: string): number | null {
  if (!/\bTTL\b/.test(engineFull)) return 0;
  const match = /\bTTL\b.*?\+ toIntervalDay\((\d+)\)/.exec(engineFull);
  // A TTL Warden did not write (changed by hand): leave it alone rather than guess.
  return match?.[1] === undefined ? null : Number(match[1]);
}
