import type { ClickHouseClient } from '@clickhouse/client';
import { ok, type Result } from '../errors/warden-error.ts';
import { createJsonInsert, type InsertFn } from './json-insert.ts';
import { qualifiedTable } from './identifiers.ts';
import { queryJson } from './queries/query-json.ts';
import { TABLES } from './table-names.ts';

/** Detector baselines as the store sees them: an agent id and an opaque JSON snapshot. */
export interface StoredBaseline {
  agentId: string;
  snapshot: unknown;
}

export interface BaselineStore {
  /** Writes one row per agent; the newest row of an agent wins on load. */
  save(baselines: readonly StoredBaseline[], savedAtMs: number): Promise<Result<void>>;
  /** The newest snapshot of every agent saved within the window, oldest activity first. */
  load(sinceMs: number): Promise<Result<unknown[]>>;
}

export function createBaselineStore(client: ClickHouseClient, database: string): BaselineStore {
  const insert: InsertFn = createJsonInsert(client, { database, table: TABLES.detectorBaselines });
  const context = { client, database };
  return {
    async save(baselines, savedAtMs) {
      if (baselines.length === 0) return ok(undefined);
      const savedAt = (savedAtMs / 1000).toFixed(3);
      const body = baselines
        .map((baseline) => JSON.stringify({ agent_id: baseline.agentId, saved_at: savedAt, snapshot: JSON.stringify(baseline.snapshot) }))
        .join('\n');
      return insert(Buffer.from(`${body}\n`));
    },

    async load(sinceMs) {
      const rows = await queryJson<{ snapshot: string }>(
        context,
        'loading detector baselines',
        `SELECT argMax(snapshot, saved_at) AS snapshot, max(saved_at) AS last_saved
         FROM ${qualifiedTable(database, TABLES.detectorBaselines)}
         WHERE saved_at >= fromUnixTimestamp64Milli({since:Int64})
         GROUP BY agent_id
         ORDER BY last_saved`,
        { since: Math.floor(sinceMs) },
      );
      if (!rows.ok) return rows;
      const snapshots: unknown[] = [];
      for (const row of rows.value) {
        try {
          snapshots.push(JSON.parse(row.snapshot));
        } catch {
          // A row that is not JSON cannot be a snapshot; the detectors would reject it anyway.
        }
      }
      return ok(snapshots);
    },
  };
}
