import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ChainRow } from '../../../src/enforcer/action.ts';
import { createAgentStatusRegistry } from '../../../src/enforcer/agent-status-registry.ts';
import { createPeerStatusSync } from '../../../src/enforcer/peer-status-sync.ts';
import { fail, ok } from '../../../src/errors/warden-error.ts';

const logger = pino({ level: 'silent' });
const T0 = 1_800_000_000_000;

function row(chain: string, seq: number, type: string, agentId: string, atMs: number, payload: Record<string, unknown> = {}): ChainRow {
  return { chain, seq, id: `${chain}-${seq}`, atMs, type, agentId, actor: 'warden', reason: `${type} ${agentId}`, alertId: '', payloadJson: JSON.stringify(payload), prevHash: '', hash: '' };
}

/** The actions table of two instances, as the store query reads it. */
function setup(options: { pageRows?: number } = {}) {
  const rows: ChainRow[] = [];
  let failing = false;
  const now = { ms: T0 };
  const status = createAgentStatusRegistry({ load: async () => ok([]), logger });
  let reads = 0;
  const sync = createPeerStatusSync({
    ownChain: 'warden-a',
    async load(ownChain, sinceMs, limit) {
      reads++;
      if (failing) return fail('WARDEN_STORE_UNAVAILABLE', 'connection refused');
      return ok(rows.filter((r) => r.chain !== ownChain && r.atMs >= sinceMs).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq).slice(0, limit));
    },
    status,
    logger,
    clock: () => now.ms,
    ...(options.pageRows === undefined ? {} : { pageRows: options.pageRows }),
  });
  return { rows, status, sync, now, setFailing: (value: boolean) => (failing = value), reads: () => reads };
}

describe('status sync between Warden instances sharing a store', () => {
  it("applies another instance's suspension, its delivered callback and the resume, each once", async () => {
    const { rows, status, sync } = setup();
    rows.push(row('warden-b', 1, 'suspend', 'looper', T0 + 10));
    rows.push(row('warden-a', 1, 'suspend', 'mine', T0 + 11)); // our own: applied when taken, not here
    await sync.poll();
    expect(status.statusOf('looper')).toBe('suspended');
    expect(status.statusOf('mine')).toBe('active');
    expect(status.suspension('looper')).toMatchObject({ actionId: 'warden-b-1', deliveredAtMs: null });

    rows.push(row('warden-b', 2, 'callback_delivered', 'looper', T0 + 50, { action_id: 'warden-b-1' }));
    await sync.poll();
    await sync.poll(); // the overlap re-reads both rows: nothing changes
    expect(status.suspension('looper')).toMatchObject({ actionId: 'warden-b-1', deliveredAtMs: T0 + 50 });

    rows.push(row('warden-c', 1, 'resume', 'looper', T0 + 90));
    await sync.poll();
    expect(status.statusOf('looper')).toBe('active');
  });

  it('does not let a late-landing older row undo a newer suspension', async () => {
    const { rows, status, sync } = setup();
    status.apply({ type: 'suspend', agentId: 'x', id: 'local-1', atMs: T0 + 100, reason: 'manual', payload: {} });
    rows.push(row('warden-b', 1, 'resume', 'x', T0 + 40));
    await sync.poll();
    expect(status.suspension('x')).toMatchObject({ actionId: 'local-1' });
  });

  it('reads on page after page until it has caught up', async () => {
    const { rows, status, sync, reads } = setup({ pageRows: 100 });
    for (let i = 0; i < 250; i++) rows.push(row('warden-b', i + 1, 'suspend', `agent-${i}`, T0 + i));
    await sync.poll();
    expect(status.size()).toBe(250);
    expect(reads()).toBe(3);
  });

  it('keeps going after the store fails, picking up what it missed', async () => {
    const { rows, status, sync, setFailing } = setup();
    setFailing(true);
    rows.push(row('warden-b', 1, 'suspend', 'y', T0 + 5));
    await sync.poll();
    expect(status.statusOf('y')).toBe('active');
    setFailing(false);
    await sync.poll();
    expect(status.statusOf('y')).toBe('suspended');
  });
});
