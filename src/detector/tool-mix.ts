// An agent's tool mix: counts per tool over its recent window of calls and over the calls before
// that window (its baseline), compared with the Jensen-Shannon divergence. The two samples never
// overlap: a call leaves the window into the baseline. The baseline is halved when it grows past
// a bound, so it follows slow change and its counts stay small. Tools are small indices given by
// the caller (the order the agent learned them).
//
// One Uint16Array holds it all, [window ring | recent counts | baseline counts], grown when the
// agent learns more tools than it has room for: one allocation per agent instead of three.
import { jensenShannonDivergence } from './jensen-shannon.ts';

/** Counts are 16-bit; the baseline is halved long before it could overflow. */
const MAX_TOOL_MIX_COUNT = 65_535;
const MIN_TOOL_SLOTS = 8;

export interface ToolMix {
  data: Uint16Array;
  readonly windowSize: number;
  /** Tools the counts have room for. */
  toolSlots: number;
  windowLength: number;
  windowNext: number;
  baselineTotal: number;
  /** Calls since the divergence was last computed. */
  sinceEvaluation: number;
  firing: boolean;
}

export function createToolMix(windowSize: number, tools = 0): ToolMix {
  const toolSlots = Math.max(MIN_TOOL_SLOTS, tools);
  return { data: new Uint16Array(windowSize + 2 * toolSlots), windowSize, toolSlots, windowLength: 0, windowNext: 0, baselineTotal: 0, sinceEvaluation: 0, firing: false };
}

function recentAt(mix: ToolMix, tool: number): number {
  return mix.windowSize + tool;
}

function baselineAt(mix: ToolMix, tool: number): number {
  return mix.windowSize + mix.toolSlots + tool;
}

function ensureSlot(mix: ToolMix, tool: number): void {
  if (tool < mix.toolSlots) return;
  const slots = Math.max(tool + 1, mix.toolSlots * 2);
  const data = new Uint16Array(mix.windowSize + 2 * slots);
  data.set(mix.data.subarray(0, mix.windowSize + mix.toolSlots));
  data.set(mix.data.subarray(mix.windowSize + mix.toolSlots), mix.windowSize + slots);
  mix.data = data;
  mix.toolSlots = slots;
}

export function recentCount(mix: ToolMix, tool: number): number {
  return tool < mix.toolSlots ? (mix.data[recentAt(mix, tool)] ?? 0) : 0;
}

export function baselineCount(mix: ToolMix, tool: number): number {
  return tool < mix.toolSlots ? (mix.data[baselineAt(mix, tool)] ?? 0) : 0;
}

/** Adds calls to a tool's baseline directly (a restored snapshot), halving to stay in range. */
export function addBaseline(mix: ToolMix, tool: number, calls: number, baselineMax: number): void {
  ensureSlot(mix, tool);
  const at = baselineAt(mix, tool);
  mix.data[at] = Math.min(MAX_TOOL_MIX_COUNT, (mix.data[at] ?? 0) + Math.round(calls));
  mix.baselineTotal = sumBaseline(mix);
  while (mix.baselineTotal > baselineMax) halveBaseline(mix);
}

export function addToolCall(mix: ToolMix, tool: number, baselineMax: number): void {
  ensureSlot(mix, tool);
  const { data, windowSize } = mix;
  if (mix.windowLength === windowSize) {
    const leaving = data[mix.windowNext] ?? 0;
    data[recentAt(mix, leaving)] = (data[recentAt(mix, leaving)] ?? 1) - 1;
    data[baselineAt(mix, leaving)] = (data[baselineAt(mix, leaving)] ?? 0) + 1;
    mix.baselineTotal++;
    if (mix.baselineTotal > baselineMax) halveBaseline(mix);
  } else {
    mix.windowLength++;
  }
  data[mix.windowNext] = tool;
  mix.windowNext = (mix.windowNext + 1) % windowSize;
  data[recentAt(mix, tool)] = (data[recentAt(mix, tool)] ?? 0) + 1;
  mix.sinceEvaluation++;
}

function halveBaseline(mix: ToolMix): void {
  const start = baselineAt(mix, 0);
  for (let i = start; i < start + mix.toolSlots; i++) mix.data[i] = (mix.data[i] ?? 0) >>> 1;
  mix.baselineTotal = sumBaseline(mix);
}

function sumBaseline(mix: ToolMix): number {
  let total = 0;
  const start = baselineAt(mix, 0);
  for (let i = start; i < start + mix.toolSlots; i++) total += mix.data[i] ?? 0;
  return total;
}

export function toolMixDivergence(mix: ToolMix): number {
  const recentStart = recentAt(mix, 0);
  const baselineStart = baselineAt(mix, 0);
  return jensenShannonDivergence(mix.data.subarray(recentStart, recentStart + mix.toolSlots), mix.data.subarray(baselineStart, baselineStart + mix.toolSlots));
}

export interface ToolShareChange {
  tool: string;
  baseline_share: number;
  recent_share: number;
}

/** The tools whose share moved most, largest move first; for evidence only. */
export function topShareChanges(mix: ToolMix, toolNames: readonly string[], count: number): ToolShareChange[] {
  const changes: ToolShareChange[] = [];
  for (let i = 0; i < mix.toolSlots; i++) {
    const recentShare = mix.windowLength > 0 ? recentCount(mix, i) / mix.windowLength : 0;
    const baselineShare = mix.baselineTotal > 0 ? baselineCount(mix, i) / mix.baselineTotal : 0;
    if (recentShare === baselineShare) continue;
    changes.push({ tool: toolNames[i] ?? '', baseline_share: round(baselineShare), recent_share: round(recentShare) });
  }
  changes.sort((a, b) => Math.abs(b.recent_share - b.baseline_share) - Math.abs(a.recent_share - a.baseline_share));
  return changes.slice(0, count);
}

function round(share: number): number {
  return Math.round(share * 1000) / 1000;
}
