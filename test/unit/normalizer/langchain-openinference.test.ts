import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { loadTraceFixture, rawTokenTotals } from './fixture-loader.ts';
import { expectToolFieldsOnlyOnTools, expectWeatherAndLoopingTools, LOOPING, llmTotals, WEATHER, workingAgents } from './fixture-expectations.ts';

const FILE = 'langchain-openinference.otlp.json';

describe('fixture: LangChain createAgent + OpenInference', () => {
  const spans = createNormalizer().normalizeTraces(loadTraceFixture(FILE));

  it('takes the agent from the root CHAIN span (the run LangGraph starts), sent last, for all its descendants', () => {
    expect(workingAgents(spans)).toEqual([LOOPING, WEATHER]);
    const roots = spans.filter((s) => s.parentSpanId === '');
    expect(roots.map((s) => [s.agentId, s.kind, s.agentIdSource])).toEqual([
      [WEATHER, 'agent', 'span'],
      [LOOPING, 'agent', 'span'],
    ]);
    expect(spans.filter((s) => s.parentSpanId !== '').every((s) => s.agentIdSource === 'ancestor')).toBe(true);
  });

  it('recognises TOOL spans; their input.value is plain text here, still distinct per call', () => {
    expectWeatherAndLoopingTools(spans);
    expectToolFieldsOnlyOnTools(spans);
  });

  it('reports the LLM spans token counts', () => {
    const raw = rawTokenTotals(FILE, (s) => s.attributes['openinference.span.kind'] === 'LLM', 'llm.token_count.prompt', 'llm.token_count.completion');
    expect(raw.input).toBeGreaterThan(0);
    expect(llmTotals(spans)).toEqual(raw);
    expect(spans.filter((s) => s.kind === 'llm').every((s) => s.model === 'mock-gpt-1')).toBe(true);
  });

  it('takes the session from session.id', () => {
    for (const s of spans) expect(s.sessionId).toBe(`thread-${s.agentId}`);
  });

  it('leaves intermediate CHAIN spans as other', () => {
    const chains = spans.filter((s) => s.attributes['openinference.span.kind'] === 'CHAIN' && s.parentSpanId !== '');
    expect(chains.length).toBeGreaterThan(0);
    expect(chains.every((s) => s.kind === 'other')).toBe(true);
  });
});
