import { ok, type Result } from '../errors/warden-error.ts';
import type { ActionLogStore } from '../store/action-log-store.ts';
import { createChainVerifier, type ChainBreak, type ChainSummary } from './chain-verifier.ts';

export interface ChainReport {
  /** Rows checked; all of them when intact, up to and including the bad one otherwise. */
  rows: number;
  chains: ChainSummary[];
  /** The first row that does not match, or null when every chain is intact. */
  broken: ChainBreak | null;
}

export interface VerifyOptions {
  /** Seq values read per query. Default 5 000: rows per page = this x the number of chains. */
  window?: number;
}

/**
 * Recomputes every chain of the actions table in seq order, a window of seq at a time, so
 * memory holds one page and each chain's head, whatever the table's size. Rows appended while
 * it runs, past the highest seq seen at the start, are left for the next run.
 */
export async function verifyActionChains(store: Pick<ActionLogStore, 'extent' | 'window'>, options: VerifyOptions = {}): Promise<Result<ChainReport>> {
  const window = Math.max(1, Math.trunc(options.window ?? 5000));
  const extent = await store.extent();
  if (!extent.ok) return extent;
  const verifier = createChainVerifier();
  let rows = 0;
  // seq 0 is no valid position: a row there (forged) is read by the first window and reported.
  for (let from = 0; from <= extent.value.maxSeq; from += window) {
    const page = await store.window(from, Math.min(from + window - 1, extent.value.maxSeq));
    if (!page.ok) return page;
    for (const row of page.value) {
      rows++;
      const broken = verifier.check(row);
      if (broken !== null) return ok({ rows, chains: verifier.chains(), broken });
    }
  }
  return ok({ rows, chains: verifier.chains(), broken: null });
}
