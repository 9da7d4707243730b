import type { Logger } from 'pino';
import type { Result } from '../errors/warden-error.ts';
import type { ChainRow } from './action.ts';
import { parsePayload } from './action-log.ts';
import type { AgentStatusRegistry } from './agent-status-registry.ts';

export interface PeerStatusSyncOptions {
  /** This instance's chain: its own actions are applied when taken, not read back. */
  ownChain: string;
  /** The other chains' suspend / resume / callback_delivered rows at or after sinceMs, oldest first. */
  load(ownChain: string, sinceMs: number, limit: number): Promise<Result<ChainRow[]>>;
  status: Pick<AgentStatusRegistry, 'apply' | 'suspendedSince'>;
  logger: Logger;
  clock?: () => number;
  /** Default 2000 ms: how long a suspension taken by another Warden goes unseen here at most. */
  intervalMs?: number;
  /**
   * Default 60 000 ms. Every poll re-reads this far behind the newest row seen, because rows
   * are written a little after their time and other instances' clocks differ from ours; rows
   * already applied are skipped by id.
   */
  overlapMs?: number;
  /** Rows per read. Default 1000; a full page is followed at once by the next. */
  pageRows?: number;
}

export interface PeerStatusSync {
  /** One poll: applies what other instances recorded since the last. Exposed for tests. */
  poll(): Promise<void>;
  start(): void;
  shutdown(): Promise<void>;
}

/**
 * Several Wardens may share one ClickHouse (the gateway routes each agent to one of them, and
 * an operator may suspend through any instance's API). Each records its actions on its own
 * chain; this applies the others' status changes here, so an agent suspended anywhere is
 * suspended everywhere within a poll interval, and its spans raise suspended_activity on
 * whichever instance receives them.
 */
export function createPeerStatusSync(options: PeerStatusSyncOptions): PeerStatusSync {
  const clock = options.clock ?? Date.now;
  const intervalMs = options.intervalMs ?? 2000;
  const overlapMs = options.overlapMs ?? 60_000;
  const pageRows = options.pageRows ?? 1000;
  const logger = options.logger.child({ component: 'peer-status' });
  // Start-up loaded every suspension up to now; from here on, only what changes.
  let newestMs = clock();
  // Ids applied within the overlap, with their time, so a re-read row is applied once.
  const applied = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let failing = false;

  function apply(row: ChainRow): void {
    if (applied.has(row.id)) return;
    applied.set(row.id, row.atMs);
    newestMs = Math.max(newestMs, row.atMs);
    // A row that lands late must not undo a newer suspension taken here or elsewhere.
    const current = options.status.suspendedSince(row.agentId);
    if (row.type !== 'callback_delivered' && current !== undefined && current > row.atMs) return;
    options.status.apply({ type: row.type, agentId: row.agentId, id: row.id, atMs: row.atMs, reason: row.reason, payload: parsePayload(row.payloadJson) });
    if (row.type !== 'callback_delivered') logger.info({ agentId: row.agentId, type: row.type, chain: row.chain, actionId: row.id }, `agent ${row.type === 'suspend' ? 'suspended' : 'resumed'} by Warden instance "${row.chain}"`);
  }

  async function poll(): Promise<void> {
    let since = newestMs - overlapMs;
    for (;;) {
      const rows = await options.load(options.ownChain, since, pageRows);
      if (!rows.ok) {
        if (!failing) logger.warn({ code: rows.error.code }, `cannot read other instances' actions; retrying: ${rows.error.message}`);
        failing = true;
        return;
      }
      failing = false;
      for (const row of rows.value) apply(row);
      for (const [id, atMs] of applied) if (atMs < newestMs - overlapMs) applied.delete(id);
      const last = rows.value.at(-1);
      // A full page: read on from its last row (re-reading that millisecond; applied rows are
      // skipped). A full page within one millisecond cannot advance: the next tick goes on.
      if (rows.value.length < pageRows || last === undefined || last.atMs <= since) return;
      since = last.atMs;
    }
  }

  function schedule(): void {
    timer = setTimeout(() => {
      running = poll().finally(() => {
        running = undefined;
        if (timer !== undefined) schedule();
      });
    }, intervalMs);
    timer.unref();
  }

  return {
    poll,
    start: schedule,
    async shutdown() {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
