import { TABLES } from '../table-names.ts';
import type { TableName } from '../table-names.ts';

/**
 * Every table whose rows expire after the configured days, with the time its TTL counts
 * from. Alerts, actions and schema_migrations are not here on purpose: the audit log is
 * hash-chained and must stay whole, and alerts are few.
 */
export const TTL_TABLES: ReadonlyArray<{ table: TableName; expression: string }> = [
  { table: TABLES.spans, expression: 'toDateTime(Timestamp)' },
  { table: TABLES.traceIdTs, expression: 'toDateTime(Start)' },
  { table: TABLES.agentUsage, expression: 'Minute' },
  { table: TABLES.agentDirectory, expression: 'Day' },
  { table: TABLES.outcomes, expression: 'toDateTime(time)' },
  { table: TABLES.reattributions, expression: 'toDateTime(Timestamp)' },
];

export function ttlExpressionOf(table: TableName): string {
  const entry = TTL_TABLES.find((t) => t.table === table);
  if (entry === undefined) throw new Error(`no TTL expression for ${table}`);
  return entry.expression;
}
