import type { Attributes, SpanEvent, SpanKindNumber, SpanLink, StatusCodeNumber } from '../otlp/otlp-types.ts';

/** What an agent span does, whatever convention described it. */
export type AgentSpanKind = 'agent' | 'llm' | 'tool' | 'other';

/** Where the span's agent identity came from, strongest first. */
export type AgentIdSource =
  | 'span' //        agent.id / gen_ai.agent.* / a framework's agent attribute on the span itself
  | 'ancestor' //    inherited from the nearest ancestor with an identity (same request or seen before)
  | 'resource' //    agent.id / gen_ai.agent.* on the resource
  | 'service' //     fell back to service.name
  | 'none';

export type AgentSpanStatus = 'unset' | 'ok' | 'error';

/**
 * The canonical agent span: one OTLP span understood as an agent action. Every mapper, the
 * store writer and every detector speak this type and nothing else.
 */
export interface AgentSpan {
  // --- the OpenTelemetry span, as received ---
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  spanKind: SpanKindNumber;
  startTimeUnixNano: bigint;
  durationNs: bigint;
  serviceName: string;
  scopeName: string;
  scopeVersion: string;
  resourceAttributes: Attributes;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  statusCode: StatusCodeNumber;
  statusMessage: string;

  // --- what it means for the agent ---
  agentId: string;
  agentIdSource: AgentIdSource;
  agentName: string;
  agentRole: string;
  sessionId: string;
  taskId: string;
  kind: AgentSpanKind;
  /** Tool invoked; '' unless kind is 'tool'. */
  toolName: string;
  /** Hash of the normalized tool arguments; '' when no arguments were recorded. */
  toolArgsHash: string;
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  /** USD; from agent.cost.usd when present, else tokens x the price table, else 0. */
  costUsd: number;
  dataClasses: string[];
  dataAccess: string;
  target: string;
  delegationFrom: string;
  actionTier: string;
  approvalId: string;
  /** 0..1, or null when the agent did not say. */
  confidence: number | null;
  intent: string;
  status: AgentSpanStatus;
  /** error.type, the exception type, or '' when the span did not fail. */
  errorType: string;
}

/** A business outcome tied to an agent (and optionally a trace or session). */
export interface OutcomeSignal {
  agentId: string;
  traceId: string;
  sessionId: string;
  name: string;
  value: number;
  /** null when the sender did not say whether the outcome was a success. */
  success: boolean | null;
  timeUnixNano: bigint;
  /** 'api', 'log' or 'span_event': how the signal reached Warden. */
  source: 'api' | 'log' | 'span_event';
  attributes: Attributes;
}
