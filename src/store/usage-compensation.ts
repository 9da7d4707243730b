import { countValue, finiteValue } from './column-values.ts';
import { nanosToDateTime64 } from './datetime64.ts';
import { toJsonLine } from './json-line.ts';
import type { StoredUsage } from './weak-span-index.ts';

const NS_PER_S = 1_000_000_000n;

/**
 * agent_usage_1m and agent_directory rows that move one span from the agent it was stored
 * under to the agent it was re-attributed to: minus for the old agent (when it had one), plus
 * for the new. The summaries sum these with the rows their materialized views wrote. The
 * directory rows carry no name or role state: the new agent's name comes from its own spans.
 */
export function compensationLines(stored: StoredUsage, newAgentId: string): { usage: string[]; directory: string[] } {
  const seconds = stored.startTimeUnixNano < 0n ? 0n : stored.startTimeUnixNano / NS_PER_S;
  const minute = (seconds / 60n) * 60n;
  const day = new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
  const at = nanosToDateTime64(stored.startTimeUnixNano);
  const llm = stored.kind === 'llm';
  const agent = stored.kind === 'agent';
  const input = countValue(stored.inputTokens);
  const output = countValue(stored.outputTokens);
  const cost = finiteValue(stored.costUsd);

  const usage = (agentId: string, sign: 1 | -1): string =>
    toJsonLine({
      AgentId: agentId,
      Minute: minute.toString(),
      TraceId: stored.traceId,
      Spans: sign,
      LlmSpans: llm ? sign : 0,
      LlmInputTokens: llm ? sign * input : 0,
      LlmOutputTokens: llm ? sign * output : 0,
      LlmCostUsd: llm ? sign * cost : 0,
      AgentSpanInputTokens: agent ? sign * input : 0,
      AgentSpanOutputTokens: agent ? sign * output : 0,
      AgentSpanCostUsd: agent ? sign * cost : 0,
      LastSeen: at,
    });
  const directory = (agentId: string, sign: 1 | -1): string =>
    toJsonLine({ AgentId: agentId, Day: day, FirstSeen: at, LastSeen: at, Spans: sign });

  const result = { usage: [usage(newAgentId, 1)], directory: [directory(newAgentId, 1)] };
  // The materialized views skip spans without an agent id, so there is nothing to take back.
  if (stored.agentId !== '') {
    result.usage.push(usage(stored.agentId, -1));
    result.directory.push(directory(stored.agentId, -1));
  }
  return result;
}
