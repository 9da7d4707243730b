import { describe, expect, it } from 'vitest';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import { createAgentsBelow } from '../../../src/normalizer/agents-below.ts';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import type { Span, TraceRequest } from '../../../src/otlp/otlp-types.ts';
import { LOOPING, namedAgents, WEATHER } from './fixture-expectations.ts';
import { loadTraceFixture } from './fixture-loader.ts';
import { makeRequest, makeSpan, sid } from './span-builder.ts';

const FILE = 'openai-agents-openinference.otlp.json';

function spansOf(request: TraceRequest): Span[] {
  return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

/**
 * The capture as two unrelated services would send it: each trace from its own service, the
 * workflow named by the user instead of after the SDK's default.
 */
function renamedWorkflowPerService(workflowName: string): TraceRequest {
  const capture = loadTraceFixture(FILE);
  const scope = capture.resourceSpans[0]!.scopeSpans[0]!.scope;
  const spans = spansOf(capture);
  const sdkName = spans.find((s) => s.parentSpanId === '')!.name;
  const byTrace = new Map<string, Span[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId) ?? [];
    list.push(span.name === sdkName ? { ...span, name: workflowName } : span);
    byTrace.set(span.traceId, list);
  }
  return {
    resourceSpans: [...byTrace.values()].map((list, i) => ({ resource: { 'service.name': `service-${i + 1}` }, scopeSpans: [{ scope, spans: list }] })),
  };
}

function byId(spans: readonly AgentSpan[]): Map<string, AgentSpan> {
  return new Map(spans.map((s) => [s.spanId, s]));
}

describe('workflow containers: a span named only by its own name, with agents named below it', () => {
  const original = createNormalizer().normalizeTraces(loadTraceFixture(FILE));

  it('derives no agent from a user-named workflow root; each service keeps its own roots and the agents are unchanged', () => {
    const variant = createNormalizer().normalizeTraces(renamedWorkflowPerService('nightly-refund-audit'));
    expect(variant).toHaveLength(original.length);
    expect(namedAgents(variant)).toEqual([LOOPING, WEATHER]);
    expect(variant.some((s) => s.agentId === 'nightly-refund-audit')).toBe(false);

    const roots = variant.filter((s) => s.parentSpanId === '');
    expect(roots.map((s) => [s.name, s.agentId, s.agentIdSource, s.kind])).toEqual([
      ['nightly-refund-audit', 'service-1', 'service', 'other'],
      ['nightly-refund-audit', 'service-2', 'service', 'other'],
    ]);
    const before = byId(original);
    for (const span of variant) {
      const was = before.get(span.spanId)!;
      if (was.agentIdSource === 'span' || was.agentIdSource === 'ancestor') {
        expect([span.agentId, span.agentIdSource, span.kind]).toEqual([was.agentId, was.agentIdSource, was.kind]);
      }
    }
  });

  it('resolves the same when every span comes in its own request, children first', () => {
    const capture = loadTraceFixture(FILE);
    const resource = capture.resourceSpans[0]!.resource;
    const normalizer = createNormalizer();
    const final = new Map<string, [string, string]>();
    for (const span of spansOf(capture)) {
      const [one] = normalizer.normalizeTraces(makeRequest([span], resource));
      final.set(one!.spanId, [one!.agentId, one!.kind]);
      for (const r of normalizer.takeReattributions()) final.set(r.spanId, [r.agentId, final.get(r.spanId)![1]]);
    }
    expect(final.size).toBe(original.length);
    for (const span of original) expect([span.spanId, ...final.get(span.spanId)!]).toEqual([span.spanId, span.agentId, span.kind]);
  });

  it('gives a span between two named agents the nearest named ancestor, and the agent below delegates from it', () => {
    const planner = makeSpan({ spanId: sid(1), name: 'planner', attributes: { 'openinference.span.kind': 'AGENT', 'graph.node.id': 'planner' } });
    const subRun = makeSpan({ spanId: sid(2), parentSpanId: sid(1), name: 'sub-run', attributes: { 'openinference.span.kind': 'AGENT' } });
    const researcher = makeSpan({ spanId: sid(3), parentSpanId: sid(2), name: 'researcher', attributes: { 'openinference.span.kind': 'AGENT', 'graph.node.id': 'researcher' } });
    const llm = makeSpan({ spanId: sid(4), parentSpanId: sid(3), attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'm' } });
    const spans = createNormalizer().normalizeTraces(makeRequest([llm, researcher, subRun, planner]));
    expect(spans.map((s) => [s.name, s.agentId, s.agentIdSource, s.kind, s.delegationFrom])).toEqual([
      ['span', 'researcher', 'ancestor', 'llm', ''],
      ['researcher', 'researcher', 'span', 'agent', 'planner'],
      ['sub-run', 'planner', 'ancestor', 'other', ''],
      ['planner', 'planner', 'span', 'agent', ''],
    ]);
  });

  it('keeps a root AGENT or CHAIN that has no named agent below as the agent, named after the span', () => {
    for (const spanKind of ['AGENT', 'CHAIN']) {
      const run = makeSpan({ spanId: sid(1), name: 'CodeAgent.run', attributes: { 'openinference.span.kind': spanKind } });
      const tool = makeSpan({ spanId: sid(2), parentSpanId: sid(1), attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'search' } });
      const spans = createNormalizer().normalizeTraces(makeRequest([tool, run]));
      expect(spans.map((s) => [s.agentId, s.agentIdSource, s.kind])).toEqual([
        ['CodeAgent.run', 'ancestor', 'tool'],
        ['CodeAgent.run', 'span', 'agent'],
      ]);
    }
  });

  it('bounds what it remembers for spans still to come', () => {
    const below = createAgentsBelow(4);
    for (let i = 0; i < 10; i++) below.add('t', sid(i));
    expect(below.size).toBeLessThanOrEqual(4);
    expect(below.has('t', sid(9))).toBe(true);
    expect(below.has('t', sid(0))).toBe(false);
    expect(below.has('other-trace', sid(9))).toBe(false);
  });
});
