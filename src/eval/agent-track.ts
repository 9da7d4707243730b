// What the generator knows about each agent from the spans it has emitted, to inject anomalies
// only where they mean what their label says: a spend spike only into an agent with a usage
// history (a cold agent has no baseline by design), a first use only after the learning period.
// A gap of GAP_MS without spans starts the counts over, since the detectors forget an agent idle
// for an hour (DetectorLimits.agentIdleMs); the margin keeps the generator on the safe side.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AnomalyType, EvalLabel } from './eval-labels.ts';

export const GAP_MS = 50 * 60_000;
const MINUTE_MS = 60_000;
/** Active minutes whose token totals are remembered for the baseline estimate. */
const RECENT_MINUTES = 60;

export interface MixOverride {
  weights: readonly number[];
  /** Tool calls still to be made with the shifted mix. */
  remaining: number;
  label: EvalLabel;
}

export interface AgentTrack {
  lastSpanMs: number;
  /** The first span after the last gap. */
  periodStartMs: number;
  /** Spans and tool calls since the last gap. */
  spans: number;
  toolCalls: number;
  lastUsageMs: number;
  /** Minutes with LLM usage since the last gap. */
  usageMinutes: number;
  minute: number;
  minuteTokens: number;
  recentMinuteTokens: number[];
  /** No new anomaly for this agent before this time (one at a time, with room after). */
  busyUntilMs: number;
  /** Drift material already used on this agent: a first use happens once. */
  usedMaterial: Set<AnomalyType>;
  mixOverride: MixOverride | null;
}

export function createAgentTrack(): AgentTrack {
  return {
    lastSpanMs: Number.NEGATIVE_INFINITY,
    periodStartMs: Number.NEGATIVE_INFINITY,
    spans: 0,
    toolCalls: 0,
    lastUsageMs: Number.NEGATIVE_INFINITY,
    usageMinutes: 0,
    minute: -1,
    minuteTokens: 0,
    recentMinuteTokens: [],
    busyUntilMs: 0,
    usedMaterial: new Set(),
    mixOverride: null,
  };
}

export function trackSpan(track: AgentTrack, span: AgentSpan, endMs: number): void {
  if (endMs - track.lastSpanMs > GAP_MS) {
    track.spans = 0;
    track.toolCalls = 0;
    track.periodStartMs = endMs;
  }
  track.lastSpanMs = Math.max(track.lastSpanMs, endMs);
  track.spans++;
  if (span.kind === 'tool') track.toolCalls++;
  if (span.kind !== 'llm' || span.inputTokens + span.outputTokens <= 0) return;
  if (endMs - track.lastUsageMs > GAP_MS) {
    track.usageMinutes = 0;
    track.recentMinuteTokens.length = 0;
    track.minute = -1;
  }
  track.lastUsageMs = Math.max(track.lastUsageMs, endMs);
  const minute = Math.floor(endMs / MINUTE_MS);
  if (minute > track.minute) {
    closeMinute(track);
    track.minute = minute;
    track.minuteTokens = 0;
  }
  track.minuteTokens += span.inputTokens + span.outputTokens;
}

function closeMinute(track: AgentTrack): void {
  if (track.minute < 0 || track.minuteTokens <= 0) return;
  track.usageMinutes++;
  track.recentMinuteTokens.push(track.minuteTokens);
  if (track.recentMinuteTokens.length > RECENT_MINUTES) track.recentMinuteTokens.shift();
}

/** Tool calls per ms since the last gap; 0 before a period has lasted a minute. */
export function toolCallRate(track: AgentTrack): number {
  const elapsed = track.lastSpanMs - track.periodStartMs;
  return elapsed < MINUTE_MS ? 0 : track.toolCalls / elapsed;
}

/** The agent's median tokens per active minute over its recent history; 0 without history. */
export function medianMinuteTokens(track: AgentTrack): number {
  const sorted = [...track.recentMinuteTokens].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
