import { describe, expect, it } from 'vitest';
import type { ChainRow } from '../../../src/enforcer/action.ts';
import { actionHash, GENESIS_HASH } from '../../../src/enforcer/action-hash.ts';
import { createChainVerifier } from '../../../src/enforcer/chain-verifier.ts';

function chainOf(count: number, chain = 'default'): ChainRow[] {
  const rows: ChainRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const fields = { chain, seq, id: `${chain}-${seq}`, atMs: 1000 * seq, type: 'suspend', agentId: `agent-${seq}`, actor: 'warden', reason: `r${seq}`, alertId: '', payloadJson: '{}', prevHash };
    const row = { ...fields, hash: actionHash(fields) };
    rows.push(row);
    prevHash = row.hash;
  }
  return rows;
}

function firstBreak(rows: ChainRow[]) {
  const verifier = createChainVerifier();
  for (const row of rows) {
    const broken = verifier.check(row);
    if (broken !== null) return broken;
  }
  return null;
}

describe('chain verifier', () => {
  it('accepts an intact chain and reports its head', () => {
    const rows = chainOf(5);
    const verifier = createChainVerifier();
    for (const row of rows) expect(verifier.check(row)).toBeNull();
    expect(verifier.chains()).toEqual([{ chain: 'default', rows: 5, lastSeq: 5, lastHash: rows[4]?.hash }]);
  });

  it('names an altered row: hash mismatch', () => {
    const rows = chainOf(5);
    rows[2] = { ...rows[2]!, reason: 'nothing to see' };
    expect(firstBreak(rows)).toMatchObject({ check: 'hash_mismatch', seq: 3, id: 'default-3' });
  });

  it('names the row after an altered and re-hashed one: broken prev link', () => {
    const rows = chainOf(5);
    const { hash: _old, ...fields } = { ...rows[2]!, reason: 'nothing to see' };
    rows[2] = { ...fields, hash: actionHash(fields) };
    expect(firstBreak(rows)).toMatchObject({ check: 'broken_prev_link', seq: 4 });
  });

  it('names a removed row: gap', () => {
    const rows = chainOf(5);
    rows.splice(1, 1);
    expect(firstBreak(rows)).toMatchObject({ check: 'gap', seq: 3 });
    expect(firstBreak(chainOf(3).slice(1))).toMatchObject({ check: 'gap', seq: 2 });
  });

  it('names a second row with the same seq: duplicate seq', () => {
    const rows = chainOf(5);
    rows.splice(3, 0, { ...rows[2]!, id: 'default-3-forged', reason: 'forged' });
    expect(firstBreak(rows)).toMatchObject({ check: 'duplicate_seq', seq: 3, id: 'default-3-forged' });
  });

  it('checks interleaved chains independently', () => {
    const a = chainOf(3, 'a');
    const b = chainOf(3, 'b');
    const verifier = createChainVerifier();
    for (const row of [a[0], b[0], b[1], a[1], a[2], b[2]]) expect(verifier.check(row!)).toBeNull();
    expect(verifier.chains().map((c) => [c.chain, c.rows])).toEqual([['a', 3], ['b', 3]]);
  });
});
