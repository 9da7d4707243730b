import { describe, expect, it } from 'vitest';
import { createMappedFields } from '../../../src/normalizer/mapped-fields.ts';
import { genAiMapper } from '../../../src/normalizer/mappers/gen-ai-mapper.ts';
import type { Attributes } from '../../../src/otlp/otlp-types.ts';
import { makeSpan } from './span-builder.ts';

function map(attributes: Attributes) {
  const out = createMappedFields();
  genAiMapper.map(makeSpan({ attributes }), out);
  return out;
}

describe('GenAI mapper (gen_ai.* v1.41)', () => {
  it.each([
    ['invoke_agent', 'agent'],
    ['create_agent', 'agent'],
    ['invoke_workflow', 'agent'],
    ['chat', 'llm'],
    ['generate_content', 'llm'],
    ['text_completion', 'llm'],
    ['embeddings', 'llm'],
    ['execute_tool', 'tool'],
    ['retrieval', ''],
    ['something_newer', ''],
  ])('operation %s is kind %s', (operation, kind) => {
    expect(map({ 'gen_ai.operation.name': operation }).kind).toBe(kind);
  });

  it('prefers gen_ai.agent.id over gen_ai.agent.name for the identity, and keeps the name', () => {
    const out = map({ 'gen_ai.agent.id': 'asst_1', 'gen_ai.agent.name': 'Math tutor' });
    expect([out.agentId, out.agentName]).toEqual(['asst_1', 'Math tutor']);
    expect(map({ 'gen_ai.agent.name': 'Math tutor' }).agentId).toBe('Math tutor');
  });

  it('names an invoke_workflow span after its workflow, as a container not an agent', () => {
    const out = map({ 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'refunds' });
    expect([out.agentId, out.containerName]).toEqual(['', 'refunds']);
  });

  it('reads the current and the deprecated names', () => {
    const current = map({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.system': 'legacy',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.prompt_tokens': 99,
      'gen_ai.usage.output_tokens': 5,
    });
    expect([current.provider, current.inputTokens, current.outputTokens]).toEqual(['anthropic', 10, 5]);
    const deprecated = map({ 'gen_ai.system': 'openai', 'gen_ai.usage.prompt_tokens': 7, 'gen_ai.usage.completion_tokens': 3 });
    expect([deprecated.provider, deprecated.inputTokens, deprecated.outputTokens]).toEqual(['openai', 7, 3]);
  });

  it('keeps a reported zero as a value', () => {
    expect(map({ 'gen_ai.usage.input_tokens': 0 }).inputTokens).toBe(0);
    expect(map({}).inputTokens).toBe(-1);
  });

  it('prices by the response model (the one that answered), else the request model', () => {
    expect(map({ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06' }).model).toBe('gpt-4o-2024-08-06');
    expect(map({ 'gen_ai.request.model': 'gpt-4o' }).model).toBe('gpt-4o');
  });

  it('takes session, tool name and structured or string arguments', () => {
    const out = map({ 'gen_ai.conversation.id': 'conv_1', 'gen_ai.tool.name': 'search', 'gen_ai.tool.call.arguments': { q: 'x' } });
    expect([out.sessionId, out.toolName, out.toolArgs]).toEqual(['conv_1', 'search', { q: 'x' }]);
    expect(map({ 'gen_ai.tool.call.arguments': '{"q":"x"}' }).toolArgs).toBe('{"q":"x"}');
  });
});
