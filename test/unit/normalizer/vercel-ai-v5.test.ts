import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { loadTraceFixture, rawTokenTotals } from './fixture-loader.ts';
import { expectToolFieldsOnlyOnTools, expectWeatherAndLoopingTools, LOOPING, llmTotals, WEATHER, workingAgents } from './fixture-expectations.ts';

const FILE = 'vercel-ai-v5.otlp.json';

describe('fixture: Vercel AI SDK 5 generateText with tools', () => {
  const spans = createNormalizer().normalizeTraces(loadTraceFixture(FILE));

  it('names the agents from ai.telemetry.functionId', () => {
    expect(workingAgents(spans)).toEqual([LOOPING, WEATHER]);
    expect(spans.every((s) => s.agentIdSource === 'span')).toBe(true);
  });

  it('treats ai.generateText as the agent turn and its doGenerate calls as the LLM spans', () => {
    const roots = spans.filter((s) => s.parentSpanId === '');
    expect(roots.map((s) => [s.name, s.kind])).toEqual([
      ['ai.generateText', 'agent'],
      ['ai.generateText', 'agent'],
    ]);
    expect(spans.filter((s) => s.kind === 'llm').every((s) => s.name === 'ai.generateText.doGenerate')).toBe(true);
  });

  it('recognises ai.toolCall spans and hashes ai.toolCall.args', () => {
    expectWeatherAndLoopingTools(spans);
    expectToolFieldsOnlyOnTools(spans);
  });

  it('reports each span as it is: LLM usage from the steps, the root keeps its own (last-step) usage', () => {
    const raw = rawTokenTotals(FILE, (s) => s.attributes['ai.operationId'] === 'ai.generateText.doGenerate', 'ai.usage.promptTokens', 'ai.usage.completionTokens');
    expect(raw.input).toBeGreaterThan(0);
    expect(llmTotals(spans)).toEqual(raw);
    const weatherRoot = spans.find((s) => s.kind === 'agent' && s.agentId === WEATHER);
    expect(weatherRoot?.inputTokens).toBe(200);
    expect(weatherRoot?.outputTokens).toBe(30);
  });

  it('takes the session from ai.telemetry.metadata.sessionId', () => {
    for (const s of spans) expect(s.sessionId).toBe(s.agentId === WEATHER ? 'sess-weather' : 'sess-looping');
  });
});
