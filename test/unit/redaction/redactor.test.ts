import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import type { Attributes, SpanEvent } from '../../../src/otlp/otlp-types.ts';
import { createRedactor, REDACTED_KEYS_ATTRIBUTE, type RedactionSettings } from '../../../src/redaction/create-redactor.ts';
import { withRedaction } from '../../../src/redaction/redacting-normalizer.ts';
import { makeRequest, makeSpan, sid } from '../normalizer/span-builder.ts';

const NONE: RedactionSettings = { prompts: false, keys: [], patterns: [], customPatterns: [], mode: 'remove' };
const VISA = '4111 1111 1111 1111'; // Luhn-valid test number
const NOT_A_CARD = '4111 1111 1111 1112';

function normalize(settings: Partial<RedactionSettings>, attributes: Attributes[], extra: { events?: SpanEvent[]; resource?: Attributes; status?: string } = {}): AgentSpan[] {
  const normalizer = withRedaction(createNormalizer(), createRedactor({ ...NONE, ...settings }));
  return normalizer.normalizeTraces(
    makeRequest(
      attributes.map((a, i) => makeSpan({ spanId: sid(i + 1), attributes: a, events: extra.events ?? [], status: { code: extra.status ? 2 : 0, message: extra.status ?? '' } })),
      extra.resource ?? { 'service.name': 'svc' },
    ),
  );
}

describe('redaction', () => {
  it('is off unless configured', () => {
    expect(createRedactor(NONE)).toBeNull();
  });

  it('removes message content under every convention Warden maps, and says which keys it removed', () => {
    const [span] = normalize({ prompts: true }, [
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"my card is 4111..."}]}]',
        'gen_ai.system_instructions': 'You are a helpful assistant',
        'gen_ai.prompt.0.content': 'hello',
        'llm.input_messages.0.message.content': 'hi',
        'input.value': '{"q":"secret"}',
        'ai.prompt.messages': '[...]',
        'traceloop.entity.output': '{"answer":42}',
        'gen_ai.usage.input_tokens': 120,
      },
    ], { events: [{ timeUnixNano: 1n, name: 'gen_ai.user.message', attributes: { content: 'what is my balance?', 'gen_ai.system': 'openai' } }] });
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 120,
      [REDACTED_KEYS_ATTRIBUTE]: [
        'gen_ai.input.messages',
        'gen_ai.system_instructions',
        'gen_ai.prompt.0.content',
        'llm.input_messages.0.message.content',
        'input.value',
        'ai.prompt.messages',
        'traceloop.entity.output',
        'gen_ai.user.message:content',
      ],
    });
    expect(span!.events[0]!.attributes).toEqual({ 'gen_ai.system': 'openai' });
    // What the normalizer read before redaction is kept.
    expect(span!.inputTokens).toBe(120);
    expect(span!.model).toBe('gpt-4o');
  });

  it('keeps the identity of a tool call after its arguments are removed, so loops are still seen', () => {
    const call = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'refund', 'gen_ai.tool.call.arguments': '{"card":"4111111111111111"}' };
    const [first, second] = normalize({ prompts: true }, [call, { ...call }]);
    expect(first!.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(first!.toolArgsHash).not.toBe('');
    expect(second!.toolArgsHash).toBe(first!.toolArgsHash);
  });

  it('redacts listed keys by glob, in span, resource and event attributes', () => {
    const [span] = normalize({ keys: ['user.email', 'http.request.header.*'] }, [{ 'user.email': 'a@b.co', 'http.request.header.authorization': 'Bearer x', 'http.method': 'GET' }], {
      resource: { 'service.name': 'svc', 'user.email': 'ops@corp.example' },
      events: [{ timeUnixNano: 1n, name: 'login', attributes: { 'user.email': 'a@b.co', ok: true } }],
    });
    expect(span!.attributes).toEqual({ 'http.method': 'GET', [REDACTED_KEYS_ATTRIBUTE]: ['user.email', 'http.request.header.authorization', 'login:user.email'] });
    expect(span!.resourceAttributes).toEqual({ 'service.name': 'svc' });
    expect(span!.events[0]!.attributes).toEqual({ ok: true });
  });

  it('replaces card numbers (Luhn-valid only), emails, SSNs and provider tokens inside any string, nested values and the status message included', () => {
    const [span] = normalize(
      { patterns: ['card_number', 'email', 'us_ssn', 'secret_token'] },
      [{ note: `charge ${VISA} for dana@example.com`, other: `order ${NOT_A_CARD}`, nested: ['ssn 078-05-1120', { key: 'sk-proj-abcdefghijklmnopqrstuvwx' }], count: 4111111111111111 }],
      { status: `card 4111-1111-1111-1111 declined` },
    );
    expect(span!.attributes['note']).toBe('charge [redacted:card_number] for [redacted:email]');
    expect(span!.attributes['other']).toBe(`order ${NOT_A_CARD}`);
    expect(span!.attributes['nested']).toEqual(['ssn [redacted:us_ssn]', { key: '[redacted:secret_token]' }]);
    expect(span!.statusMessage).toBe('card [redacted:card_number] declined');
    expect(span!.attributes[REDACTED_KEYS_ATTRIBUTE]).toBeUndefined();
  });

  it('hashes instead of removing in hash mode: stable for one key, different under another', () => {
    const settings: Partial<RedactionSettings> = { keys: ['user.id'], patterns: ['card_number'], mode: 'hash', hashKey: 'k'.repeat(32) };
    const [a] = normalize(settings, [{ 'user.id': 'u-1001', note: `pay ${VISA}` }]);
    const [b] = normalize(settings, [{ 'user.id': 'u-1001', note: `pay ${VISA}` }]);
    const [c] = normalize({ ...settings, hashKey: 'z'.repeat(32) }, [{ 'user.id': 'u-1001', note: `pay ${VISA}` }]);
    expect(a!.attributes['user.id']).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
    expect(a!.attributes['note']).toMatch(/^pay \[card_number:[0-9a-f]{12}\]$/);
    expect(b!.attributes).toEqual(a!.attributes);
    expect(c!.attributes['user.id']).not.toBe(a!.attributes['user.id']);
  });

  it('redacts resource attributes shared by several spans once, not once per span', () => {
    const spans = normalize({ keys: ['host.name'], patterns: ['email'], mode: 'hash', hashKey: 'k'.repeat(32) }, [{}, {}, {}], {
      resource: { 'service.name': 'svc', 'host.name': 'db-1', owner: 'ops@corp.example' },
    });
    const hashed = spans[0]!.resourceAttributes;
    expect(hashed['owner']).toMatch(/^\[email:[0-9a-f]{12}\]$/);
    for (const span of spans) expect(span.resourceAttributes).toEqual(hashed);
  });

  it('applies user patterns from the configuration', () => {
    const [span] = normalize({ customPatterns: [{ name: 'employee_id', regex: 'EMP-[0-9]{6}' }] }, [{ note: 'assigned to EMP-004211' }]);
    expect(span!.attributes['note']).toBe('assigned to [redacted:employee_id]');
  });

  it('scans megabyte values in linear time (a backtracking pattern would time this test out)', () => {
    const megabyte = (unit: string) => unit.repeat(Math.ceil(1_048_576 / unit.length)).slice(0, 1_048_576);
    const values = { digits: megabyte('4'), letters: megabyte('a'), dots: megabyte('a.'), dashes: megabyte('1-'), mailish: megabyte('a@b') };
    const started = process.hrtime.bigint();
    const [span] = normalize({ patterns: ['card_number', 'email', 'us_ssn', 'secret_token'] }, [values]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(typeof span!.attributes['digits']).toBe('string');
    // Generous: linear scans of 5 MB take well under a second; quadratic ones take hours.
    expect(seconds).toBeLessThan(20);
  });
});
