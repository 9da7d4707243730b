import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { boundedIdentifier, MAX_IDENTIFIER_CHARS } from '../../../src/normalizer/bounded-identifier.ts';
import { makeRequest, makeSpan } from './span-builder.ts';

describe('bounded identifiers', () => {
  it('keeps ids up to the limit as they are', () => {
    const id = 'a'.repeat(MAX_IDENTIFIER_CHARS);
    expect(boundedIdentifier(id)).toBe(id);
    expect(boundedIdentifier('')).toBe('');
  });

  it('cuts longer ids to the limit, readable and still distinct, the same every time', () => {
    const one = `tenant-7/${'x'.repeat(1024 * 1024)}`;
    const two = `${one.slice(0, -1)}y`;
    const bounded = boundedIdentifier(one);
    expect(bounded).toHaveLength(MAX_IDENTIFIER_CHARS);
    expect(bounded.startsWith('tenant-7/xxx')).toBe(true);
    expect(bounded).toMatch(/~[0-9a-f]{16}$/);
    expect(boundedIdentifier(two)).not.toBe(bounded);
    expect(boundedIdentifier(one)).toBe(bounded);
  });

  it('never splits a surrogate pair', () => {
    const bounded = boundedIdentifier('\u{1F600}'.repeat(400));
    expect(bounded.isWellFormed()).toBe(true);
  });

  it('bounds the agent, session, tool and model of a mapped span', () => {
    const huge = 'q'.repeat(100_000);
    const [span] = createNormalizer().normalizeTraces(
      makeRequest([makeSpan({ attributes: { 'gen_ai.agent.id': huge, 'gen_ai.conversation.id': huge, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': huge, 'gen_ai.request.model': huge } })]),
    );
    for (const value of [span!.agentId, span!.sessionId, span!.toolName, span!.model]) expect(value.length).toBe(MAX_IDENTIFIER_CHARS);
  });
});
