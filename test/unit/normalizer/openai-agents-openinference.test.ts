import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { loadTraceFixture, rawTokenTotals } from './fixture-loader.ts';
import { expectToolFieldsOnlyOnTools, expectWeatherAndLoopingTools, LOOPING, llmTotals, WEATHER, workingAgents } from './fixture-expectations.ts';

// The same agents captured in both model-API modes of the SDK: the mapping must not care.
describe.each([
  ['openai-agents-openinference.otlp.json', 'Responses API'],
  ['openai-agents-openinference-chat.otlp.json', 'Chat Completions'],
])('fixture: %s (OpenAI Agents JS + OpenInference, %s)', (FILE) => {
  const spans = createNormalizer().normalizeTraces(loadTraceFixture(FILE));

  it('names each agent from graph.node.id on its AGENT span; turns, LLM and tool spans inherit it', () => {
    expect(workingAgents(spans)).toEqual([LOOPING, WEATHER]);
    const named = spans.filter((s) => s.attributes['graph.node.id'] !== undefined);
    expect(named.map((s) => [s.agentId, s.kind, s.agentIdSource])).toEqual([
      [WEATHER, 'agent', 'span'],
      [LOOPING, 'agent', 'span'],
    ]);
  });

  it('keeps the SDK trace root ("Agent workflow", an AGENT span without agent attributes) as its own container', () => {
    const roots = spans.filter((s) => s.parentSpanId === '');
    expect(roots.map((s) => [s.agentId, s.kind])).toEqual([
      ['Agent workflow', 'agent'],
      ['Agent workflow', 'agent'],
    ]);
    // A container above an agent is not a delegating agent.
    expect(spans.every((s) => s.delegationFrom === '')).toBe(true);
  });

  it('recognises TOOL spans and hashes their JSON input.value', () => {
    expectWeatherAndLoopingTools(spans);
    expectToolFieldsOnlyOnTools(spans);
  });

  it('reports the LLM spans token counts and provider', () => {
    const raw = rawTokenTotals(FILE, (s) => s.attributes['openinference.span.kind'] === 'LLM', 'llm.token_count.prompt', 'llm.token_count.completion');
    expect(raw.input).toBeGreaterThan(0);
    expect(llmTotals(spans)).toEqual(raw);
    for (const s of spans.filter((x) => x.kind === 'llm')) {
      expect(s.model).toBe('mock-gpt-1');
      expect(s.provider).toBe('openai');
    }
  });

  it('has no session: the instrumentation exports no session.id, so sessionId stays empty', () => {
    for (const s of spans) expect(s.sessionId).toBe('');
  });
});
