import { ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { qualifiedTable } from '../identifiers.ts';
import { TABLES } from '../table-names.ts';
import { numberOf, queryJson } from './query-json.ts';
import type { StoreContext } from './query-json.ts';

/** Firing alerts per agent id. FINAL: each alert counts in its latest version only. */
export async function countOpenAlerts(context: StoreContext): Promise<Result<Map<string, number>>> {
  const rows = await queryJson<{ agent_id: string; open: string }>(
    context,
    'open alert count',
    `SELECT agent_id, toString(count()) AS open
     FROM ${qualifiedTable(context.database, TABLES.alerts)} FINAL
     WHERE status = {status:String}
     GROUP BY agent_id`,
    { status: 'firing' },
  );
  if (!rows.ok) return rows;
  return ok(new Map(rows.value.map((row) => [row.agent_id, numberOf(row.open)])));
}
