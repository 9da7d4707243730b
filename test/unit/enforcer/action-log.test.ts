import pino from 'pino';
import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import type { ChainRow, NewAction } from '../../../src/enforcer/action.ts';
import { GENESIS_HASH } from '../../../src/enforcer/action-hash.ts';
import { createActionLog } from '../../../src/enforcer/action-log.ts';
import { createChainVerifier } from '../../../src/enforcer/chain-verifier.ts';
import { fail, ok, type Result } from '../../../src/errors/warden-error.ts';
import type { ActionLogStore } from '../../../src/store/action-log-store.ts';

const logger = pino({ level: 'silent' });

/** An actions table in memory; inserts take a tick and can be made to fail (after landing). */
function memoryStore(options: { failNext?: { landed: boolean }[] } = {}) {
  const rows: ChainRow[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const store: ActionLogStore = {
    async insert(row) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      const failure = options.failNext?.shift();
      if (failure !== undefined) {
        if (failure.landed) rows.push(row);
        return fail('WARDEN_STORE_UNAVAILABLE', 'insert timed out');
      }
      rows.push(row);
      return ok(undefined);
    },
    async head(chain) {
      const mine = rows.filter((row) => row.chain === chain).sort((a, b) => b.seq - a.seq);
      return ok(mine[0] === undefined ? null : { seq: mine[0].seq, hash: mine[0].hash });
    },
    async list({ limit }) {
      return ok([...rows].reverse().slice(0, limit));
    },
    async extent() {
      return ok({ maxSeq: Math.max(0, ...rows.map((row) => row.seq)), rows: rows.length });
    },
    async window(from, to) {
      return ok(rows.filter((row) => row.seq >= from && row.seq <= to));
    },
    async suspensions() {
      return ok([]);
    },
    async peerStatusActions(ownChain, sinceMs, limit) {
      return ok(rows.filter((row) => row.chain !== ownChain && row.atMs >= sinceMs).slice(0, limit));
    },
  };
  return { store, rows, maxInFlight: () => maxInFlight };
}

const client = {} as ClickHouseClient;
const action = (i: number): NewAction => ({ type: 'suspend', agentId: `agent-${i}`, actor: 'warden', reason: `reason ${i}`, payload: { i } });

function intact(rows: ChainRow[]): boolean {
  const verifier = createChainVerifier();
  return rows.every((row) => verifier.check(row) === null);
}

describe('action log', () => {
  it('writes concurrent appends one at a time, as a gapless chain starting from genesis', async () => {
    const memory = memoryStore();
    const log = createActionLog({ client, database: 'warden', logger, store: memory.store, clock: () => 1000 });
    expect((await log.start()).ok).toBe(true);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(action(i))));
    expect(memory.maxInFlight()).toBe(1);
    expect(results.map((r) => r.ok && r.value.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(memory.rows[0]?.prevHash).toBe(GENESIS_HASH);
    expect(intact(memory.rows)).toBe(true);
    const first = results[0];
    expect(first?.ok && first.value).toMatchObject({ chain: 'default', type: 'suspend', agentId: 'agent-0', atMs: 1000, payload: { i: 0 }, payloadJson: '{"i":0}' });
  });

  it('continues the chain of an earlier run', async () => {
    const memory = memoryStore();
    const first = createActionLog({ client, database: 'warden', logger, store: memory.store });
    await first.start();
    await first.append(action(1));
    await first.shutdown();
    const second = createActionLog({ client, database: 'warden', logger, store: memory.store });
    await second.start();
    const appended = await second.append(action(2));
    expect(appended.ok && appended.value.seq).toBe(2);
    expect(intact(memory.rows)).toBe(true);
  });

  it('re-reads the head after a failed write, whether or not the row landed', async () => {
    const memory = memoryStore({ failNext: [{ landed: true }, { landed: false }] });
    const log = createActionLog({ client, database: 'warden', logger, store: memory.store });
    await log.start();
    expect((await log.append(action(1))).ok).toBe(false);
    expect((await log.append(action(2))).ok).toBe(false);
    const third = await log.append(action(3));
    expect(third.ok && third.value.seq).toBe(2);
    expect(memory.rows.map((row) => row.seq)).toEqual([1, 2]);
    expect(intact(memory.rows)).toBe(true);
  });

  it('refuses actions it cannot record faithfully, without using a seq', async () => {
    const memory = memoryStore();
    const log = createActionLog({ client, database: 'warden', logger, store: memory.store });
    const bad = [
      { ...action(1), payload: { cost: Number.NaN } },
      { ...action(1), type: 'explode' as NewAction['type'] },
      { ...action(1), atMs: -5 },
    ];
    for (const input of bad) {
      const result = await log.append(input);
      expect(!result.ok && result.error.code).toBe('WARDEN_ACTION_INVALID');
    }
    expect((await log.append(action(2))).ok).toBe(true);
    expect(memory.rows.map((row) => row.seq)).toEqual([1]);
  });

  it('bounds the queue and refuses appends after shutdown', async () => {
    const memory = memoryStore();
    const log = createActionLog({ client, database: 'warden', logger, store: memory.store, maxPending: 2 });
    const queued = [log.append(action(1)), log.append(action(2)), log.append(action(3))];
    const results: Result<unknown>[] = await Promise.all(queued);
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    await log.shutdown();
    const late = await log.append(action(4));
    expect(!late.ok && late.error.code).toBe('WARDEN_PIPELINE_STOPPING');
  });
});
