import { describe, expect, it } from 'vitest';
import { decodeLogsRequestJson } from '../../../src/otlp/decode-json.ts';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { loadTraceFixture, rawTokenTotals, readFixture } from './fixture-loader.ts';
import { expectToolFieldsOnlyOnTools, expectWeatherAndLoopingTools, LOOPING, llmTotals, WEATHER, workingAgents } from './fixture-expectations.ts';

const FILE = 'otel-openai-genai.otlp.json';

describe('fixture: OpenTelemetry GenAI (instrumentation-openai + hand-written agent spans)', () => {
  const request = loadTraceFixture(FILE);
  const spans = createNormalizer().normalizeTraces(request);

  it('keeps one span per input span, in order', () => {
    const input = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.spanId)));
    expect(spans.map((s) => s.spanId)).toEqual(input);
  });

  it('names the agents from gen_ai.agent.name on invoke_agent, inherited by the chat and tool spans', () => {
    expect(workingAgents(spans)).toEqual([LOOPING, WEATHER]);
    const agentSpans = spans.filter((s) => s.kind === 'agent');
    expect(agentSpans.map((s) => [s.agentId, s.agentIdSource])).toEqual([
      [WEATHER, 'span'],
      [LOOPING, 'span'],
    ]);
    // The invoke_agent span travels behind its children: they still inherit from it.
    for (const s of spans.filter((x) => x.kind !== 'agent')) expect(s.agentIdSource).toBe('ancestor');
  });

  it('recognises execute_tool spans and hashes gen_ai.tool.call.arguments', () => {
    expectWeatherAndLoopingTools(spans);
    expectToolFieldsOnlyOnTools(spans);
  });

  it('reports the usage of the chat spans, with the deprecated gen_ai.system as provider', () => {
    const raw = rawTokenTotals(FILE, (s) => s.attributes['gen_ai.operation.name'] === 'chat', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens');
    expect(llmTotals(spans)).toEqual(raw);
    expect(raw.input).toBeGreaterThan(0);
    for (const s of spans.filter((x) => x.kind === 'llm')) {
      expect(s.model).toBe('mock-gpt-1');
      expect(s.provider).toBe('openai');
      expect(s.costUsd).toBe(0); // mock-gpt-1 has no price
    }
  });

  it('has no session: the capture sets no gen_ai.conversation.id, so sessionId stays empty', () => {
    for (const s of spans) expect(s.sessionId).toBe('');
  });

  it('maps OTLP status: invoke_agent OK, the rest unset', () => {
    expect(spans.filter((s) => s.kind === 'agent').every((s) => s.status === 'ok')).toBe(true);
    expect(spans.filter((s) => s.kind !== 'agent').every((s) => s.status === 'unset' && s.errorType === '')).toBe(true);
  });

  it('finds no outcome signal among the GenAI message log records of the same run', () => {
    const decoded = decodeLogsRequestJson(readFixture('otel-openai-genai-logs.otlp.json'));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const records = decoded.value.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
    expect(records.length).toBeGreaterThan(0);
    expect(createNormalizer().normalizeLogs(decoded.value)).toEqual([]);
  });
});
