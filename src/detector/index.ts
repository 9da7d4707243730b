export type { Detector, DetectorStats, ObservedSpan } from './detector.ts';
export { createDetectorSet, type DetectorSet, type DetectorSetOptions, type DetectorSetStats } from './create-detector-set.ts';
export type { BaselineImportReport } from './detector-baselines.ts';
export { DEFAULT_DETECTOR_LIMITS, resolveDetectorLimits, type DetectorLimits } from './detector-limits.ts';
export type { Finding, FindingEvidence } from './finding.ts';
export { BASELINE_SNAPSHOT_VERSION, isBaselineSnapshot, type BaselineSnapshot, type DriftBaseline, type SpendBaseline } from './baseline-snapshot.ts';
export type { TableStats } from './lru-table.ts';
