// The per-agent windows of budget_exceeded: USD per hour in 60 one-minute buckets, USD per day in
// 24 one-hour buckets, tool calls per minute in 12 five-second buckets, writes per hour in 12
// five-minute buckets. A window covers its newest bucket and the ones before it: between 11/12
// and all of its length, so a limit is judged at most one bucket late, never early. Windows exist
// only for limits the agent's policy sets, and share one Float64Array per agent.
import type { UsageSource } from './counted-usage.ts';
import { createSlidingWindow, type SlidingWindow } from './sliding-window.ts';

export type BudgetRule = 'usd_per_hour' | 'usd_per_day' | 'actions_per_minute' | 'writes_per_hour';

export interface Limit {
  window: SlidingWindow;
  over: boolean;
}

export interface BudgetAgent extends UsageSource {
  /** The buckets of every window the agent has, end to end; grown when a policy adds a limit. */
  buckets: Float64Array | null;
  usdPerHour: Limit | null;
  usdPerDay: Limit | null;
  actionsPerMinute: Limit | null;
  writesPerHour: Limit | null;
}

export const BUDGET_WINDOWS: Record<BudgetRule, { buckets: number; bucketMs: number; label: string; unit: string }> = {
  usd_per_hour: { buckets: 60, bucketMs: 60_000, label: '1h', unit: 'USD' },
  usd_per_day: { buckets: 24, bucketMs: 3_600_000, label: '24h', unit: 'USD' },
  actions_per_minute: { buckets: 12, bucketMs: 5_000, label: '1m', unit: 'tool calls' },
  writes_per_hour: { buckets: 12, bucketMs: 300_000, label: '1h', unit: 'writes' },
};

export function createBudgetAgent(): BudgetAgent {
  return { sawLlmUsage: false, buckets: null, usdPerHour: null, usdPerDay: null, actionsPerMinute: null, writesPerHour: null };
}

const FIELD: Record<BudgetRule, 'usdPerHour' | 'usdPerDay' | 'actionsPerMinute' | 'writesPerHour'> = {
  usd_per_hour: 'usdPerHour',
  usd_per_day: 'usdPerDay',
  actions_per_minute: 'actionsPerMinute',
  writes_per_hour: 'writesPerHour',
};

/** The agent's limit for a rule, its window created (and the shared buffer grown) on first use. */
export function limitOf(agent: BudgetAgent, rule: BudgetRule): Limit {
  const existing = agent[FIELD[rule]];
  if (existing !== null) return existing;
  const shape = BUDGET_WINDOWS[rule];
  const previous = agent.buckets;
  const offset = previous?.length ?? 0;
  const buckets = new Float64Array(offset + shape.buckets);
  if (previous !== null) buckets.set(previous);
  agent.buckets = buckets;
  for (const field of Object.values(FIELD)) {
    const limit = agent[field];
    if (limit !== null) limit.window.buckets = buckets;
  }
  const limit: Limit = { window: createSlidingWindow(shape.buckets, shape.bucketMs, buckets, offset), over: false };
  agent[FIELD[rule]] = limit;
  return limit;
}

