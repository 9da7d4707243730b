import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WardenConfig } from '../config/config-schema.ts';
import { fail, ok, type Result } from '../errors/warden-error.ts';
import { openClickHouse } from '../store/clickhouse-client.ts';
import { validateIdentifier } from '../store/identifiers.ts';
import type { StoreContext } from '../store/queries/query-json.ts';
import { errorMessage } from '../store/store-error.ts';

export interface ReplayStore {
  context: StoreContext;
  /** Where the spans are read from, for messages: the server URL or the data directory. */
  where: string;
  close(): Promise<void>;
}

/**
 * The configured store, for reading only: no migrations, no writers. The embedded engine
 * takes a lock on its directory, so while `warden serve` runs on the same WARDEN_DATA_DIR
 * opening fails; that is reported as WARDEN_STORE_LOCKED with what to do about it.
 */
export function openReplayStore(storage: WardenConfig['storage']): Result<ReplayStore> {
  const database = validateIdentifier(storage.database, 'storage.database');
  if (!database.ok) return database;
  const server = storage.clickhouseUrl !== undefined && storage.clickhouseUrl !== '';
  const embeddedDir = join(storage.dataDir, 'clickhouse');
  const where = server ? `ClickHouse at ${storage.clickhouseUrl}` : `the embedded store in ${storage.dataDir}`;
  // Opening would create the directory: a mistyped WARDEN_DATA_DIR must not look like an
  // empty store.
  if (!server && !existsSync(embeddedDir)) {
    return fail('WARDEN_STORE_UNAVAILABLE', `no embedded store in ${storage.dataDir} (WARDEN_DATA_DIR): nothing was recorded there. Point WARDEN_DATA_DIR at the directory \`warden serve\` uses, or WARDEN_CLICKHOUSE_URL at a server`);
  }
  try {
    const client = openClickHouse({
      url: storage.clickhouseUrl,
      username: storage.username,
      password: storage.password,
      database: database.value,
      dataDir: storage.dataDir,
    });
    return ok({ context: { client, database: database.value }, where, close: () => client.close() });
  } catch (error) {
    if (!server && (error as { code?: unknown }).code === 'CHDB_CONNECTION') {
      return fail(
        'WARDEN_STORE_LOCKED',
        `${where} is in use by another process, most likely a running \`warden serve\` with the same WARDEN_DATA_DIR (the embedded engine allows one process per directory). Stop that Warden and run the replay again, or point WARDEN_CLICKHOUSE_URL at a ClickHouse server holding the spans`,
      );
    }
    return fail('WARDEN_STORE_UNAVAILABLE', `${where} could not be opened: ${errorMessage(error)}`);
  }
}
