import { describe, expect, it } from 'vitest';
import { createMappedFields } from '../../../src/normalizer/mapped-fields.ts';
import { openInferenceMapper } from '../../../src/normalizer/mappers/openinference-mapper.ts';
import type { Span } from '../../../src/otlp/otlp-types.ts';
import { makeSpan, sid } from './span-builder.ts';

function map(fields: Partial<Span>) {
  const out = createMappedFields();
  openInferenceMapper.map(makeSpan({ parentSpanId: sid(99), ...fields }), out);
  return out;
}

describe('OpenInference mapper', () => {
  it.each([
    ['AGENT', 'agent'],
    ['LLM', 'llm'],
    ['EMBEDDING', 'llm'],
    ['TOOL', 'tool'],
    ['CHAIN', ''],
    ['RETRIEVER', ''],
  ])('span kind %s (not a root) is kind %s', (spanKind, kind) => {
    expect(map({ attributes: { 'openinference.span.kind': spanKind } }).kind).toBe(kind);
  });

  it('makes a root CHAIN the agent run, named after the span', () => {
    const out = map({ parentSpanId: '', name: 'research-agent', attributes: { 'openinference.span.kind': 'CHAIN' } });
    // Guessed from the span name: it yields to an agent named below (workflow-containers.ts).
    expect([out.kind, out.agentId, out.containerName, out.containerNameGuessed]).toEqual(['agent', '', 'research-agent', true]);
  });

  it('names an agent by agent.name, else graph.node.id on an AGENT span; the span name is only a container', () => {
    expect(map({ attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'planner', 'graph.node.id': 'n1' } }).agentId).toBe('planner');
    const byNode = map({ name: 'Agent run', attributes: { 'openinference.span.kind': 'AGENT', 'graph.node.id': 'triage' } });
    expect([byNode.agentId, byNode.containerName]).toEqual(['triage', 'Agent run']);
    // graph.node.id elsewhere is a graph node, not an agent.
    expect(map({ attributes: { 'openinference.span.kind': 'CHAIN', 'graph.node.id': 'tools' } }).agentId).toBe('');
  });

  it('reads tool.name and input.value only on tool spans', () => {
    const tool = map({ attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'search', 'input.value': '{"q":1}' } });
    expect([tool.toolName, tool.toolArgs]).toEqual(['search', '{"q":1}']);
    const llm = map({ attributes: { 'openinference.span.kind': 'LLM', 'tool.name': 'search', 'input.value': 'prompt' } });
    expect([llm.toolName, llm.toolArgs]).toEqual(['', undefined]);
  });

  it('reads model, provider (hosting provider first), tokens, cost and session', () => {
    const out = map({
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o',
        'llm.provider': 'azure',
        'llm.system': 'openai',
        'llm.token_count.prompt': 100,
        'llm.token_count.completion': 20,
        'llm.cost.total': 0.0045,
        'session.id': 'sess',
      },
    });
    expect(out).toMatchObject({ model: 'gpt-4o', provider: 'azure', inputTokens: 100, outputTokens: 20, costUsd: 0.0045, sessionId: 'sess' });
    expect(map({ attributes: { 'openinference.span.kind': 'EMBEDDING', 'embedding.model_name': 'text-embedding-3-small' } }).model).toBe(
      'text-embedding-3-small',
    );
  });
});
