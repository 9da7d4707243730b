import { describe, expect, it } from 'vitest';
import { compensationLines } from '../../../src/store/usage-compensation.ts';
import { createWeakSpanIndex, mayBeReattributed } from '../../../src/store/weak-span-index.ts';
import { agentSpan, hexId } from '../../integration/store/fixtures/agent-span-fixture.ts';

describe('weak span index', () => {
  it('remembers only spans whose agent may still be corrected', () => {
    expect(mayBeReattributed(agentSpan({ agentIdSource: 'service', parentSpanId: 'abc' }))).toBe(true);
    expect(mayBeReattributed(agentSpan({ agentIdSource: 'none', parentSpanId: 'abc' }))).toBe(true);
    expect(mayBeReattributed(agentSpan({ agentIdSource: 'service', parentSpanId: '' }))).toBe(false);
    expect(mayBeReattributed(agentSpan({ agentIdSource: 'span', parentSpanId: 'abc' }))).toBe(false);
    expect(mayBeReattributed(agentSpan({ agentIdSource: 'ancestor', parentSpanId: 'abc' }))).toBe(false);
  });

  it('stays within its bound, forgetting the oldest generation', () => {
    const index = createWeakSpanIndex(4);
    for (let i = 0; i < 10; i++) index.add(agentSpan({ spanId: hexId(i, 16) }));
    expect(index.size).toBeLessThanOrEqual(4);
    expect(index.get(agentSpan().traceId, hexId(9, 16))).toBeDefined();
    expect(index.get(agentSpan().traceId, hexId(0, 16))).toBeUndefined();
    index.delete(agentSpan().traceId, hexId(9, 16));
    expect(index.get(agentSpan().traceId, hexId(9, 16))).toBeUndefined();
  });
});

describe('compensationLines', () => {
  it('moves an LLM span from the old agent to the new one', () => {
    const stored = { agentId: 'svc', traceId: 't', startTimeUnixNano: 1_700_000_061_500_000_000n, kind: 'llm' as const, inputTokens: 10, outputTokens: 2, costUsd: 0.5 };
    const { usage, directory } = compensationLines(stored, 'agent-a');
    expect(usage.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ AgentId: 'agent-a', Minute: '1700000040', Spans: 1, LlmSpans: 1, LlmInputTokens: 10, LlmOutputTokens: 2, LlmCostUsd: 0.5, AgentSpanInputTokens: 0 }),
      expect.objectContaining({ AgentId: 'svc', Spans: -1, LlmSpans: -1, LlmInputTokens: -10, LlmOutputTokens: -2, LlmCostUsd: -0.5 }),
    ]);
    expect(directory.map((line) => JSON.parse(line))).toEqual([
      { AgentId: 'agent-a', Day: '2023-11-14', FirstSeen: '1700000061.500000000', LastSeen: '1700000061.500000000', Spans: 1 },
      { AgentId: 'svc', Day: '2023-11-14', FirstSeen: '1700000061.500000000', LastSeen: '1700000061.500000000', Spans: -1 },
    ]);
  });

  it('only adds when the span was stored without an agent', () => {
    const stored = { agentId: '', traceId: 't', startTimeUnixNano: 0n, kind: 'tool' as const, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    const { usage, directory } = compensationLines(stored, 'agent-a');
    expect(usage).toHaveLength(1);
    expect(directory).toHaveLength(1);
  });
});
