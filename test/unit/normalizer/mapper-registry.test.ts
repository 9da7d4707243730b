import { describe, expect, it } from 'vitest';
import { MAPPERS, mapSpan } from '../../../src/normalizer/mapper-registry.ts';
import { makeSpan } from './span-builder.ts';

describe('mapper registry', () => {
  it('runs agent.*, then gen_ai.*, then the frameworks', () => {
    expect(MAPPERS.map((m) => m.name)).toEqual(['agent', 'gen_ai', 'vercel-ai', 'openinference', 'openllmetry']);
  });

  it('gives each field the first non-empty value in priority order', () => {
    const out = mapSpan(
      makeSpan({
        attributes: {
          'agent.id': 'warden-named',
          'gen_ai.agent.name': 'genai-named',
          'gen_ai.operation.name': 'chat',
          'openinference.span.kind': 'TOOL',
          'llm.model_name': 'oi-model',
          'gen_ai.usage.input_tokens': 5,
          'llm.token_count.prompt': 50,
          'llm.token_count.completion': 7,
          'session.id': 'oi-session',
        },
      }),
    );
    expect(out).toMatchObject({
      agentId: 'warden-named',
      agentName: 'genai-named',
      kind: 'llm',
      model: 'oi-model',
      inputTokens: 5,
      outputTokens: 7,
      sessionId: 'oi-session',
    });
  });
});
