import type { ChainRow } from './action.ts';
import { actionHash, GENESIS_HASH } from './action-hash.ts';

/** Why a row does not match, in the order the checks run on each row. */
export type ChainCheck = 'duplicate_seq' | 'gap' | 'broken_prev_link' | 'hash_mismatch';

export interface ChainBreak {
  check: ChainCheck;
  chain: string;
  seq: number;
  id: string;
  /** What was expected and found, for the message. */
  detail: string;
}

export interface ChainSummary {
  chain: string;
  rows: number;
  lastSeq: number;
  lastHash: string;
}

export interface ChainVerifier {
  /** Rows of each chain in (seq, id) order; chains may interleave. The first break, or null. */
  check(row: ChainRow): ChainBreak | null;
  /** Every chain seen, by name. */
  chains(): ChainSummary[];
}

/**
 * Checks rows one at a time, keeping only each chain's last seq and hash: memory is bounded by
 * the number of chains, not rows. A duplicate seq is a fork (two writers on one chain, or a
 * forged copy of a row); a gap is a removed row; a broken prev link is a row whose
 * predecessor was altered and re-hashed, or replaced; a hash mismatch is an altered row.
 * Removing the newest rows leaves a valid shorter chain: only a last hash kept elsewhere
 * (printed by `warden audit verify`) shows that.
 */
export function createChainVerifier(): ChainVerifier {
  const heads = new Map<string, ChainSummary>();
  return {
    check(row) {
      const head = heads.get(row.chain);
      const at = { chain: row.chain, seq: row.seq, id: row.id };
      const expectedSeq = head === undefined ? 1 : head.lastSeq + 1;
      const expectedPrev = head === undefined ? GENESIS_HASH : head.lastHash;
      if (head !== undefined && row.seq === head.lastSeq) {
        return { ...at, check: 'duplicate_seq', detail: `seq ${row.seq} appears more than once (a fork, or a forged copy of the row)` };
      }
      if (row.seq !== expectedSeq) {
        return { ...at, check: 'gap', detail: `expected seq ${expectedSeq}, found ${row.seq}: rows are missing` };
      }
      if (row.prevHash !== expectedPrev) {
        const of = head === undefined ? 'the genesis hash (64 zeros)' : `the hash of seq ${head.lastSeq}`;
        return { ...at, check: 'broken_prev_link', detail: `prev_hash ${row.prevHash} is not ${of} (${expectedPrev})` };
      }
      const computed = actionHash(row);
      if (computed !== row.hash) {
        return { ...at, check: 'hash_mismatch', detail: `stored hash ${row.hash}, recomputed ${computed}: the row was altered` };
      }
      heads.set(row.chain, { chain: row.chain, rows: (head?.rows ?? 0) + 1, lastSeq: row.seq, lastHash: row.hash });
      return null;
    },
    chains: () => [...heads.values()].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0)),
  };
}
