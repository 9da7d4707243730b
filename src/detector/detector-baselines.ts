// Baseline snapshots of the detectors that learn (spend_spike, permission_drift), merged per agent.
import { BASELINE_SNAPSHOT_VERSION, isBaselineSnapshot, type BaselineSnapshot } from './baseline-snapshot.ts';
import type { DetectorLimits } from './detector-limits.ts';
import { exportDriftBaseline, restoreDriftAgent } from './drift-baseline.ts';
import type { PermissionDriftDetector } from './permission-drift-detector.ts';
import { exportSpendBaseline, restoreSpendAgent } from './spend-baseline.ts';
import type { SpendSpikeDetector } from './spend-spike-detector.ts';

export interface BaselineImportReport {
  imported: number;
  /** Not snapshots of this version: malformed or from another version. */
  rejected: number;
  /** Agents that already had live state, which wins. */
  skipped: number;
}

export function exportBaselines(spend: SpendSpikeDetector, drift: PermissionDriftDetector): BaselineSnapshot[] {
  const snapshots = new Map<string, BaselineSnapshot>();
  for (const [agentId, agent, lastSeenMs] of spend.agents.entries()) {
    const baseline = exportSpendBaseline(agent);
    if (baseline === null) continue;
    snapshots.set(agentId, { version: BASELINE_SNAPSHOT_VERSION, agentId, lastSeenMs, spend: baseline, drift: null });
  }
  for (const [agentId, agent, lastSeenMs] of drift.agents.entries()) {
    const baseline = exportDriftBaseline(agent);
    const snapshot = snapshots.get(agentId);
    if (snapshot === undefined) {
      snapshots.set(agentId, { version: BASELINE_SNAPSHOT_VERSION, agentId, lastSeenMs, spend: null, drift: baseline });
    } else {
      snapshot.drift = baseline;
      snapshot.lastSeenMs = Math.max(snapshot.lastSeenMs, lastSeenMs);
    }
  }
  return [...snapshots.values()];
}

export function importBaselines(
  spend: SpendSpikeDetector,
  drift: PermissionDriftDetector,
  limits: Readonly<DetectorLimits>,
  input: readonly unknown[],
): BaselineImportReport {
  const report: BaselineImportReport = { imported: 0, rejected: 0, skipped: 0 };
  const valid: BaselineSnapshot[] = [];
  for (const snapshot of input) {
    if (isBaselineSnapshot(snapshot)) valid.push(snapshot);
    else report.rejected++;
  }
  // Oldest first, so the tables' recency order matches the agents' last activity.
  valid.sort((a, b) => a.lastSeenMs - b.lastSeenMs);
  for (const snapshot of valid) {
    let restored = false;
    const { agentId, lastSeenMs } = snapshot;
    if (snapshot.spend !== null && spend.agents.peek(agentId) === undefined) {
      const agent = restoreSpendAgent(snapshot.spend, limits.spendHistoryMinutes, limits.spendMinRelativeScale);
      restored = spend.agents.insert(agentId, agent, lastSeenMs);
    }
    if (snapshot.drift !== null && drift.agents.peek(agentId) === undefined) {
      const agent = restoreDriftAgent(snapshot.drift, limits.maxLearnedPerAgent, limits.toolMixWindow, limits.toolMixBaselineMax);
      if (drift.agents.insert(agentId, agent, lastSeenMs)) {
        drift.noteRestored(agent);
        restored = true;
      }
    }
    if (restored) report.imported++;
    else report.skipped++;
  }
  return report;
}
