import type { AlertStatus, AlertVersion } from '../../alerter/alert.ts';
import { ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import type { FindingKind, Severity } from '../../policy/agent-policy.ts';
import { ALERT_COLUMNS, alertRowToVersion } from '../alert-row.ts';
import type { RawAlertRow } from '../alert-row.ts';
import { qualifiedTable } from '../identifiers.ts';
import { TABLES } from '../table-names.ts';
import { queryJson } from './query-json.ts';
import type { StoreContext } from './query-json.ts';

export interface AlertFilter {
  status?: AlertStatus;
  agentId?: string;
  kind?: FindingKind;
  severity?: Severity;
  /** At most this many; clamped to 1..10 000. Default 100. */
  limit?: number;
}

const MAX_LIMIT = 10_000;

// FINAL: every alert in its latest version only, whatever ClickHouse has merged so far. WHERE
// is applied after FINAL's replacement (PREWHERE is not moved before it:
// optimize_move_to_prewhere_if_final is off by default), so a filter never matches a
// superseded version; the integration tests keep that true.

/** Alerts matching the filter, newest first (by first_seen, then id: UUIDv7 sorts by time). */
export async function listAlerts(context: StoreContext, filter: AlertFilter = {}): Promise<Result<AlertVersion[]>> {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(filter.limit ?? 100)));
  // Constant fragments picked by which filters are present; the values are parameters.
  const conditions: string[] = [];
  if (filter.status !== undefined) conditions.push('status = {status:String}');
  if (filter.agentId !== undefined) conditions.push('agent_id = {agentId:String}');
  if (filter.kind !== undefined) conditions.push('kind = {kind:String}');
  if (filter.severity !== undefined) conditions.push('severity = {severity:String}');
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const rows = await queryJson<RawAlertRow>(
    context,
    'alert list',
    `SELECT ${ALERT_COLUMNS}
     FROM ${qualifiedTable(context.database, TABLES.alerts)} FINAL
     ${where}
     ORDER BY first_seen DESC, id DESC
     LIMIT {limit:UInt32}`,
    { status: filter.status ?? '', agentId: filter.agentId ?? '', kind: filter.kind ?? '', severity: filter.severity ?? '', limit },
  );
  if (!rows.ok) return rows;
  return ok(rows.value.map(alertRowToVersion));
}

/** The latest version of one alert; null for an unknown id. */
export async function getAlert(context: StoreContext, id: string): Promise<Result<AlertVersion | null>> {
  if (id === '') return ok(null);
  const rows = await queryJson<RawAlertRow>(
    context,
    'alert lookup',
    `SELECT ${ALERT_COLUMNS}
     FROM ${qualifiedTable(context.database, TABLES.alerts)} FINAL
     WHERE id = {id:String}
     LIMIT 1`,
    { id },
  );
  if (!rows.ok) return rows;
  const row = rows.value[0];
  return ok(row === undefined ? null : alertRowToVersion(row));
}

/** One instance's firing alerts, most recently seen first: what its alerter restores at start. */
export async function loadFiringAlerts(context: StoreContext, instance: string, limit: number): Promise<Result<AlertVersion[]>> {
  const rows = await queryJson<RawAlertRow>(
    context,
    'firing alert restore',
    `SELECT ${ALERT_COLUMNS}
     FROM ${qualifiedTable(context.database, TABLES.alerts)} FINAL
     WHERE status = 'firing' AND instance = {instance:String}
     ORDER BY updated_at DESC, id DESC
     LIMIT {limit:UInt32}`,
    { instance, limit: Math.max(1, Math.floor(limit)) },
  );
  if (!rows.ok) return rows;
  return ok(rows.value.map(alertRowToVersion));
}
