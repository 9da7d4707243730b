import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { createIdentityCache } from '../../../src/normalizer/identity-cache.ts';
import { makeRequest, makeSpan, sid, TRACE_B } from './span-builder.ts';

// A trace as an SDK exports it, children first: tool (3) -> turn (2) -> invoke_agent (1).
const tool = makeSpan({ spanId: sid(3), parentSpanId: sid(2), name: 'execute_tool search', attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } });
const turn = makeSpan({ spanId: sid(2), parentSpanId: sid(1), name: 'turn' });
const root = makeSpan({
  spanId: sid(1),
  name: 'invoke_agent support',
  attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support', 'agent.role': 'tier-1', 'gen_ai.conversation.id': 'conv-9', 'agent.task.id': 'T-1' },
});

describe('agent identity', () => {
  it('resolves over the whole request: children sent before their root still inherit it', () => {
    const spans = createNormalizer().normalizeTraces(makeRequest([tool, turn, root]));
    expect(spans.map((s) => [s.spanId, s.agentId, s.agentIdSource, s.agentRole, s.sessionId, s.taskId])).toEqual([
      [sid(3), 'support', 'ancestor', 'tier-1', 'conv-9', 'T-1'],
      [sid(2), 'support', 'ancestor', 'tier-1', 'conv-9', 'T-1'],
      [sid(1), 'support', 'span', 'tier-1', 'conv-9', 'T-1'],
    ]);
  });

  it('remembers identities across requests for children that arrive later', () => {
    const normalizer = createNormalizer();
    normalizer.normalizeTraces(makeRequest([turn, root]));
    const [later] = normalizer.normalizeTraces(makeRequest([tool]));
    expect([later?.agentId, later?.agentIdSource, later?.sessionId]).toEqual(['support', 'ancestor', 'conv-9']);
  });

  it('falls back to the resource, then service.name, when no ancestor is known', () => {
    const normalizer = createNormalizer();
    const [fromResource] = normalizer.normalizeTraces(makeRequest([tool], { 'service.name': 'svc', 'agent.id': 'res-agent', 'agent.role': 'ops' }));
    expect([fromResource?.agentId, fromResource?.agentIdSource, fromResource?.agentRole]).toEqual(['res-agent', 'resource', 'ops']);
    const [fromService] = normalizer.normalizeTraces(makeRequest([{ ...tool, traceId: TRACE_B }], { 'service.name': 'svc' }));
    expect([fromService?.agentId, fromService?.agentIdSource, fromService?.serviceName]).toEqual(['svc', 'service', 'svc']);
    const [nothing] = normalizer.normalizeTraces(makeRequest([{ ...tool, traceId: TRACE_B }], {}));
    expect([nothing?.agentId, nothing?.agentIdSource]).toEqual(['', 'none']);
  });

  it('prefers an ancestor over the resource', () => {
    const [child] = createNormalizer().normalizeTraces(makeRequest([tool, turn, root], { 'service.name': 'svc', 'agent.id': 'res-agent' }));
    expect(child?.agentId).toBe('support');
  });

  it('does not inherit across traces', () => {
    const other = { ...tool, traceId: TRACE_B };
    const spans = createNormalizer().normalizeTraces(makeRequest([other, turn, root]));
    expect(spans[0]?.agentIdSource).toBe('service');
  });

  it('derives delegation between named agents, not from a workflow container', () => {
    const workflow = makeSpan({ spanId: sid(10), name: 'invoke_workflow refunds', attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'refunds' } });
    const triage = makeSpan({ spanId: sid(11), parentSpanId: sid(10), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'triage' } });
    const billing = makeSpan({ spanId: sid(12), parentSpanId: sid(11), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'billing' } });
    const stated = makeSpan({ spanId: sid(13), parentSpanId: sid(11), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'x', 'agent.delegation.from': 'boss' } });
    const spans = createNormalizer().normalizeTraces(makeRequest([billing, stated, triage, workflow]));
    expect(spans.map((s) => [s.agentId, s.delegationFrom])).toEqual([
      ['billing', 'triage'],
      ['x', 'boss'],
      ['triage', ''],
      ['refunds', ''],
    ]);
  });

  it('lets the agent of an ancestor win over a name the framework only propagates, which still names orphans', () => {
    const agent = makeSpan({ spanId: sid(30), attributes: { 'traceloop.span.kind': 'agent', 'traceloop.entity.name': 'planner', 'traceloop.workflow.name': 'trip' } });
    const task = makeSpan({ spanId: sid(31), parentSpanId: sid(30), attributes: { 'traceloop.span.kind': 'task', 'traceloop.workflow.name': 'trip' } });
    const orphan = makeSpan({ traceId: TRACE_B, spanId: sid(32), parentSpanId: sid(99), attributes: { 'traceloop.workflow.name': 'trip' } });
    const spans = createNormalizer().normalizeTraces(makeRequest([task, orphan, agent]));
    expect(spans.map((s) => [s.agentId, s.agentIdSource])).toEqual([
      ['planner', 'ancestor'],
      ['trip', 'span'],
      ['planner', 'span'],
    ]);
  });

  it('survives a parent cycle and a span that is its own parent', () => {
    const a = makeSpan({ spanId: sid(20), parentSpanId: sid(21) });
    const b = makeSpan({ spanId: sid(21), parentSpanId: sid(20), attributes: { 'gen_ai.agent.name': 'b' } });
    const self = makeSpan({ spanId: sid(22), parentSpanId: sid(22) });
    const spans = createNormalizer().normalizeTraces(makeRequest([a, b, self]));
    expect(spans).toHaveLength(3);
    expect(spans[2]?.agentIdSource).toBe('service');
  });

  it('handles a very deep chain without recursion', () => {
    const chain = Array.from({ length: 50_000 }, (_, i) => makeSpan({ spanId: sid(i + 1), parentSpanId: i === 0 ? '' : sid(i) }));
    chain[0] = { ...chain[0]!, attributes: { 'agent.id': 'deep' } };
    const spans = createNormalizer().normalizeTraces(makeRequest(chain.reverse()));
    expect(spans.every((s) => s.agentId === 'deep')).toBe(true);
  });

  it('bounds the cache and forgets the least recently used spans first', () => {
    const cache = createIdentityCache(8);
    const ctx = { agentId: 'a', agentName: 'a', agentRole: '', agentNamed: true, sessionId: '', taskId: '' };
    for (const key of ['1', '2', '3', '4']) cache.set(key, ctx);
    expect(cache.get('1')).toBe(ctx); // used again: kept
    for (const key of ['5', '6', '7']) cache.set(key, ctx);
    expect(['2', '3', '4'].map((key) => cache.get(key))).toEqual([undefined, undefined, undefined]);
    expect(['1', '5', '6', '7'].map((key) => cache.get(key))).toEqual([ctx, ctx, ctx, ctx]);
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, ctx);
    expect(cache.size).toBeLessThanOrEqual(8);
  });

  it('uses the configured cache size', () => {
    const normalizer = createNormalizer({ identityCacheSpans: 1 });
    normalizer.normalizeTraces(makeRequest([turn, root]));
    const [later] = normalizer.normalizeTraces(makeRequest([tool]));
    // Only the last span (the root) is remembered; the tool's parent (the turn) is forgotten.
    expect(later?.agentIdSource).toBe('service');
    expect(() => createNormalizer({ identityCacheSpans: 0 })).toThrow(RangeError);
  });

  it('never matches a remembered span of another trace that reuses the span id', () => {
    const normalizer = createNormalizer();
    normalizer.normalizeTraces(makeRequest([root]));
    const [stranger] = normalizer.normalizeTraces(makeRequest([{ ...turn, traceId: TRACE_B }]));
    expect(stranger?.agentIdSource).toBe('service');
  });
});
