import type { AttributeValue } from '../otlp/otlp-types.ts';
import type { AgentSpanKind } from './agent-span.ts';

/** How recorded tool arguments are wrapped: plain JSON (or text), or Traceloop's call record. */
export type ToolArgsFormat = 'json' | 'traceloop-entity';

/**
 * What the mappers read off one span, before identity is resolved across the request. Every
 * field starts empty ('' / -1 / null / []) and a mapper fills only fields still empty, so the
 * first mapper in priority order that knows a value wins.
 */
export interface MappedFields {
  /** Named by an attribute that identifies an agent (agent.id, gen_ai.agent.*, agent.name ...). */
  agentId: string;
  /** Weaker: the span's own workflow name or agent/root span name. Used when agentId is empty. */
  containerName: string;
  /**
   * containerName is only the span's name, taken because a convention marks the span as an agent
   * run without naming the agent. It yields when an agent named by attribute runs below the span:
   * the span is then a workflow around agents (workflow-containers.ts).
   */
  containerNameGuessed: boolean;
  /**
   * Weakest: a name the framework propagates to every span inside a workflow. It is on the span,
   * but it does not say the span is that agent, so an identity inherited from an ancestor wins;
   * it still names spans whose ancestors have not arrived yet.
   */
  ambientName: string;
  agentName: string;
  agentRole: string;
  sessionId: string;
  taskId: string;
  kind: AgentSpanKind | '';
  toolName: string;
  /** agent.tool.args_hash as sent; wins over hashing toolArgs. */
  toolArgsHash: string;
  /** Raw arguments, hashed only once the span is known to be a tool call. */
  toolArgs: AttributeValue | undefined;
  toolArgsFormat: ToolArgsFormat;
  model: string;
  provider: string;
  /** -1 = not reported. */
  inputTokens: number;
  outputTokens: number;
  /** USD reported by the span; -1 = not reported (then the price table decides). */
  costUsd: number;
  dataClasses: string[];
  dataAccess: string;
  target: string;
  delegationFrom: string;
  actionTier: string;
  approvalId: string;
  confidence: number | null;
  intent: string;
}

export function createMappedFields(): MappedFields {
  return {
    agentId: '',
    containerName: '',
    containerNameGuessed: false,
    ambientName: '',
    agentName: '',
    agentRole: '',
    sessionId: '',
    taskId: '',
    kind: '',
    toolName: '',
    toolArgsHash: '',
    toolArgs: undefined,
    toolArgsFormat: 'json',
    model: '',
    provider: '',
    inputTokens: -1,
    outputTokens: -1,
    costUsd: -1,
    dataClasses: [],
    dataAccess: '',
    target: '',
    delegationFrom: '',
    actionTier: '',
    approvalId: '',
    confidence: null,
    intent: '',
  };
}

/** Records tool arguments unless a higher-priority mapper already did. Empty values do not count. */
export function offerToolArgs(out: MappedFields, value: AttributeValue | undefined, format: ToolArgsFormat): void {
  if (out.toolArgs !== undefined || value === undefined || value === null || value === '') return;
  out.toolArgs = value;
  out.toolArgsFormat = format;
}
