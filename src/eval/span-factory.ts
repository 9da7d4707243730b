// AgentSpans built directly, every field filled as the normalizer would fill it for an agent
// that reports agent.* and gen_ai.* attributes. Attribute objects are shared per agent and tool
// or model (frozen): the detectors never read them, and a million spans should not mean a million
// attribute maps.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { PriceTable } from '../normalizer/price-table.ts';
import type { Attributes, SpanEvent, SpanKindNumber, SpanLink } from '../otlp/otlp-types.ts';
import type { ModelSpec } from './fleet-archetypes.ts';
import type { FleetAgent } from './fleet-roster.ts';
import type { ToolStep } from './session-plan.ts';

/** What every span of a session shares, and where this one sits in it. */
export interface SpanPlace {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  sessionId: string;
  taskId: string;
  startMs: number;
  endMs: number;
}

export interface Usage {
  model: ModelSpec;
  inputTokens: number;
  outputTokens: number;
}

export interface SpanFactory {
  agentSpan(agent: FleetAgent, place: SpanPlace, delegationFrom: string, rollup: Usage | null): AgentSpan;
  llmSpan(agent: FleetAgent, place: SpanPlace, usage: Usage): AgentSpan;
  toolSpan(agent: FleetAgent, place: SpanPlace, step: ToolStep, approvalId: string, confidence: number | null): AgentSpan;
}

const NO_EVENTS = Object.freeze([]) as unknown as SpanEvent[];
const NO_LINKS = Object.freeze([]) as unknown as SpanLink[];
const SCOPE = 'warden-eval';
const SCOPE_VERSION = '1.0.0';

/** ms (fractional) to Unix ns, at microsecond precision. */
export function msToNanos(ms: number): bigint {
  return BigInt(Math.round(ms * 1000)) * 1000n;
}

export function createSpanFactory(prices: PriceTable): SpanFactory {
  const attributeCache = new Map<string, Attributes>();
  const shared = (key: string, build: () => Attributes): Attributes => {
    let attributes = attributeCache.get(key);
    if (attributes === undefined) {
      attributes = Object.freeze(build());
      attributeCache.set(key, attributes);
    }
    return attributes;
  };

  function base(agent: FleetAgent, place: SpanPlace, name: string, spanKind: SpanKindNumber, attributes: Attributes): AgentSpan {
    return {
      traceId: place.traceId,
      spanId: place.spanId,
      parentSpanId: place.parentSpanId,
      traceState: '',
      name,
      spanKind,
      startTimeUnixNano: msToNanos(place.startMs),
      durationNs: msToNanos(place.endMs) - msToNanos(place.startMs),
      serviceName: agent.archetype.service,
      scopeName: SCOPE,
      scopeVersion: SCOPE_VERSION,
      resourceAttributes: agent.resource,
      attributes,
      events: NO_EVENTS,
      links: NO_LINKS,
      statusCode: 0,
      statusMessage: '',
      agentId: agent.id,
      agentIdSource: 'resource',
      agentName: agent.name,
      agentRole: agent.archetype.role,
      sessionId: place.sessionId,
      taskId: place.taskId,
      kind: 'other',
      toolName: '',
      toolArgsHash: '',
      model: '',
      provider: '',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      dataClasses: [],
      dataAccess: '',
      target: '',
      delegationFrom: '',
      actionTier: '',
      approvalId: '',
      confidence: null,
      intent: '',
      status: 'unset',
      errorType: '',
    };
  }

  return {
    agentSpan(agent, place, delegationFrom, rollup) {
      const attributes = shared(`agent\0${agent.id}`, () => ({ 'gen_ai.operation.name': 'invoke_agent', 'agent.id': agent.id, 'agent.role': agent.archetype.role }));
      const span = base(agent, place, `invoke_agent ${agent.id}`, 1, attributes);
      span.kind = 'agent';
      span.agentIdSource = 'span';
      span.delegationFrom = delegationFrom;
      span.intent = agent.archetype.intent;
      span.status = 'ok';
      span.statusCode = 1;
      if (rollup !== null) {
        span.model = rollup.model.name;
        span.provider = rollup.model.provider;
        span.inputTokens = rollup.inputTokens;
        span.outputTokens = rollup.outputTokens;
        span.costUsd = prices.costOf(rollup.model.name, rollup.inputTokens, rollup.outputTokens);
      }
      return span;
    },

    llmSpan(agent, place, usage) {
      const { model } = usage;
      const attributes = shared(`llm\0${model.name}`, () => ({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': model.provider, 'gen_ai.request.model': model.name }));
      const span = base(agent, place, `chat ${model.name}`, 3, attributes);
      span.kind = 'llm';
      span.model = model.name;
      span.provider = model.provider;
      span.inputTokens = usage.inputTokens;
      span.outputTokens = usage.outputTokens;
      span.costUsd = prices.costOf(model.name, usage.inputTokens, usage.outputTokens);
      return span;
    },

    toolSpan(agent, place, step, approvalId, confidence) {
      const { tool } = step;
      const attributes = shared(`tool\0${tool.name}`, () => ({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool.name }));
      const span = base(agent, place, `execute_tool ${tool.name}`, tool.target === '' ? 1 : 3, attributes);
      span.kind = 'tool';
      span.toolName = tool.name;
      span.toolArgsHash = step.args;
      span.dataClasses = step.dataClasses as string[];
      span.dataAccess = tool.access;
      span.target = step.target;
      span.actionTier = step.tier;
      span.approvalId = approvalId;
      span.confidence = confidence;
      span.intent = agent.archetype.intent;
      if (step.error) {
        span.status = 'error';
        span.statusCode = 2;
        span.errorType = 'TimeoutError';
        span.statusMessage = `${tool.name} timed out`;
        span.events = [{ timeUnixNano: msToNanos(place.endMs), name: 'exception', attributes: { 'exception.type': 'TimeoutError', 'exception.message': `${tool.name} timed out` } }];
      } else {
        span.status = 'ok';
        span.statusCode = 1;
      }
      return span;
    },
  };
}
