import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { Session } from 'chdb';
import type { ChdbConnection } from 'chdb/connection';
import { fail, ok } from '../errors/warden-error.ts';
import type { Result } from '../errors/warden-error.ts';
import { embeddedConnectionOf } from './clickhouse-client.ts';
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
  /**
   * 'bulk' (default) or 'priority'. The embedded engine runs one statement at a time per
   * connection, and a 5 000-row span insert holds it for 100-1000 ms; a one-row write that an
   * alert notice or a suspension callback waits for (the outbox, the actions log) must not queue
   * behind it. Priority inserts go through a second connection to the same data directory,
   * which the engine runs in parallel (measured under span load: a one-row insert 200 ms p50 on
   * the shared connection, 9 ms on its own). A server takes parallel inserts anyway.
   */
  lane?: 'bulk' | 'priority';
}

/** Connections of the priority lane: enough that the rows of one alert (its notice, the action,
 *  the callback) are written side by side rather than one after another. */
const PRIORITY_CONNECTIONS = 3;

interface PriorityLane {
  sessions: Session[];
  inFlight: number[];
}

/** The priority lane of each embedded connection: opened with its first insert, closed with it. */
const priorityLanes = new WeakMap<ChdbConnection, PriorityLane | null>();

function priorityLaneOf(connection: ChdbConnection): PriorityLane | null {
  const known = priorityLanes.get(connection);
  if (known !== undefined) return known;
  const sessions: Session[] = [];
  try {
    for (let i = 0; i < PRIORITY_CONNECTIONS; i++) sessions.push(new Session(connection.chdb.session.path));
  } catch {
    // The engine refused another connection: those opened serve, or the shared one (slower).
  }
  const lane = sessions.length === 0 ? null : { sessions, inFlight: sessions.map(() => 0) };
  priorityLanes.set(connection, lane);
  if (lane !== null) {
    // The engine binds one data directory per process until every connection to it is closed:
    // the lane closes with the connection it serves, so the directory is released as before.
    const closeShared = connection.close.bind(connection);
    connection.close = async () => {
      for (const session of lane.sessions) session.close();
      await closeShared();
    };
  }
  return lane;
}

/** On the lane's least busy open connection; false when none is open (closed). */
async function insertOnLane(lane: PriorityLane, params: { table: string; values: Buffer; format: 'JSONEachRow' }): Promise<boolean> {
  let pick = -1;
  for (let i = 0; i < lane.sessions.length; i++) {
    if (!lane.sessions[i]!.open) continue;
    if (pick === -1 || lane.inFlight[i]! < lane.inFlight[pick]!) pick = i;
  }
  if (pick === -1) return false;
  lane.inFlight[pick]!++;
  try {
    await lane.sessions[pick]!.insert(params);
  } finally {
    lane.inFlight[pick]!--;
  }
  return true;
}

/**
 * Rows are serialized to JSONEachRow once, when they are queued, and sent as bytes: the
 * client's own JSONEachRow insert would JSON.stringify every row again at flush time.
 * `client.insert` refuses a byte stream for JSON formats, so the client path is an
 * `INSERT ... FORMAT JSONEachRow` through `exec` with the bytes as the request body.
 */
export function createJsonInsert(client: ClickHouseClient, options: JsonInsertOptions): InsertFn {
  const target = qualifiedTable(options.database, options.table);
  const embedded = options.path === 'client' ? undefined : embeddedConnectionOf(client);
  if (embedded !== undefined) {
    const table = `${options.database}.${options.table}`;
    const lane = options.lane === 'priority' ? priorityLaneOf(embedded) : null;
    return async (body) => {
      try {
        const params = { table, values: body, format: 'JSONEachRow' } as const;
        if (lane === null || !(await insertOnLane(lane, params))) await embedded.chdb.rawInsert(params);
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
