import { describe, expect, it } from 'vitest';
import { createDetectorSet } from '../../../src/detector/create-detector-set.ts';
import type { Finding } from '../../../src/detector/finding.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import type { AgentPolicy } from '../../../src/policy/agent-policy.ts';
import { agentSpan, defaultPolicy, llmSpan, T0_MS, toolSpan } from './detector-fixtures.ts';

function loopDetector(policy: AgentPolicy = defaultPolicy()) {
  const set = createDetectorSet({ policyFor: () => policy });
  /** Findings of kind loop, per span fed one request at a time. */
  return (spans: AgentSpan[]): Finding[][] => spans.map((span) => set.observe([span]).filter((finding) => finding.kind === 'loop'));
}

/** tool call i of a session at T0 + i seconds, each after an LLM call */
function agentTurns(calls: Array<[tool: string, args: string]>, fields: Partial<AgentSpan> = {}): AgentSpan[] {
  return calls.flatMap(([tool, args], i) => [llmSpan({ atMs: T0_MS + i * 1000, ...fields }), toolSpan(tool, args, { atMs: T0_MS + i * 1000 + 500, ...fields })]);
}

describe('loop: identical calls', () => {
  it('fires at the 5th identical call with every span id, then at the 10th and 20th', () => {
    const spans = agentTurns(Array.from({ length: 20 }, () => ['search', 'h1'] as [string, string]));
    const perSpan = loopDetector()(spans);
    const tools = spans.filter((span) => span.kind === 'tool');
    const fired = perSpan.flatMap((findings, index) => findings.filter((f) => f.rule === 'identical_calls').map((f) => ({ index, f })));
    expect(fired.map(({ f }) => f.evidence['count'])).toEqual([5, 10, 20]);
    const first = fired[0]!;
    // It fired at the span of the 5th call, not later.
    expect(spans[first.index]).toBe(tools[4]);
    expect(first.f).toMatchObject({
      kind: 'loop',
      rule: 'identical_calls',
      agentId: 'a1',
      sessionId: 's1',
      evidence: { tool: 'search', args_hash: 'h1', count: 5, limit: 5, span_ids: tools.slice(0, 5).map((span) => span.spanId) },
    });
    expect(first.f.observedAtMs).toBe(T0_MS + 4 * 1000 + 500);
  });

  it('never fires for the same tool with different arguments', () => {
    const spans = agentTurns(Array.from({ length: 40 }, (_, i) => ['search', `h${i}`] as [string, string]));
    expect(loopDetector(defaultPolicy({ loop: { maxSteps: 1000 } }))(spans).flat()).toEqual([]);
  });

  it('never counts calls whose arguments were not recorded as identical', () => {
    const spans = agentTurns(Array.from({ length: 10 }, () => ['get_time', ''] as [string, string]));
    expect(loopDetector()(spans).flat()).toEqual([]);
  });

  it('counts per session, and per trace when spans have no session', () => {
    const detect = loopDetector();
    const calls = Array.from({ length: 4 }, () => ['search', 'h1'] as [string, string]);
    // 4 + 4 in two sessions: nothing.
    expect(detect([...agentTurns(calls, { sessionId: 'x' }), ...agentTurns(calls, { sessionId: 'y' })]).flat()).toEqual([]);
    // Sessionless: the trace is the session.
    const sessionless = detect(agentTurns([...calls, ['search', 'h1']], { sessionId: '', traceId: 'trace-without-session' })).flat();
    expect(sessionless.map((f) => f.rule)).toEqual(['identical_calls']);
  });

  it('names the strongest identity the session has shown (late identity)', () => {
    const detect = loopDetector();
    const early = agentTurns([['search', 'h1'], ['search', 'h1']], { agentId: 'svc', agentIdSource: 'service' });
    const named = agentTurns([['search', 'h1'], ['search', 'h1'], ['search', 'h1']], { agentId: 'planner', agentIdSource: 'span' });
    const findings = detect([...early, ...named]).flat();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'identical_calls', agentId: 'planner' });
  });

  it('takes the threshold from the policy', () => {
    const spans = agentTurns(Array.from({ length: 3 }, () => ['search', 'h1'] as [string, string]));
    const findings = loopDetector(defaultPolicy({ loop: { maxIdenticalCalls: 3 } }))(spans).flat();
    expect(findings.map((f) => f.evidence['count'])).toEqual([3]);
  });
});

describe('loop: cycles', () => {
  it('fires when a period-2 cycle completes its 3rd repeat, ignoring the LLM calls between', () => {
    const calls = Array.from({ length: 3 }, () => [['search', 'q'], ['open', 'doc']] as Array<[string, string]>).flat();
    const spans = agentTurns(calls);
    const perSpan = loopDetector()(spans);
    const fired = perSpan.flat();
    expect(fired).toHaveLength(1);
    expect(perSpan.at(-1)).toHaveLength(1);
    const toolIds = spans.filter((span) => span.kind === 'tool').map((span) => span.spanId);
    expect(fired[0]).toMatchObject({
      rule: 'cycle',
      evidence: { cycle: ['search', 'open'], args_hashes: ['q', 'doc'], period: 2, repeats: 3, limit: 3, span_ids: toolIds },
    });
  });

  it('fires for a period-4 cycle, not for the same tools with changing arguments', () => {
    const cycle: Array<[string, string]> = [
      ['plan', 'a'],
      ['search', 'b'],
      ['read', 'c'],
      ['write', 'd'],
    ];
    const findings = loopDetector()(agentTurns([...cycle, ...cycle, ...cycle])).flat();
    expect(findings.map((f) => [f.rule, f.evidence['period']])).toEqual([['cycle', 4]]);

    const varied = Array.from({ length: 6 }, (_, i) => [
      ['search', `q${i}`],
      ['open', `doc${i}`],
    ] as Array<[string, string]>).flat();
    expect(loopDetector()(agentTurns(varied)).flat()).toEqual([]);
  });
});

describe('loop: runaway steps', () => {
  it('fires once when a session passes maxSteps LLM and tool steps', () => {
    const spans = agentTurns(Array.from({ length: 40 }, (_, i) => ['search', `h${i}`] as [string, string]));
    const perSpan = loopDetector()(spans);
    const fired = perSpan.flatMap((findings, index) => findings.map((f) => ({ index, f })));
    expect(fired).toHaveLength(1);
    // The 51st step.
    expect(fired[0]?.index).toBe(50);
    expect(fired[0]?.f).toMatchObject({ rule: 'max_steps', evidence: { steps: 51, limit: 50 } });
    expect(fired[0]?.f.evidence.span_ids).toContain(spans[50]?.spanId);
  });

  it('does not count agent or other spans as steps', () => {
    const spans = Array.from({ length: 100 }, (_, i) => agentSpan({ kind: i % 2 === 0 ? 'agent' : 'other', atMs: T0_MS + i }));
    expect(loopDetector()(spans).flat()).toEqual([]);
  });
});

describe('loop: delegation cycles', () => {
  const trace = 'trace-delegation';
  const handoff = (from: string, to: string, i: number): AgentSpan =>
    agentSpan({ kind: 'agent', agentId: to, delegationFrom: from, traceId: trace, sessionId: '', atMs: T0_MS + i });

  it('fires at the third return of A -> B -> A, with the chain', () => {
    const spans = [handoff('A', 'B', 0), handoff('B', 'A', 1), handoff('A', 'B', 2), handoff('B', 'A', 3), handoff('A', 'B', 4)];
    const perSpan = loopDetector()(spans);
    expect(perSpan.map((findings) => findings.length)).toEqual([0, 0, 0, 1, 0]);
    expect(perSpan[3]?.[0]).toMatchObject({
      rule: 'delegation_cycle',
      agentId: 'A',
      traceId: trace,
      evidence: { returns: 3, limit: 2, chain: ['A', 'B', 'A'], span_ids: [spans[1]!.spanId, spans[2]!.spanId, spans[3]!.spanId] },
    });
  });

  it('finds longer cycles (A -> B -> C -> A)', () => {
    const spans = [handoff('A', 'B', 0), handoff('B', 'C', 1), handoff('C', 'A', 2), handoff('A', 'B', 3), handoff('B', 'C', 4)];
    const findings = loopDetector()(spans).flat();
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence['returns']).toBe(3);
  });

  it('does not fire for an orchestrator that delegates to the same agents many times', () => {
    const spans = Array.from({ length: 30 }, (_, i) => handoff('orchestrator', `worker-${i % 3}`, i));
    expect(loopDetector()(spans).flat()).toEqual([]);
  });

  it('connects a child agent span to its parent agent span arriving later (children first)', () => {
    // A(1) > B(2) > A(3) > B(4) > A(5), nested; exported innermost first without delegationFrom.
    const nested = ['A', 'B', 'A', 'B', 'A'].map((agentId, i) =>
      agentSpan({ kind: 'agent', agentId, spanId: `span-${i + 1}`, parentSpanId: i === 0 ? '' : `span-${i}`, traceId: trace, sessionId: '', atMs: T0_MS + 100 - i }),
    );
    const findings = loopDetector()(nested.reverse()).flat();
    expect(findings.map((f) => [f.rule, f.evidence['returns']])).toEqual([['delegation_cycle', 3]]);
  });
});
