import { describe, expect, it } from 'vitest';
import { createMappedFields } from '../../../src/normalizer/mapped-fields.ts';
import { vercelAiMapper } from '../../../src/normalizer/mappers/vercel-ai-mapper.ts';
import type { Attributes } from '../../../src/otlp/otlp-types.ts';
import { makeSpan } from './span-builder.ts';

function map(attributes: Attributes) {
  const out = createMappedFields();
  vercelAiMapper.map(makeSpan({ attributes }), out);
  return out;
}

describe('Vercel AI SDK mapper (ai.*)', () => {
  it.each([
    ['ai.generateText', 'agent'],
    ['ai.streamText', 'agent'],
    ['ai.generateObject', 'agent'],
    ['ai.streamObject', 'agent'],
    ['ai.generateText.doGenerate', 'llm'],
    ['ai.streamText.doStream', 'llm'],
    ['ai.embedMany.doEmbed', 'llm'],
    ['ai.toolCall', 'tool'],
    ['ai.embed', ''],
  ])('operation %s is kind %s', (operationId, kind) => {
    expect(map({ 'ai.operationId': operationId }).kind).toBe(kind);
  });

  it('ignores spans that are not AI SDK spans', () => {
    expect(map({ 'ai.telemetry.functionId': 'x', 'ai.toolCall.name': 't' })).toEqual(createMappedFields());
  });

  it('reads identity, session, tool, model and provider', () => {
    const out = map({
      'ai.operationId': 'ai.toolCall',
      'ai.telemetry.functionId': 'support-bot',
      'ai.telemetry.metadata.sessionId': 'sess-1',
      'ai.toolCall.name': 'lookup',
      'ai.toolCall.args': '{"id":1}',
      'ai.model.id': 'gpt-4o',
      'ai.response.model': 'gpt-4o-2024-11-20',
      'ai.model.provider': 'openai.chat',
    });
    expect(out).toMatchObject({
      agentId: 'support-bot',
      sessionId: 'sess-1',
      toolName: 'lookup',
      toolArgs: '{"id":1}',
      model: 'gpt-4o-2024-11-20',
      provider: 'openai.chat',
    });
  });

  it('reads v5+ inputTokens/outputTokens, the older promptTokens/completionTokens, and embedding tokens', () => {
    const v5 = map({ 'ai.operationId': 'ai.generateText.doGenerate', 'ai.usage.inputTokens': 12, 'ai.usage.outputTokens': 3 });
    expect([v5.inputTokens, v5.outputTokens]).toEqual([12, 3]);
    const v4 = map({ 'ai.operationId': 'ai.generateText.doGenerate', 'ai.usage.promptTokens': 8, 'ai.usage.completionTokens': 2 });
    expect([v4.inputTokens, v4.outputTokens]).toEqual([8, 2]);
    const embed = map({ 'ai.operationId': 'ai.embed.doEmbed', 'ai.usage.tokens': 40 });
    expect([embed.inputTokens, embed.outputTokens]).toEqual([40, -1]);
  });
});
