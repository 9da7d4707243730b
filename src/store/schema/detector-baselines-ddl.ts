import { mergeTreeEngine, onCluster, storageTable } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';

/**
 * Snapshots of the detectors' learned per-agent baselines (recent spend per minute, tool mix,
 * known tools, data classes and targets), so a restart does not turn every agent cold: without
 * them spend spikes go unseen for the learning period and every tool looks new again. One row
 * per agent and save; the newest wins. Kept 30 days after the last save, whatever the span TTL:
 * an agent idle that long has no baseline worth restoring.
 */
export function detectorBaselinesDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS ${storageTable(ctx, TABLES.detectorBaselines)}${onCluster(ctx)} (
    agent_id String CODEC(ZSTD(1)),
    saved_at DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    snapshot String CODEC(ZSTD(3))
) ${mergeTreeEngine(ctx, 'ReplacingMergeTree', 'saved_at')}
ORDER BY agent_id
TTL toDateTime(saved_at) + INTERVAL 30 DAY
SETTINGS index_granularity = 8192`;
}
