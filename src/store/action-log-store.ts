import type { ClickHouseClient } from '@clickhouse/client';
import type { ChainRow } from '../enforcer/action.ts';
import { ok, type Result } from '../errors/warden-error.ts';
import { actionRowToJsonLine } from './action-row.ts';
import { validateIdentifier } from './identifiers.ts';
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
  const insert = createJsonInsert(client, { database: validated.value, table: TABLES.actions });
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
