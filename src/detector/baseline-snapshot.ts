// Baselines are what a restart must not forget: an agent's spend history and what it has learned
// to do. Snapshots are plain JSON-serializable objects, one per agent, written and read by the
// store (ClickHouse); everything else in detector state is short-lived and rebuilds from traffic.

export const BASELINE_SNAPSHOT_VERSION = 1;

export interface SpendBaseline {
  /** Closed active minutes (minutes with LLM usage), oldest first: USD and tokens per minute. */
  usdPerMinute: number[];
  tokensPerMinute: number[];
  /** The agent reports usage on LLM spans (its agent spans are rollups). */
  llmUsage: boolean;
}

export interface DriftBaseline {
  /** Spans seen (the learning period counts these). */
  spans: number;
  /** Tools in the order learned, and each one's calls in the tool-mix baseline (same order). */
  tools: string[];
  toolCounts: number[];
  dataClasses: string[];
  targets: string[];
  /** Categories that reached the per-agent cap and learn nothing more. */
  full: Array<'tool' | 'data_class' | 'target'>;
}

export interface BaselineSnapshot {
  version: number;
  agentId: string;
  /** The agent's last activity on the span clock, Unix ms. */
  lastSeenMs: number;
  spend: SpendBaseline | null;
  drift: DriftBaseline | null;
}

const CATEGORIES: ReadonlySet<unknown> = new Set(['tool', 'data_class', 'target']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumberList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item) && item >= 0);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');
}

function isSpendBaseline(value: unknown): value is SpendBaseline {
  if (!isRecord(value)) return false;
  const usd = value['usdPerMinute'];
  const tokens = value['tokensPerMinute'];
  return isNumberList(usd) && isNumberList(tokens) && usd.length === tokens.length && typeof value['llmUsage'] === 'boolean';
}

function isDriftBaseline(value: unknown): value is DriftBaseline {
  if (!isRecord(value)) return false;
  const spans = value['spans'];
  const tools = value['tools'];
  const counts = value['toolCounts'];
  const full = value['full'];
  return (
    typeof spans === 'number' &&
    Number.isInteger(spans) &&
    spans >= 0 &&
    isStringList(tools) &&
    new Set(tools).size === tools.length &&
    isNumberList(counts) &&
    counts.length === tools.length &&
    isStringList(value['dataClasses']) &&
    isStringList(value['targets']) &&
    Array.isArray(full) &&
    full.every((category) => CATEGORIES.has(category))
  );
}

/** Whether a value read back from storage is a snapshot this version can restore. */
export function isBaselineSnapshot(value: unknown): value is BaselineSnapshot {
  if (!isRecord(value)) return false;
  const { version, agentId, lastSeenMs, spend, drift } = value;
  return (
    version === BASELINE_SNAPSHOT_VERSION &&
    typeof agentId === 'string' &&
    agentId !== '' &&
    typeof lastSeenMs === 'number' &&
    Number.isFinite(lastSeenMs) &&
    (spend === null || isSpendBaseline(spend)) &&
    (drift === null || isDriftBaseline(drift))
  );
}
