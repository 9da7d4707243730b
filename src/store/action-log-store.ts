import type { ClickHouseClient } from '@clickhouse/client';
import type { ChainRow } from '../enforcer/action.ts';
import { ok, type Result } from '../errors/warden-error.ts';
import { actionRowToJsonLine } from './action-row.ts';
import { qualifiedTable, validateIdentifier } from './identifiers.ts';
import { createJsonInsert } from './json-insert.ts';
import {
  actionTableExtent,
  listActionRows,
  loadSuspensions,
  readActionWindow,
  readChainHead,
  readPeerStatusActions,
  type ChainHead,
  type StoredSuspension,
} from './queries/action-queries.ts';
import { queryJson } from './queries/query-json.ts';
import { TABLES } from './table-names.ts';

/** The actions table: one awaited insert per row (appends are few and must be durable when
 *  they resolve, so no batching), and the reads the log, status and verify need. */
export interface ActionLogStore {
  insert(row: ChainRow): Promise<Result<void>>;
  head(chain: string): Promise<Result<ChainHead | null>>;
  list(filter: { agentId?: string; limit: number }): Promise<Result<ChainRow[]>>;
  extent(): Promise<Result<{ maxSeq: number; rows: number }>>;
  window(fromSeq: number, toSeq: number): Promise<Result<ChainRow[]>>;
  suspensions(limit: number): Promise<Result<StoredSuspension[]>>;
  peerStatusActions(ownChain: string, sinceMs: number, limit: number): Promise<Result<ChainRow[]>>;
}

export function createActionLogStore(client: ClickHouseClient, database: string): Result<ActionLogStore> {
  const validated = validateIdentifier(database, 'storage.database');
  if (!validated.ok) return validated;
  const context = { client, database: validated.value };
  const insert = createJsonInsert(client, { database: validated.value, table: TABLES.actions, lane: 'priority' });
  return ok({
    insert: (row) => insert(Buffer.from(`${actionRowToJsonLine(row)}\n`)),
    head: (chain) => readChainHead(context, chain),
    list: (filter) => listActionRows(context, filter),
    extent: () => actionTableExtent(context),
    window: (fromSeq, toSeq) => readActionWindow(context, fromSeq, toSeq),
    suspensions: (limit) => loadSuspensions(context, limit),
    peerStatusActions: (ownChain, sinceMs, limit) => readPeerStatusActions(context, ownChain, sinceMs, limit),
  });
}

/**
 * Which of these action ids are in the actions table (any chain). The suspension callback's row
 * can be written before its action's (side by side); after a crash between the two, start-up
 * asks this before sending it.
 */
export async function recordedActionIds(client: ClickHouseClient, database: string, ids: readonly string[]): Promise<Result<Set<string>>> {
  const validated = validateIdentifier(database, 'storage.database');
  if (!validated.ok) return validated;
  if (ids.length === 0) return ok(new Set());
  const rows = await queryJson<{ id: string }>(
    { client, database: validated.value },
    'checking pending callbacks against the actions log',
    `SELECT DISTINCT id FROM ${qualifiedTable(validated.value, TABLES.actions)} WHERE id IN {ids:Array(String)}`,
    { ids },
  );
  if (!rows.ok) return rows;
  return ok(new Set(rows.value.map((row) => row.id)));
}
