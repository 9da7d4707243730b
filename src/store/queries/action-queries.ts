import type { ChainRow } from '../../enforcer/action.ts';
import { ok, type Result } from '../../errors/warden-error.ts';
import { ACTION_COLUMNS, rawToChainRow, type RawActionRow } from '../action-row.ts';
import { qualifiedTable } from '../identifiers.ts';
import { TABLES } from '../table-names.ts';
import { numberOf, queryJson, type StoreContext } from './query-json.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The newest row of a chain, or null for an empty chain. With a fork at the head (two rows
 *  with the same seq), one of them: verify reports the fork. */
export async function readChainHead(context: StoreContext, chain: string): Promise<Result<ChainHead | null>> {
  const rows = await queryJson<{ seq_text: string; hash: string }>(
    context,
    'reading the head of the actions chain',
    `SELECT toString(seq) AS seq_text, hash FROM ${qualifiedTable(context.database, TABLES.actions)}
     WHERE chain = {chain:String} ORDER BY seq DESC, id DESC LIMIT 1`,
    { chain },
  );
  if (!rows.ok) return rows;
  const [row] = rows.value;
  return ok(row === undefined ? null : { seq: numberOf(row.seq_text), hash: row.hash });
}

/** Newest first (by time, then seq), optionally one agent's. */
export async function listActionRows(context: StoreContext, filter: { agentId?: string; limit: number }): Promise<Result<ChainRow[]>> {
  const where = filter.agentId === undefined ? '' : 'WHERE agent_id = {agent:String}';
  const rows = await queryJson<RawActionRow>(
    context,
    'listing actions',
    `SELECT ${ACTION_COLUMNS} FROM ${qualifiedTable(context.database, TABLES.actions)} ${where}
     ORDER BY at DESC, seq DESC LIMIT {limit:UInt32}`,
    { agent: filter.agentId ?? '', limit: filter.limit },
  );
  return rows.ok ? ok(rows.value.map(rawToChainRow)) : rows;
}

/** The highest seq of any chain (0 when empty) and the row count, for paging through all. */
export async function actionTableExtent(context: StoreContext): Promise<Result<{ maxSeq: number; rows: number }>> {
  const rows = await queryJson<{ max_seq: string; rows: string }>(
    context,
    'sizing the actions table',
    `SELECT toString(max(seq)) AS max_seq, toString(count()) AS rows FROM ${qualifiedTable(context.database, TABLES.actions)}`,
    {},
  );
  if (!rows.ok) return rows;
  const [row] = rows.value;
  return ok({ maxSeq: numberOf(row?.max_seq), rows: numberOf(row?.rows) });
}

/**
 * Every row with fromSeq <= seq <= toSeq, all chains, in (chain, seq, id) order. A window
 * of seq reads a range of the primary key (ORDER BY seq): paging this way reads the table
 * once, where LIMIT/OFFSET or a (chain, seq, id) cursor would sort all of it per page.
 */
export async function readActionWindow(context: StoreContext, fromSeq: number, toSeq: number): Promise<Result<ChainRow[]>> {
  const rows = await queryJson<RawActionRow>(
    context,
    'reading actions',
    `SELECT ${ACTION_COLUMNS} FROM ${qualifiedTable(context.database, TABLES.actions)}
     WHERE seq >= {from:UInt64} AND seq <= {to:UInt64}
     ORDER BY chain, seq, id`,
    { from: fromSeq, to: toSeq },
  );
  return rows.ok ? ok(rows.value.map(rawToChainRow)) : rows;
}

/**
 * The status-changing actions (suspend, resume, callback_delivered) other chains recorded at or
 * after sinceMs, oldest first: what one Warden learns from the others sharing its ClickHouse.
 */
export async function readPeerStatusActions(context: StoreContext, ownChain: string, sinceMs: number, limit: number): Promise<Result<ChainRow[]>> {
  const rows = await queryJson<RawActionRow>(
    context,
    'reading other instances\' status actions',
    `SELECT ${ACTION_COLUMNS} FROM ${qualifiedTable(context.database, TABLES.actions)}
     WHERE chain != {chain:String} AND type IN ('suspend', 'resume', 'callback_delivered')
       AND at >= fromUnixTimestamp64Milli({since:Int64})
     ORDER BY at, seq LIMIT {limit:UInt32}`,
    { chain: ownChain, since: Math.floor(sinceMs), limit },
  );
  return rows.ok ? ok(rows.value.map(rawToChainRow)) : rows;
}

export interface StoredSuspension {
  agentId: string;
  actionId: string;
  sinceMs: number;
  reason: string;
  /** When the suspend callback was delivered, null while it was not. */
  deliveredAtMs: number | null;
}

/**
 * Agents whose latest suspend/resume (by time, then seq, across chains) is a suspend, newest
 * first, at most `limit`, with the delivery of that suspension's callback if recorded.
 */
export async function loadSuspensions(context: StoreContext, limit: number): Promise<Result<StoredSuspension[]>> {
  const table = qualifiedTable(context.database, TABLES.actions);
  const rows = await queryJson<{ agent_id: string; action_id: string; since_ms: string; reason: string; delivered_ms: string }>(
    context,
    'loading agent suspensions',
    `WITH latest AS (
       SELECT agent_id, argMax(type, (at, seq)) AS last_type, argMax(id, (at, seq)) AS action_id,
         argMax(reason, (at, seq)) AS last_reason, max(at) AS since
       FROM ${table} WHERE type IN ('suspend', 'resume')
       GROUP BY agent_id HAVING last_type = 'suspend'
       ORDER BY since DESC LIMIT {limit:UInt32}
     ),
     delivered AS (
       SELECT JSONExtractString(payload, 'action_id') AS action_id, min(at) AS delivered_at
       FROM ${table} WHERE type = 'callback_delivered' AND JSONExtractString(payload, 'action_id') IN (SELECT action_id FROM latest)
       GROUP BY action_id
     )
     SELECT latest.agent_id AS agent_id, latest.action_id AS action_id, latest.last_reason AS reason,
       toString(toUnixTimestamp64Milli(latest.since)) AS since_ms,
       if(delivered.action_id = '', '', toString(toUnixTimestamp64Milli(delivered.delivered_at))) AS delivered_ms
     FROM latest LEFT JOIN delivered ON latest.action_id = delivered.action_id
     ORDER BY latest.since DESC`,
    { limit },
  );
  if (!rows.ok) return rows;
  return ok(
    rows.value.map((row) => ({
      agentId: row.agent_id,
      actionId: row.action_id,
      sinceMs: numberOf(row.since_ms),
      reason: row.reason,
      deliveredAtMs: row.delivered_ms === '' ? null : numberOf(row.delivered_ms),
    })),
  );
}
