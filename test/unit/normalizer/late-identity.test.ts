import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { makeRequest, makeSpan, sid, TRACE_A, TRACE_B } from './span-builder.ts';

const root = makeSpan({
  spanId: sid(1),
  name: 'invoke_agent planner',
  attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'planner', 'gen_ai.conversation.id': 'conv-1' },
});
const chat = makeSpan({ spanId: sid(2), parentSpanId: sid(1), attributes: { 'gen_ai.operation.name': 'chat' } });
const tool = makeSpan({ spanId: sid(3), parentSpanId: sid(1), attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } });
const toolChild = makeSpan({ spanId: sid(4), parentSpanId: sid(3), attributes: { 'http.request.method': 'GET' } });

describe('late agent identity (children exported before their root)', () => {
  it('stores children under the service until the root arrives, then re-attributes them', () => {
    const normalizer = createNormalizer();
    const early = normalizer.normalizeTraces(makeRequest([toolChild, chat, tool], { 'service.name': 'planner-svc' }));
    expect(early.map((span) => [span.agentId, span.agentIdSource])).toEqual([
      ['planner-svc', 'service'],
      ['planner-svc', 'service'],
      ['planner-svc', 'service'],
    ]);
    expect(normalizer.takeReattributions()).toEqual([]);

    normalizer.normalizeTraces(makeRequest([root], { 'service.name': 'planner-svc' }));
    const corrected = normalizer.takeReattributions();
    expect(corrected.map((r) => [r.spanId, r.agentId, r.sessionId]).sort()).toEqual([
      [sid(2), 'planner', 'conv-1'],
      [sid(3), 'planner', 'conv-1'],
      [sid(4), 'planner', 'conv-1'],
    ]);
    expect(corrected.every((r) => r.traceId === TRACE_A)).toBe(true);
    // Drained: asking again returns nothing new.
    expect(normalizer.takeReattributions()).toEqual([]);

    // A span of the same subtree arriving after the root inherits directly.
    const late = normalizer.normalizeTraces(makeRequest([makeSpan({ spanId: sid(5), parentSpanId: sid(4) })]));
    expect(late[0]?.agentId).toBe('planner');
    expect(late[0]?.agentIdSource).toBe('ancestor');
  });

  it('does not re-attribute spans of another trace that share the parent span id', () => {
    const normalizer = createNormalizer();
    normalizer.normalizeTraces(makeRequest([{ ...chat, traceId: TRACE_B }]));
    normalizer.normalizeTraces(makeRequest([root]));
    expect(normalizer.takeReattributions()).toEqual([]);
  });

  it('keeps the spans waiting for an ancestor bounded by the cache size', () => {
    const normalizer = createNormalizer({ identityCacheSpans: 10 });
    const orphans = Array.from({ length: 100 }, (_, i) => makeSpan({ spanId: sid(100 + i), parentSpanId: sid(1) }));
    normalizer.normalizeTraces(makeRequest(orphans));
    normalizer.normalizeTraces(makeRequest([root]));
    const corrected = normalizer.takeReattributions();
    // Only the most recent waiting spans are remembered; the rest keep their stored identity.
    expect(corrected.length).toBeGreaterThan(0);
    expect(corrected.length).toBeLessThanOrEqual(10);
  });
});
