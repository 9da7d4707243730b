// What the permission-drift detector learns per agent: the tools, data classes and targets it
// has used (each capped), how many spans it has shown, and its tool mix.
import { createToolMix, type ToolMix } from './tool-mix.ts';

export type LearnedCategory = 'tool' | 'data_class' | 'target';

export interface DriftAgent {
  spans: number;
  /** Tool -> its index in the tool mix; tools are never forgotten, so the Map's order is index order. */
  readonly tools: Map<string, number>;
  readonly dataClasses: Set<string>;
  readonly targets: Set<string>;
  /** Categories that reached maxLearnedPerAgent: they learn nothing more and report nothing new. */
  full: Set<LearnedCategory> | null;
  /** Allocated at the first tool call. */
  mix: ToolMix | null;
}

export function createDriftAgent(): DriftAgent {
  return { spans: 0, tools: new Map(), dataClasses: new Set(), targets: new Set(), full: null, mix: null };
}

export function learnedCount(agent: DriftAgent): number {
  return agent.tools.size + agent.dataClasses.size + agent.targets.size;
}

/** The agent's tool mix, created at its first tool call with room for `tools` tools. */
export function toolMixOf(agent: DriftAgent, windowSize: number, tools = 0): ToolMix {
  if (agent.mix === null) agent.mix = createToolMix(windowSize, tools);
  return agent.mix;
}

export function learnTool(agent: DriftAgent, tool: string): number {
  const index = agent.tools.size;
  agent.tools.set(tool, index);
  return index;
}

export function markFull(agent: DriftAgent, category: LearnedCategory): void {
  if (agent.full === null) agent.full = new Set();
  agent.full.add(category);
}
