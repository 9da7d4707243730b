import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { newAlertId } from '../alerter/alert-identity.ts';
import { fail, ok, type Result } from '../errors/warden-error.ts';
import { createActionLogStore, type ActionLogStore } from '../store/action-log-store.ts';
import { errorMessage } from '../store/store-error.ts';
import type { ChainHead } from '../store/queries/action-queries.ts';
import { ACTION_TYPES, type ActionRecord, type ChainRow, type NewAction } from './action.ts';
import { actionHash, GENESIS_HASH } from './action-hash.ts';
import { canonicalJson } from './canonical-json.ts';

export interface ActionLogDeps {
  client: ClickHouseClient;
  database: string;
  logger: Logger;
  /** Unix milliseconds. Default Date.now. */
  clock?: () => number;
  /**
   * This instance's chain. Default 'default'. Every Warden writing to the same ClickHouse at
   * the same time needs its own, stable across its restarts (a restart continues its chain).
   * Two live instances on one chain fork it, and `warden audit verify` reports the fork.
   */
  chain?: string;
  /** Appends waiting behind the one being written before append() refuses. Default 10 000. */
  maxPending?: number;
  /** Replaces the ClickHouse table (unit tests). */
  store?: ActionLogStore;
}

export interface ActionLog {
  /** Reads the chain's head (seq and hash) to continue from it, and logs it. */
  start(): Promise<Result<void>>;
  /** Resolves once the row is written. Appends are written one at a time, in call order. */
  append(action: NewAction): Promise<Result<ActionRecord>>;
  /** Newest first; limit 1..1000. */
  list(filter: { agentId?: string; limit: number }): Promise<Result<ActionRecord[]>>;
  /** Refuses new appends and waits for those already queued. */
  shutdown(): Promise<void>;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(ACTION_TYPES);
const MAX_LIST = 1000;

/**
 * The append-only, hash-chained actions log. One append is in flight at a time, so seq is
 * gapless and each row's prev_hash is the hash of the row written just before it. When a
 * write fails the head is unknown (the insert may have landed all the same), so the next
 * append reads it from the table again instead of guessing: the chain never skips or repeats
 * a seq because of an outage.
 */
export function createActionLog(deps: ActionLogDeps): ActionLog {
  const clock = deps.clock ?? Date.now;
  const chain = (deps.chain ?? 'default').toWellFormed();
  const maxPending = deps.maxPending ?? 10_000;
  const logger = deps.logger.child({ component: 'action-log', chain });
  const opened: Result<ActionLogStore> = deps.store === undefined ? createActionLogStore(deps.client, deps.database) : ok(deps.store);
  // undefined = not known: read before the next append.
  let head: ChainHead | null | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  let stopping = false;

  async function readHead(store: ActionLogStore): Promise<Result<void>> {
    const read = await store.head(chain);
    if (!read.ok) return read;
    head = read.value;
    return ok(undefined);
  }

  async function write(store: ActionLogStore, prepared: Omit<ChainRow, 'seq' | 'prevHash' | 'hash'>): Promise<Result<ActionRecord>> {
    if (head === undefined) {
      const read = await readHead(store);
      if (!read.ok) return read;
    }
    const fields = { ...prepared, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
    const row: ChainRow = { ...fields, hash: actionHash(fields) };
    const written = await store.insert(row);
    if (!written.ok) {
      head = undefined;
      logger.warn({ seq: row.seq, type: row.type, agentId: row.agentId, error: written.error.message }, 'action not recorded');
      return written;
    }
    head = { seq: row.seq, hash: row.hash };
    return ok({ ...row, payload: JSON.parse(row.payloadJson) as Record<string, unknown> });
  }

  return {
    async start() {
      if (!opened.ok) return opened;
      const read = await readHead(opened.value);
      if (!read.ok) return read;
      logger.info({ seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH }, 'actions chain head');
      return ok(undefined);
    },

    append(action) {
      if (!opened.ok) return Promise.resolve(opened);
      if (stopping) return Promise.resolve(fail('WARDEN_PIPELINE_STOPPING', 'the actions log is shutting down; the action was not recorded'));
      const prepared = prepare(action, chain, clock);
      if (!prepared.ok) return Promise.resolve(prepared);
      if (pending >= maxPending) {
        return Promise.resolve(fail('WARDEN_STORE_UNAVAILABLE', `${pending} actions are waiting to be written to ClickHouse; the action was not recorded`));
      }
      pending++;
      const store = opened.value;
      const run = tail
        .then(() => write(store, prepared.value))
        .catch((error: unknown) => {
          head = undefined;
          return fail<ActionRecord>('WARDEN_STORE_UNAVAILABLE', `recording the action failed: ${errorMessage(error)}`);
        })
        .finally(() => pending--);
      tail = run;
      return run;
    },

    async list(filter) {
      if (!opened.ok) return opened;
      const limit = Math.min(Math.max(1, Math.trunc(filter.limit)), MAX_LIST);
      const rows = await opened.value.list({ agentId: filter.agentId, limit });
      if (!rows.ok) return rows;
      return ok(rows.value.map((row) => ({ ...row, payload: parsePayload(row.payloadJson) })));
    },

    async shutdown() {
      stopping = true;
      await tail;
    },
  };
}

/** Everything but the chain position, checked and normalized before the action queues. */
function prepare(action: NewAction, chain: string, clock: () => number): Result<Omit<ChainRow, 'seq' | 'prevHash' | 'hash'>> {
  if (!KNOWN_TYPES.has(action.type)) return fail('WARDEN_ACTION_INVALID', `unknown action type ${JSON.stringify(action.type)}`);
  const atMs = Math.trunc(action.atMs ?? clock());
  if (!Number.isFinite(atMs) || atMs < 0) return fail('WARDEN_ACTION_INVALID', `action time ${action.atMs} is not Unix milliseconds`);
  let payloadJson: string;
  try {
    if (typeof action.payload !== 'object' || action.payload === null || Array.isArray(action.payload)) throw new TypeError('the payload must be a JSON object');
    payloadJson = canonicalJson(action.payload);
  } catch (error) {
    return fail('WARDEN_ACTION_INVALID', `action payload: ${(error as Error).message}`);
  }
  // The store writes lone surrogates as U+FFFD; hashing the same text keeps verify exact.
  return ok({
    chain,
    id: (action.id ?? newAlertId(atMs)).toWellFormed(),
    atMs,
    type: action.type,
    agentId: action.agentId.toWellFormed(),
    actor: action.actor.toWellFormed(),
    reason: action.reason.toWellFormed(),
    alertId: (action.alertId ?? '').toWellFormed(),
    payloadJson,
  });
}

export function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { unparsed: text };
  }
}
