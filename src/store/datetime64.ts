// DateTime64 values travel as "<unix seconds>.<fraction>" strings: ClickHouse parses that form
// exactly whatever the server or column time zone, JSON numbers would lose nanoseconds, and a
// bare integer string is ambiguous (seconds or ticks) for small values.

const NS_PER_S = 1_000_000_000n;
// DateTime64(9) ends at 2262-04-11 (Int64 nanoseconds); clamping keeps one absurd timestamp
// from failing a whole batch.
const MAX_NS = 9_223_372_036_854_775_807n;

/** Unix nanoseconds as a DateTime64(9) input value, clamped to the type's range. */
export function nanosToDateTime64(ns: bigint): string {
  const clamped = ns < 0n ? 0n : ns > MAX_NS ? MAX_NS : ns;
  const seconds = clamped / NS_PER_S;
  const fraction = clamped % NS_PER_S;
  return `${seconds}.${fraction.toString().padStart(9, '0')}`;
}

/** Unix milliseconds as a DateTime64(3) input value. */
export function millisToDateTime64(ms: number): string {
  const whole = Math.max(0, Math.trunc(ms));
  return `${Math.trunc(whole / 1000)}.${String(whole % 1000).padStart(3, '0')}`;
}

/** Unix nanoseconds (a decimal string as selected with toUnixTimestamp64Nano) as an ISO 8601
 *  UTC string keeping all nine fractional digits, e.g. 2026-05-11T10:00:00.123456789Z. */
export function nanosToIso(ns: bigint | string): string {
  const value = typeof ns === 'bigint' ? ns : BigInt(ns);
  const millis = value / 1_000_000n;
  const fraction = (value % NS_PER_S).toString().padStart(9, '0');
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, 19)}.${fraction}Z`;
}
