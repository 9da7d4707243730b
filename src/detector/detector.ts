import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AgentPolicy, FindingKind } from '../policy/agent-policy.ts';
import type { Finding } from './finding.ts';
import type { TableStats } from './lru-table.ts';

/**
 * One span as the detectors see it, with the times worked out once. The detector set reuses a
 * single instance for every span (no allocation per span): read it during observe, never keep it.
 */
export interface ObservedSpan {
  span: AgentSpan;
  /** The span's end in Unix ms (start + duration): the moment it showed what it shows. */
  endMs: number;
  /**
   * The detector set's clock: the latest span end seen so far, never going back. Recency and
   * idle eviction run on it, so a replay of recorded traces ages state like live traffic did.
   */
  nowMs: number;
  /** sessionId, or traceId when the span has no session; '' when it has neither. */
  sessionKey: string;
}

export interface DetectorStats {
  kind: FindingKind;
  /** State tables by name (`agents`, `sessions`, `traces`), with their size and evictions. */
  tables: Record<string, TableStats>;
  /** Findings emitted and detector-specific counts (all from bounded, fixed names). */
  counters: Record<string, number>;
}

/**
 * A streaming detector: pure over its own bounded state, fed one span at a time in arrival
 * order. It appends findings to `out` and never throws on odd span data.
 */
export interface Detector {
  readonly kind: FindingKind;
  observe(observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void;
  /** Forgets state idle since before nowMs minus the table's idle limit (span clock, ms). */
  evictIdle(nowMs: number): void;
  stats(): DetectorStats;
}
