// Numbers from agents are untrusted: one NaN or negative count must not fail a whole batch.

/** A UInt64 column value from a count: whole, >= 0, exact in a double. */
export function countValue(n: number): number {
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER);
}

/** A Float64 column value; non-finite becomes 0 so sums stay finite. */
export function finiteValue(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

/** A Nullable(Float64) column value; non-finite means unknown. */
export function finiteOrNull(n: number | null): number | null {
  return n !== null && Number.isFinite(n) ? n : null;
}

const MAX_UINT64 = 18_446_744_073_709_551_615n;

/** A UInt64 column value from a bigint, as a decimal string (JSON numbers stop at 2^53). */
export function uint64Text(n: bigint): string {
  return (n < 0n ? 0n : n > MAX_UINT64 ? MAX_UINT64 : n).toString();
}
