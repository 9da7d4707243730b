import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { ClickHouseClient, ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { ChdbConnection } from 'chdb/connection';
import { createPriorityLane, type PriorityLane } from './priority-lane.ts';

export interface ClickHouseOptions {
  /** A ClickHouse server (http[s]://host:8123); unset = the embedded engine under dataDir. */
  url?: string;
  username?: string;
  password?: string;
  /** Warden's database; every query names it explicitly, so it need not exist yet. */
  database: string;
  /** The embedded engine keeps its files in `<dataDir>/clickhouse`. */
  dataDir: string;
  /** Cluster mode (server only): inserts go through Distributed tables. */
  cluster?: string | undefined;
  /** PEM files for TLS to a server: the CA to trust, and a client cert and key for mutual TLS. */
  tls?: { caFile: string; certFile?: string | undefined; keyFile?: string | undefined } | undefined;
}

/** Reads a PEM file named in configuration, failing with the setting's name in the message. */
function readPem(path: string, setting: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw Object.assign(new Error(`${setting}: cannot read ${path}: ${(error as Error).message}`), { code: 'WARDEN_CONFIG_INVALID' });
  }
}

function tlsOptions(tls: NonNullable<ClickHouseOptions['tls']>): ClickHouseClientConfigOptions['tls'] {
  const ca_cert = readPem(tls.caFile, 'WARDEN_CLICKHOUSE_TLS_CA');
  if (tls.certFile === undefined || tls.keyFile === undefined) return { ca_cert };
  return { ca_cert, cert: readPem(tls.certFile, 'WARDEN_CLICKHOUSE_TLS_CERT'), key: readPem(tls.keyFile, 'WARDEN_CLICKHOUSE_TLS_KEY') };
}

type EmbeddedConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/**
 * What the embedded engine offers beyond the client: a raw insert that hands a Buffer to its
 * parser without copying it into SQL text, and the priority lane for small urgent writes. Kept
 * out of the client's type so callers see one ClickHouseClient whichever engine is behind it.
 */
export interface EmbeddedEngine {
  connection: ChdbConnection;
  priorityLane: PriorityLane;
}

const embedded = new WeakMap<ClickHouseClient, EmbeddedEngine>();

/**
 * One client for either engine. The embedded engine is a process singleton: a second data
 * directory in the same process is refused until the first client is closed, so open this
 * once per process (and close it on shutdown).
 */
export function openClickHouse(options: ClickHouseOptions): ClickHouseClient {
  if (options.url !== undefined && options.url !== '') {
    return createClient({
      url: options.url,
      username: options.username ?? 'default',
      password: options.password ?? '',
      ...(options.tls ? { tls: tlsOptions(options.tls) } : {}),
      // Inserts are written once per batch; a slow merge under load must not fail them early.
      request_timeout: 60_000,
      clickhouse_settings: {
        output_format_json_quote_64bit_integers: 1,
        // An insert into a Distributed table returns once its shards have the rows, so a
        // read right after a write (alerts, outbox, audit chain) sees it.
        ...(options.cluster === undefined ? {} : { insert_distributed_sync: 1 }),
      },
    });
  }
  const path = join(options.dataDir, 'clickhouse');
  mkdirSync(path, { recursive: true });
  const connection = createChdbConnection({ path });
  const priorityLane = createPriorityLane(connection.chdb.session.path);
  // The engine binds one data directory per process until every connection to it is closed:
  // the lane closes with the client's connection, so the directory is released as before.
  const closeShared = connection.close.bind(connection);
  connection.close = async () => {
    priorityLane.close();
    await closeShared();
  };
  // chdb declares the Connection contract against @clickhouse/client-common, which
  // @clickhouse/client 1.23 now vendors as its own copy: same shape, distinct declarations.
  const client = createClient({ connection: connection as unknown as EmbeddedConnection });
  embedded.set(client, { connection, priorityLane });
  return client;
}

/** The embedded engine behind a client from openClickHouse, or undefined for a server. */
export function embeddedEngineOf(client: ClickHouseClient): EmbeddedEngine | undefined {
  return embedded.get(client);
}
