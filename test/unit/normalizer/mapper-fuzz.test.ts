// Property-based fuzzing of the attribute mappers and the normalizer (issue "Bad input and
// security"); the properties are in test/fuzz/mapper-properties.ts, shared with scripts/fuzz.ts.
import { boundedIdentifier, MAX_IDENTIFIER_CHARS } from '../../../src/normalizer/bounded-identifier.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import type { Attributes, TraceRequest } from '../../../src/otlp/otlp-types.ts';
import { MEGABYTE_STRINGS } from '../../fuzz/mapper-arbitraries.ts';
import { BARE_SPAN, mapperProperties } from '../../fuzz/mapper-properties.ts';

describe('mappers and normalizer under fuzzing', () => {
  for (const { name, property } of mapperProperties()) {
    it(name, () => {
      fc.assert(property, { numRuns: 1000 });
    });
  }
});

function requestOf(spans: Attributes[], resource: Attributes = { 'service.name': 'svc' }): TraceRequest {
  return {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            scope: { name: '', version: '', attributes: {} },
            spans: spans.map((attributes, i) => ({ ...BARE_SPAN, spanId: (i + 1).toString(16).padStart(16, '0'), attributes })),
          },
        ],
      },
    ],
  };
}

describe('hostile values the mappers must shrug off', () => {
  it('1 MiB values in every field a mapper reads, and a 1 MiB agent id bounded to its first characters and a hash', () => {
    const [agentId] = MEGABYTE_STRINGS;
    const attributes: Attributes = {
      'agent.id': agentId!,
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': MEGABYTE_STRINGS[1]!,
      'gen_ai.tool.call.arguments': MEGABYTE_STRINGS[3]!,
      'agent.data.classes': MEGABYTE_STRINGS[1]!,
      'gen_ai.request.model': MEGABYTE_STRINGS[7]!,
      'gen_ai.usage.input_tokens': MEGABYTE_STRINGS[0]!,
      'agent.session.id': MEGABYTE_STRINGS[6]!,
    };
    const start = performance.now();
    const [span] = createNormalizer().normalizeTraces(requestOf([attributes]));
    expect(performance.now() - start).toBeLessThan(2000);
    expect(span?.agentId).toBe(boundedIdentifier(agentId!));
    expect(span?.agentId).toHaveLength(MAX_IDENTIFIER_CHARS);
    expect(span?.kind).toBe('tool');
    expect(span?.toolArgsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(span?.dataClasses).toEqual([]);
    expect(span?.inputTokens).toBe(0);
    expect(span?.costUsd).toBe(0);
  });

  it('NaN, Infinity, negative and non-numeric token counts and costs count as not reported', () => {
    const cases: Attributes[] = [
      { 'gen_ai.usage.input_tokens': Number.NaN, 'gen_ai.usage.output_tokens': Number.POSITIVE_INFINITY, 'agent.cost.usd': Number.NEGATIVE_INFINITY },
      { 'gen_ai.usage.input_tokens': -5, 'gen_ai.usage.output_tokens': '-1', 'agent.cost.usd': -0.01 },
      { 'gen_ai.usage.input_tokens': '1e400', 'gen_ai.usage.output_tokens': 'NaN', 'agent.cost.usd': 'Infinity' },
      { 'gen_ai.usage.input_tokens': [1, 2], 'gen_ai.usage.output_tokens': { n: 3 }, 'agent.cost.usd': true },
    ];
    for (const span of createNormalizer().normalizeTraces(requestOf(cases.map((c) => ({ ...c, 'gen_ai.request.model': 'gpt-4o' }))))) {
      expect([span.inputTokens, span.outputTokens, span.costUsd]).toEqual([0, 0, 0]);
    }
  });

  // Regression: a finite but absurd token count priced by the table overflowed to Infinity;
  // counts are now capped at 2^53.
  it('bug: token counts near 1e308 priced a known model at Infinity USD', () => {
    const [span] = createNormalizer().normalizeTraces(
      requestOf([{ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 1e308, 'gen_ai.usage.output_tokens': '1e308' }]),
    );
    expect(Number.isFinite(span?.costUsd)).toBe(true);
  });

  // Regression: resolving a model name tried the rest of the name after every '.' and '/':
  // quadratic in the name. One span with a 16 KiB dotted model name cost ~0.2 s of event loop;
  // 4 000 of them (64 MiB, the default request limit) ~13 min. Long names are now unpriced.
  it('bug: a model name of 16 KiB of dots cost quadratic time to price', () => {
    const spans = Array.from({ length: 3 }, (_, i) => ({ 'gen_ai.request.model': `${i}${'.'.repeat(16 * 1024)}`, 'gen_ai.usage.input_tokens': 10 }));
    const start = performance.now();
    createNormalizer().normalizeTraces(requestOf(spans));
    expect(performance.now() - start).toBeLessThan(200);
  });
});
