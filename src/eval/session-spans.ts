// A plan becomes spans: times (LLM latency grows with output, tools take their median with a
// log-normal spread, a little framework overhead between steps), tokens (the context grows with
// every call, with noise), cost from Warden's own price table, and one agent span around it all
// that ends last. Delegations nest the worker's agent span, with its own session, in the trace.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { ModelSpec } from './fleet-archetypes.ts';
import type { FleetAgent } from './fleet-roster.ts';
import { pickWeighted, type Prng } from './prng.ts';
import type { Step } from './session-plan.ts';
import type { SpanFactory, SpanPlace, Usage } from './span-factory.ts';

export interface SessionOptions {
  startMs: number;
  /** Default: a new trace. */
  traceId?: string;
  parentSpanId?: string;
  delegationFrom?: string;
  /** Default: a new session. */
  sessionId?: string;
  /** Default: picked from the archetype's models. */
  model?: ModelSpec;
}

export interface BuiltSession {
  /** In creation order (the agent span first); the generator orders them by end time. */
  spans: AgentSpan[];
  endMs: number;
  traceId: string;
  sessionId: string;
}

export type SessionBuilder = (agent: FleetAgent, steps: readonly Step[], options: SessionOptions) => BuiltSession;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

export function createSessionBuilder(prng: Prng, factory: SpanFactory): SessionBuilder {
  function build(agent: FleetAgent, steps: readonly Step[], options: SessionOptions, spans: AgentSpan[]): { endMs: number; sessionId: string; traceId: string } {
    const archetype = agent.archetype;
    const traceId = options.traceId ?? prng.hex(32);
    const sessionId = options.sessionId ?? prng.hex(32);
    const taskId = prng.hex(16);
    const rootSpanId = prng.hex(16);
    const model = options.model ?? archetype.models[pickWeighted(prng, archetype.models.map((m) => m.weight))]!;
    const rootIndex = spans.length;
    spans.push(undefined as unknown as AgentSpan); // the agent span, filled in once its end is known
    let cursor = options.startMs + prng.between(5, 40);
    let llmCalls = 0;
    let rollupIn = 0;
    let rollupOut = 0;
    const place = (startMs: number, endMs: number): SpanPlace => ({ traceId, spanId: prng.hex(16), parentSpanId: rootSpanId, sessionId, taskId, startMs, endMs });

    for (const step of steps) {
      const startMs = cursor + prng.between(10, 250);
      if (step.kind === 'llm') {
        const { base, perCall, cap } = archetype.inputTokens;
        const inputTokens = step.inputTokens ?? Math.round(Math.min(cap, base + perCall * llmCalls) * clamp(prng.logNormal(1, 0.25), 0.5, 2) * step.tokenFactor);
        const outputTokens = Math.round(archetype.outputTokens.median * clamp(prng.logNormal(1, 0.5), 0.25, 4) * step.tokenFactor);
        llmCalls++;
        const usage: Usage = { model, inputTokens, outputTokens };
        const endMs = startMs + (350 + 12 * Math.min(outputTokens, 4000)) * prng.logNormal(1, 0.2);
        spans.push(factory.llmSpan(agent, place(startMs, endMs), usage));
        rollupIn += inputTokens;
        rollupOut += outputTokens;
        cursor = endMs;
      } else if (step.kind === 'tool') {
        const endMs = startMs + step.tool.medianMs * prng.logNormal(1, 0.5) * (step.error ? 3 : 1);
        const approvalId = step.tier === 'gated' && step.approved ? prng.hex(16) : '';
        const confidence = step.confidence !== undefined ? step.confidence : archetype.reportsConfidence ? Math.round(prng.between(75, 99.5)) / 100 : null;
        spans.push(factory.toolSpan(agent, place(startMs, endMs), step, approvalId, confidence));
        cursor = endMs;
      } else {
        const child = build(step.agent, step.steps, { startMs, traceId, parentSpanId: rootSpanId, delegationFrom: agent.id }, spans);
        cursor = child.endMs;
      }
    }

    const endMs = cursor + prng.between(2, 20);
    const rollup = archetype.rollupUsage && llmCalls > 0 ? { model, inputTokens: rollupIn, outputTokens: rollupOut } : null;
    const rootPlace: SpanPlace = { traceId, spanId: rootSpanId, parentSpanId: options.parentSpanId ?? '', sessionId, taskId, startMs: options.startMs, endMs };
    spans[rootIndex] = factory.agentSpan(agent, rootPlace, options.delegationFrom ?? '', rollup);
    return { endMs, sessionId, traceId };
  }

  return (agent, steps, options) => {
    const spans: AgentSpan[] = [];
    const { endMs, sessionId, traceId } = build(agent, steps, options, spans);
    return { spans, endMs, traceId, sessionId };
  };
}
