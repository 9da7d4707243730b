import type { ClickHouseClient } from '@clickhouse/client';
import type { DeliveryRecord, DeliveryStatus } from '../delivery/delivery.ts';
import type { OutboxStore } from '../delivery/outbox-store.ts';
import { ok } from '../errors/warden-error.ts';
import type { Result } from '../errors/warden-error.ts';
import { qualifiedTable, validateIdentifier } from './identifiers.ts';
import { createJsonInsert } from './json-insert.ts';
import { numberOf, queryJson } from './queries/query-json.ts';
import { TABLES } from './table-names.ts';

interface OutboxRow {
  id: string;
  destination: string;
  idempotency_key: string;
  order_key: string;
  payload: string;
  meta: Record<string, string>;
  status: string;
  attempts: number | string;
  next_attempt_ms: number | string;
  last_error: string;
  created_ms: number | string;
  sequence: number | string;
  updated_ms: number | string;
  version: number | string;
}

/**
 * The delivery outbox in ClickHouse: one row version per state change, read back with FINAL.
 * Rows carry the instance that enqueued them, and an instance resumes only its own: two
 * Wardens sharing the table must not both deliver one callback.
 */
export function createOutboxStore(client: ClickHouseClient, database: string, instance: string): Result<OutboxStore> {
  const validated = validateIdentifier(database, 'storage.database');
  if (!validated.ok) return validated;
  const insert = createJsonInsert(client, { database: validated.value, table: TABLES.outbox, lane: 'priority' });
  const context = { client, database: validated.value };
  const table = qualifiedTable(validated.value, TABLES.outbox);
  return ok({
    write: (record) => insert(Buffer.from(`${recordToJsonLine(record, instance)}\n`)),

    async loadPending(sinceMs) {
      // WHERE runs after FINAL's replacement (see queries/list-alerts.ts), so a delivery that
      // settled is never read back as pending from one of its older versions.
      const rows = await queryJson<OutboxRow>(
        context,
        'loading pending deliveries',
        `SELECT id, destination, idempotency_key, order_key, payload, meta, status, attempts,
                toUnixTimestamp64Milli(next_attempt_at) AS next_attempt_ms, last_error,
                toUnixTimestamp64Milli(created_at) AS created_ms, sequence,
                toUnixTimestamp64Milli(updated_at) AS updated_ms, version
         FROM ${table} FINAL
         WHERE status = 'pending' AND instance = {instance:String} AND updated_at >= fromUnixTimestamp64Milli({since:Int64})
         ORDER BY sequence`,
        { instance, since: Math.floor(sinceMs) },
      );
      if (!rows.ok) return rows;
      return ok(rows.value.map(rowToRecord));
    },
  });
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export function recordToJsonLine(record: DeliveryRecord, instance: string): string {
  return JSON.stringify({
    id: record.id,
    destination: record.destination,
    idempotency_key: record.idempotencyKey,
    order_key: record.orderKey,
    payload: record.payload,
    meta: record.meta,
    status: record.status,
    attempts: record.attempts,
    next_attempt_at: seconds(record.nextAttemptAtMs),
    last_error: record.lastError,
    created_at: seconds(record.createdAtMs),
    sequence: record.sequence,
    updated_at: seconds(record.updatedAtMs),
    version: record.version,
    instance,
  });
}

function rowToRecord(row: OutboxRow): DeliveryRecord {
  return {
    id: row.id,
    destination: row.destination,
    idempotencyKey: row.idempotency_key,
    orderKey: row.order_key,
    payload: row.payload,
    meta: row.meta,
    status: row.status as DeliveryStatus,
    attempts: numberOf(row.attempts),
    nextAttemptAtMs: numberOf(row.next_attempt_ms),
    lastError: row.last_error,
    createdAtMs: numberOf(row.created_ms),
    sequence: numberOf(row.sequence),
    updatedAtMs: numberOf(row.updated_ms),
    version: numberOf(row.version),
  };
}
