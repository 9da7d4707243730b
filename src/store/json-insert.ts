import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { fail, ok } from '../errors/warden-error.ts';
import type { Result } from '../errors/warden-error.ts';
import { embeddedEngineOf } from './clickhouse-client.ts';
import { qualifiedTable } from './identifiers.ts';
import { insertError } from './insert-error.ts';

/**
 * Writes one batch: a Buffer of JSONEachRow lines. Returns a retryable error for outages and
 * a permanent one (WARDEN_STORE_ROWS_REJECTED) when ClickHouse refused the rows themselves.
 */
export type InsertFn = (body: Buffer) => Promise<Result<void>>;

export interface JsonInsertOptions {
  /** Validated identifiers. */
  database: string;
  table: string;
  /**
   * 'auto' (default): the embedded engine's raw insert when the client is embedded (the
   * Buffer goes to its parser as is), else the client. 'client': always through
   * @clickhouse/client, the path a server uses, for tests of that path on the embedded engine.
   */
  path?: 'auto' | 'client';
  /** 'bulk' (default) or 'priority': small writes an alert notice or a suspension callback
   *  waits for, on the embedded engine's priority lane (priority-lane.ts). */
  lane?: 'bulk' | 'priority';
}

/**
 * Rows are serialized to JSONEachRow once, when they are queued, and sent as bytes: the
 * client's own JSONEachRow insert would JSON.stringify every row again at flush time.
 * `client.insert` refuses a byte stream for JSON formats, so the client path is an
 * `INSERT ... FORMAT JSONEachRow` through `exec` with the bytes as the request body.
 */
export function createJsonInsert(client: ClickHouseClient, options: JsonInsertOptions): InsertFn {
  const target = qualifiedTable(options.database, options.table);
  const engine = options.path === 'client' ? undefined : embeddedEngineOf(client);
  if (engine !== undefined) {
    const table = `${options.database}.${options.table}`;
    const lane = options.lane === 'priority' ? engine.priorityLane : null;
    return async (body) => {
      try {
        const params = { table, values: body, format: 'JSONEachRow' } as const;
        if (lane === null || !(await lane.insert(params))) await engine.connection.chdb.rawInsert(params);
        return ok(undefined);
      } catch (error) {
        const failed = insertError(target, error);
        return fail(failed.code, failed.message);
      }
    };
  }
  const query = `INSERT INTO ${target} FORMAT JSONEachRow`;
  return async (body) => {
    try {
      const result = await client.exec({ query, values: Readable.from([body]) });
      // The response body is empty for an INSERT, but it must be consumed to free the socket.
      result.stream.resume();
      await finished(result.stream);
      return ok(undefined);
    } catch (error) {
      const failed = insertError(target, error);
      return fail(failed.code, failed.message);
    }
  };
}
