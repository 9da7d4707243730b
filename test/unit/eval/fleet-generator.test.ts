import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EvalLabel } from '../../../src/eval/eval-labels.ts';
import { ANOMALY_TYPES, FORBIDDEN_ON } from '../../../src/eval/eval-labels.ts';
import { createFleetGenerator, spanEndMs, type FleetOptions, type GeneratedSpan } from '../../../src/eval/fleet-generator.ts';
import { createPrng, pickWeighted } from '../../../src/eval/prng.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';

const SMALL: FleetOptions = { seed: 7, normalSpans: 20_000, agents: 20, hours: 6 };

function drain(options: FleetOptions) {
  const generator = createFleetGenerator(options);
  const spans: GeneratedSpan[] = [];
  for (let next = generator.next(); next !== null; next = generator.next()) spans.push(next);
  return { spans, labels: generator.labels, generator };
}

function fingerprint(options: FleetOptions): string {
  const hash = createHash('sha256');
  const { spans, labels } = drain(options);
  for (const { span, label } of spans) {
    hash.update(
      [span.traceId, span.spanId, span.parentSpanId, span.sessionId, span.agentId, span.kind, span.toolName, span.toolArgsHash, span.model, span.inputTokens, span.outputTokens, span.costUsd, span.startTimeUnixNano, span.durationNs, span.target, span.dataClasses.join(','), span.actionTier, span.status, label?.id ?? -1].join('|'),
    );
  }
  hash.update(JSON.stringify(labels));
  return hash.digest('hex');
}

describe('prng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const prng = createPrng(seed);
      return [prng.next(), prng.int(1000), prng.normal(), prng.hex(16), prng.fork().next()];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws within range, hex of the asked length, weights in proportion', () => {
    const prng = createPrng(1);
    const counts = [0, 0, 0];
    let outside = 0;
    for (let i = 0; i < 30_000; i++) {
      const value = prng.next();
      if (value < 0 || value >= 1) outside++;
      counts[pickWeighted(prng, [1, 2, 7])]!++;
    }
    expect(outside).toBe(0);
    expect(prng.hex(32)).toMatch(/^[0-9a-f]{32}$/);
    expect(prng.hex(12)).toMatch(/^[0-9a-f]{12}$/);
    expect(counts[0]! / 30_000).toBeCloseTo(0.1, 1);
    expect(counts[2]! / 30_000).toBeCloseTo(0.7, 1);
  });
});

describe('fleet generator', () => {
  it('is deterministic for a seed: the same spans and labels, byte for byte', () => {
    expect(fingerprint(SMALL)).toBe(fingerprint(SMALL));
    expect(fingerprint({ ...SMALL, seed: 8 })).not.toBe(fingerprint(SMALL));
  });

  const { spans, labels, generator } = drain({ seed: 11, normalSpans: 60_000, agents: 40, hours: 24 });
  const byId = new Map<string, GeneratedSpan>(spans.map((generated) => [generated.span.spanId, generated]));

  it('emits spans in the order of their ends, every field filled sensibly', () => {
    // One expect per span would take seconds: collect what is wrong instead.
    const wrong: string[] = [];
    const check = (ok: boolean, what: string, span: AgentSpan): void => {
      if (!ok && wrong.length < 10) wrong.push(`${what}: ${span.spanId} ${span.kind} ${span.agentId}`);
    };
    let last = 0;
    for (const { span } of spans) {
      const end = spanEndMs(span);
      check(end >= last, 'out of order', span);
      last = end;
      check(/^[0-9a-f]{32}$/.test(span.traceId) && /^[0-9a-f]{16}$/.test(span.spanId) && /^([0-9a-f]{16})?$/.test(span.parentSpanId), 'ids', span);
      check(/^[0-9a-f]{32}$/.test(span.sessionId) && /^[0-9a-f]{16}$/.test(span.taskId), 'session and task ids', span);
      check(span.durationNs > 0n && span.agentId !== '' && span.serviceName !== '' && span.agentRole !== '', 'duration, agent, service, role', span);
      check(span.inputTokens >= 0 && span.outputTokens >= 0 && span.costUsd >= 0, 'usage', span);
      if (span.kind === 'tool') check(span.toolName !== '' && /^[0-9a-f]{16}$/.test(span.toolArgsHash) && span.dataAccess !== '' && span.actionTier !== '', 'tool fields', span);
      if (span.kind === 'llm') check(span.model !== '' && span.provider !== '' && span.inputTokens + span.outputTokens > 0 && span.costUsd > 0, 'llm fields', span);
      if (span.kind === 'agent') check(span.parentSpanId === '' || span.delegationFrom !== '', 'delegated agent span names its delegator', span);
      check((span.status === 'error') === (span.statusCode === 2) && (span.status === 'error') === (span.errorType !== ''), 'status', span);
    }
    expect(wrong).toEqual([]);
    expect(new Set(spans.map(({ span }) => span.spanId)).size).toBe(spans.length);
    expect(spans.some(({ span }) => span.status === 'error')).toBe(true);
  });

  it('produces at least the normal spans asked for, with every anomaly type and no skipped injection', () => {
    const normal = spans.filter(({ label }) => label === null || label.hardNegative).length;
    expect(normal).toBeGreaterThanOrEqual(60_000);
    const types = new Set(labels.map((label) => label.type));
    for (const type of ANOMALY_TYPES) expect(types.has(type)).toBe(true);
    for (const type of Object.keys(FORBIDDEN_ON)) expect(types.has(type as EvalLabel['type'])).toBe(true);
  });

  it('labels match the spans: ids, agents, onset and end, key spans', () => {
    for (const label of labels) {
      if (label.scope === 'agent' && label.hardNegative) continue; // whole agents: no span list
      expect(label.spanIds.length).toBe(label.spanCount);
      const own = label.spanIds.map((id) => byId.get(id));
      for (const generated of own) expect(generated?.label).toBe(label);
      const ends = own.map((generated) => spanEndMs(generated!.span));
      expect(label.onsetMs).toBe(Math.min(...ends));
      expect(label.endMs).toBe(Math.max(...ends));
      for (const id of label.keySpanIds) expect(label.spanIds).toContain(id);
      expect(label.keySpanIds.length).toBeGreaterThan(0);
      if (label.scope === 'session') for (const generated of own) expect(generated!.span.traceId).toBe(label.traceId);
      // Delegation chains span the orchestrator and its worker; everything else is one agent.
      if (label.type !== 'loop_delegation') for (const generated of own) expect(generated!.span.agentId).toBe(label.agentId);
    }
  });

  it('labels say what the anomaly is: repeated calls, cycles, runaway steps, violations', () => {
    const spansOf = (label: EvalLabel, key = true): AgentSpan[] => (key ? label.keySpanIds : label.spanIds).map((id) => byId.get(id)!.span);
    for (const label of labels) {
      if (label.type === 'loop_identical') {
        const calls = spansOf(label);
        expect(calls.length).toBe(label.detail['repeats']);
        expect(new Set(calls.map((span) => `${span.toolName}/${span.toolArgsHash}`)).size).toBe(1);
      }
      if (label.type === 'loop_cycle') {
        const period = Number(label.detail['period']);
        const keys = spansOf(label).map((span) => span.toolArgsHash);
        expect(keys.length).toBe(period * Number(label.detail['repeats']));
        for (let i = period; i < keys.length; i++) expect(keys[i]).toBe(keys[i - period]);
      }
      if (label.type === 'loop_steps') {
        const steps = spansOf(label, false).filter((span) => span.kind === 'llm' || span.kind === 'tool').length;
        expect(steps).toBeGreaterThan(Number(label.detail['limit']));
      }
      if (label.type === 'violation_tool_denied') expect(spansOf(label)[0]!.toolName).toBe(label.detail['tool']);
      if (label.type === 'violation_gated_without_approval') expect(spansOf(label)[0]).toMatchObject({ actionTier: 'gated', approvalId: '' });
      if (label.type === 'paging') {
        const pages = spansOf(label);
        expect(new Set(pages.map((span) => span.toolName)).size).toBe(1);
        expect(new Set(pages.map((span) => span.toolArgsHash)).size).toBe(pages.length);
      }
    }
  });

  it('keeps normal sessions normal: under 5 identical calls and under their max_steps', () => {
    const perSession = new Map<string, { calls: Map<string, number>; steps: number; maxSteps: number }>();
    for (const { span, label } of spans) {
      if (label !== null && !label.hardNegative) continue;
      if (span.kind !== 'llm' && span.kind !== 'tool') continue;
      const session = perSession.get(span.sessionId) ?? { calls: new Map(), steps: 0, maxSteps: generator.policy.policySet.forAgent(span.agentId).loop.maxSteps };
      perSession.set(span.sessionId, session);
      session.steps++;
      if (span.kind === 'tool') session.calls.set(span.toolName + span.toolArgsHash, (session.calls.get(span.toolName + span.toolArgsHash) ?? 0) + 1);
    }
    for (const session of perSession.values()) {
      expect(session.steps).toBeLessThanOrEqual(session.maxSteps);
      expect(Math.max(0, ...session.calls.values())).toBeLessThanOrEqual(4);
    }
  });
});
