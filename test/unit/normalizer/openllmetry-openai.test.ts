import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { loadTraceFixture, rawTokenTotals } from './fixture-loader.ts';
import { expectToolFieldsOnlyOnTools, expectWeatherAndLoopingTools, LOOPING, llmTotals, WEATHER, workingAgents } from './fixture-expectations.ts';

const FILE = 'openllmetry-openai.otlp.json';

describe('fixture: OpenLLMetry (Traceloop node SDK) with a hand-written agent loop', () => {
  const spans = createNormalizer().normalizeTraces(loadTraceFixture(FILE));

  it('names the agents from gen_ai.agent.name, which Traceloop sets on every span inside an agent', () => {
    expect(workingAgents(spans)).toEqual([LOOPING, WEATHER]);
    const agents = spans.filter((s) => s.attributes['traceloop.span.kind'] === 'agent');
    expect(agents.map((s) => [s.agentId, s.kind])).toEqual([
      [WEATHER, 'agent'],
      [LOOPING, 'agent'],
    ]);
  });

  it('names a workflow span after its workflow (it carries no agent name)', () => {
    const workflows = spans.filter((s) => s.attributes['traceloop.span.kind'] === 'workflow');
    expect(workflows.map((s) => [s.agentId, s.kind, s.agentIdSource])).toEqual([
      ['weather-agent-workflow', 'agent', 'span'],
      ['looping-agent-workflow', 'agent', 'span'],
    ]);
    expect(spans.every((s) => s.delegationFrom === '')).toBe(true);
  });

  it('recognises tool spans and hashes traceloop.entity.input without its args/kwargs envelope', () => {
    expectWeatherAndLoopingTools(spans);
    expectToolFieldsOnlyOnTools(spans);
  });

  it('gives the same arguments hash as the GenAI capture for the same call', () => {
    const genAi = createNormalizer().normalizeTraces(loadTraceFixture('otel-openai-genai.otlp.json'));
    const hashes = (list: typeof spans) => new Set(list.filter((s) => s.kind === 'tool').map((s) => s.toolArgsHash));
    expect(hashes(spans)).toEqual(hashes(genAi));
  });

  it('reports the chat spans usage', () => {
    const raw = rawTokenTotals(FILE, (s) => s.attributes['gen_ai.operation.name'] === 'chat', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens');
    expect(raw.input).toBeGreaterThan(0);
    expect(llmTotals(spans)).toEqual(raw);
  });

  it('has no session: only a user_id association property is set', () => {
    for (const s of spans) expect(s.sessionId).toBe('');
  });
});
