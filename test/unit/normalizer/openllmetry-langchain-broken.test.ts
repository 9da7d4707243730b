import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { loadTraceFixture, rawTokenTotals } from './fixture-loader.ts';
import { expectToolFieldsOnlyOnTools, llmTotals } from './fixture-expectations.ts';

const FILE = 'openllmetry-langchain-broken.otlp.json';

describe('fixture: OpenLLMetry instrumenting LangChain, every span its own trace', () => {
  const request = loadTraceFixture(FILE);
  const spans = createNormalizer().normalizeTraces(request);
  const service = String(request.resourceSpans[0]?.resource['service.name']);

  it('maps every span without crashing and invents no parent structure', () => {
    const count = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length;
    expect(spans).toHaveLength(count);
    expect(spans.every((s) => s.parentSpanId === '')).toBe(true);
    expect(spans.some((s) => s.agentIdSource === 'ancestor')).toBe(false);
  });

  it('attributes LLM and tool spans, which name no agent, to the service', () => {
    for (const s of spans.filter((x) => x.kind === 'llm' || x.kind === 'tool')) {
      expect([s.agentId, s.agentIdSource]).toEqual([service, 'service']);
    }
  });

  it('still recognises the tools (execute_tool), with the argument hashes of the real calls', () => {
    const tools = spans.filter((s) => s.kind === 'tool');
    expect(tools).toHaveLength(7);
    expect(new Set(tools.map((s) => s.toolName))).toEqual(new Set(['DynamicStructuredTool']));
    const [paris, tokyo, convert, ...search] = tools.map((s) => s.toolArgsHash);
    expect(new Set([paris, tokyo, convert]).size).toBe(3);
    expect(search).toHaveLength(4);
    expect(new Set(search).size).toBe(1);
    expect(search[0]).not.toBe(paris);
    expectToolFieldsOnlyOnTools(spans);
  });

  it('reports the doubled LLM spans as sent (LangChain and OpenAI instrumentations both record each call)', () => {
    const raw = rawTokenTotals(FILE, (s) => s.attributes['gen_ai.operation.name'] === 'chat', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens');
    expect(spans.filter((s) => s.kind === 'llm')).toHaveLength(18);
    expect(llmTotals(spans)).toEqual(raw);
  });

  it('makes the workflow spans agent spans named after their (LangChain class) workflow name', () => {
    const workflows = spans.filter((s) => s.attributes['traceloop.span.kind'] === 'workflow');
    expect(workflows.length).toBeGreaterThan(0);
    for (const s of workflows) {
      expect(s.kind).toBe('agent');
      expect(s.agentId).toBe(s.attributes['traceloop.workflow.name']);
    }
  });
});
