import type { SpendBaseline } from './baseline-snapshot.ts';
import { closedMinutes, restoreHistory } from './spend-history.ts';
import { createSpendAgent, type SpendAgent } from './spend-spike-detector.ts';

/** The agent's spend baseline, or null while it has no closed minute (nothing worth keeping). */
export function exportSpendBaseline(agent: SpendAgent): SpendBaseline | null {
  if (agent.history.length === 0) return null;
  return {
    usdPerMinute: closedMinutes(agent.history, 'usd'),
    tokensPerMinute: closedMinutes(agent.history, 'tokens'),
    llmUsage: agent.sawLlmUsage,
  };
}

/** Spend state rebuilt from a snapshot; the current minute starts empty. */
export function restoreSpendAgent(baseline: SpendBaseline, capacity: number, minRelativeScale: number): SpendAgent {
  const agent = createSpendAgent();
  agent.sawLlmUsage = baseline.llmUsage;
  restoreHistory(agent.history, baseline.usdPerMinute, baseline.tokensPerMinute, capacity, minRelativeScale);
  return agent;
}
