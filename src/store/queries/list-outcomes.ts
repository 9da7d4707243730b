import { ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { nanosToIso } from '../datetime64.ts';
import { qualifiedTable } from '../identifiers.ts';
import { TABLES } from '../table-names.ts';
import { queryJson } from './query-json.ts';
import type { StoreContext } from './query-json.ts';

export interface OutcomeFilter {
  agentId?: string;
  traceId?: string;
  /** Newest first, at most this many; clamped to 1..10 000. Default 100. */
  limit?: number;
}

export interface OutcomeRow {
  agent_id: string;
  trace_id: string;
  session_id: string;
  name: string;
  value: number;
  success: boolean | null;
  /** ISO 8601 with nanoseconds (the `ts` of POST /api/v1/outcomes); ts_unix_nano is exact. */
  ts: string;
  ts_unix_nano: string;
  source: string;
  attributes: Record<string, string>;
}

const MAX_LIMIT = 10_000;

export async function listOutcomes(context: StoreContext, filter: OutcomeFilter = {}): Promise<Result<OutcomeRow[]>> {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(filter.limit ?? 100)));
  // Constant fragments picked by which filters are present; the values are parameters.
  const conditions: string[] = [];
  if (filter.agentId !== undefined) conditions.push('agent_id = {agentId:String}');
  if (filter.traceId !== undefined) conditions.push('trace_id = {traceId:String}');
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const rows = await queryJson<Omit<OutcomeRow, 'ts'>>(
    context,
    'outcome list',
    `SELECT agent_id, trace_id, session_id, name, value, success,
            toString(toUnixTimestamp64Nano(time)) AS ts_unix_nano, source, attributes
     FROM ${qualifiedTable(context.database, TABLES.outcomes)}
     ${where}
     ORDER BY time DESC
     LIMIT {limit:UInt32}`,
    { agentId: filter.agentId ?? '', traceId: filter.traceId?.toLowerCase() ?? '', limit },
  );
  if (!rows.ok) return rows;
  return ok(rows.value.map((row) => ({ ...row, ts: nanosToIso(row.ts_unix_nano) })));
}
