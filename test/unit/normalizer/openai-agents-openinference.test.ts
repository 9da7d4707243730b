import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { loadTraceFixture, rawSpans, rawTokenTotals } from './fixture-loader.ts';
import { expectToolFieldsOnlyOnTools, expectWeatherAndLoopingTools, LOOPING, llmTotals, namedAgents, WEATHER, workingAgents } from './fixture-expectations.ts';

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

  it('takes no agent from the SDK trace root (a workflow around the AGENT spans): it is stored under the service, kind other', () => {
    const roots = spans.filter((s) => s.parentSpanId === '');
    expect(roots).toHaveLength(2);
    const service = roots[0]?.serviceName ?? '';
    expect(service).not.toBe('');
    expect(roots.map((s) => [s.agentId, s.agentIdSource, s.kind])).toEqual([
      [service, 'service', 'other'],
      [service, 'service', 'other'],
    ]);
    // Every span is still emitted, the root with its own name.
    expect(spans).toHaveLength(rawSpans(FILE).length);
    expect(new Set(namedAgents(spans))).toEqual(new Set([LOOPING, WEATHER]));
    expect(roots.some((root) => spans.some((s) => s.agentId === root.name))).toBe(false);
    // A container above an agent is not a delegating agent.
    expect(spans.every((s) => s.delegationFrom === '')).toBe(true);
  });

  it('resolves the span between the workflow root and the agent like any span with no agent above it', () => {
    const agentSpanIds = new Set(spans.filter((s) => s.attributes['graph.node.id'] !== undefined).map((s) => s.parentSpanId));
    const between = spans.filter((s) => agentSpanIds.has(s.spanId));
    expect(between).toHaveLength(2);
    expect(between.every((s) => s.agentIdSource === 'service' && s.kind === 'other')).toBe(true);
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
