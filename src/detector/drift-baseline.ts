import type { DriftBaseline } from './baseline-snapshot.ts';
import { createDriftAgent, learnTool, markFull, toolMixOf, type DriftAgent } from './drift-agent.ts';
import { addBaseline, baselineCount, recentCount } from './tool-mix.ts';

export function exportDriftBaseline(agent: DriftAgent): DriftBaseline {
  // The recent window joins the baseline: after a restart there is no "recent" yet.
  const tools = [...agent.tools.keys()];
  const mix = agent.mix;
  const counts = tools.map((_, index) => (mix === null ? 0 : baselineCount(mix, index) + recentCount(mix, index)));
  return {
    spans: agent.spans,
    tools,
    toolCounts: counts,
    dataClasses: [...agent.dataClasses],
    targets: [...agent.targets],
    full: agent.full === null ? [] : [...agent.full],
  };
}

/** Drift state rebuilt from a snapshot, within today's per-agent cap. */
export function restoreDriftAgent(baseline: DriftBaseline, maxLearned: number, windowSize: number, baselineMax: number): DriftAgent {
  const agent = createDriftAgent();
  agent.spans = baseline.spans;
  for (const category of baseline.full) markFull(agent, category);
  const tools = Math.min(baseline.tools.length, maxLearned);
  for (let i = 0; i < tools; i++) learnTool(agent, baseline.tools[i] ?? '');
  if (baseline.tools.length > maxLearned) markFull(agent, 'tool');
  if (baseline.toolCounts.some((count) => count > 0)) {
    const mix = toolMixOf(agent, windowSize, tools);
    for (let i = 0; i < tools; i++) addBaseline(mix, i, baseline.toolCounts[i] ?? 0, baselineMax);
  }
  for (const dataClass of baseline.dataClasses.slice(0, maxLearned)) agent.dataClasses.add(dataClass);
  if (baseline.dataClasses.length > maxLearned) markFull(agent, 'data_class');
  for (const target of baseline.targets.slice(0, maxLearned)) agent.targets.add(target);
  if (baseline.targets.length > maxLearned) markFull(agent, 'target');
  return agent;
}
