import { qualifiedTable } from '../identifiers.ts';

/**
 * What every DDL builder renders from. With `cluster` set the same builders produce the
 * cluster form: ON CLUSTER on every statement, Replicated engines, and tables stored as
 * `<table>_local` behind a Distributed table named `<table>`, so every query Warden and the
 * dashboards run keeps its table names. Unset = one node, the DDL as it always was.
 */
export interface DdlContext {
  database: string;
  /** Days spans, summaries and outcomes are kept; 0 keeps them forever. */
  ttlDays: number;
  /** A validated identifier naming a cluster in the server's remote_servers. */
  cluster?: string | undefined;
}

export type MergeTreeFamily = 'MergeTree' | 'ReplacingMergeTree' | 'AggregatingMergeTree';

export const LOCAL_SUFFIX = '_local';

/** ` ON CLUSTER `c`` in cluster mode, '' on one node. */
export function onCluster(ctx: DdlContext): string {
  return ctx.cluster === undefined ? '' : ` ON CLUSTER \`${ctx.cluster}\``;
}

/** The name of the table holding the rows: `<table>_local` in cluster mode. */
export function storageName(ctx: DdlContext, table: string): string {
  return ctx.cluster === undefined ? table : `${table}${LOCAL_SUFFIX}`;
}

export function storageTable(ctx: DdlContext, table: string): string {
  return qualifiedTable(ctx.database, storageName(ctx, table));
}

/**
 * The engine clause. Replicas of a shard share the ZooKeeper path; {shard} and {replica} are
 * the server's macros, {database} and {table} are filled in by ClickHouse.
 */
export function mergeTreeEngine(ctx: DdlContext, family: MergeTreeFamily, versionColumn = ''): string {
  if (ctx.cluster === undefined) return `ENGINE = ${family}(${versionColumn})`;
  const args = ["'/clickhouse/tables/{shard}/{database}/{table}'", "'{replica}'"];
  if (versionColumn !== '') args.push(versionColumn);
  return `ENGINE = Replicated${family}(${args.join(', ')})`;
}

/**
 * The Distributed table in front of a local table; none on one node. The sharding key keeps
 * the rows that must meet on one shard: an agent's spans and summaries (the views aggregate
 * per shard), and every version of a ReplacingMergeTree row (replacement is per shard).
 */
export function distributedDdl(ctx: DdlContext, table: string, shardingKey: string): string[] {
  if (ctx.cluster === undefined) return [];
  return [
    `CREATE TABLE IF NOT EXISTS ${qualifiedTable(ctx.database, table)}${onCluster(ctx)}
AS ${storageTable(ctx, table)}
ENGINE = Distributed(\`${ctx.cluster}\`, \`${ctx.database}\`, \`${storageName(ctx, table)}\`, ${shardingKey})`,
  ];
}

/** An ALTER of a table's columns: the local table, and in cluster mode its Distributed table too. */
export function alterColumnsDdl(ctx: DdlContext, table: string, changes: string): string[] {
  const local = `ALTER TABLE ${storageTable(ctx, table)}${onCluster(ctx)}\n    ${changes}`;
  if (ctx.cluster === undefined) return [local];
  return [local, `ALTER TABLE ${qualifiedTable(ctx.database, table)}${onCluster(ctx)}\n    ${changes}`];
}
