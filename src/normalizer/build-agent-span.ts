// Assembles the canonical AgentSpan from what the mappers read and what the span inherited.
import { boundedIdentifier } from './bounded-identifier.ts';
import { GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL } from '../semconv/gen-ai-attributes.ts';
import { ATTR_SERVER_ADDRESS } from '../semconv/general-attributes.ts';
import type { Attributes, InstrumentationScope, Span } from '../otlp/otlp-types.ts';
import type { AgentIdSource, AgentSpan } from './agent-span.ts';
import { readString } from './attribute-readers.ts';
import type { InheritedContext } from './identity-cache.ts';
import type { MappedFields } from './mapped-fields.ts';
import type { PriceTable } from './price-table.ts';
import type { ResourceIdentity } from './resource-identity.ts';
import { errorTypeOf, statusOf } from './span-status.ts';
import { hashToolArgs } from './tool-args-hash.ts';

const TOOL_SPAN_NAME_PREFIX = `${GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL} `;

export interface SpanInput {
  span: Span;
  scope: InstrumentationScope;
  resource: ResourceIdentity;
  resourceAttributes: Attributes;
  fields: MappedFields;
  /** What the span passes on: its own values over its ancestors'. */
  context: InheritedContext | null;
  /** What it received from its nearest ancestor. */
  parentContext: InheritedContext | null;
}

/** A tool span that names no tool: GenAI names the span `execute_tool {gen_ai.tool.name}`. */
function toolNameFromSpanName(name: string): string {
  return name.startsWith(TOOL_SPAN_NAME_PREFIX) ? name.slice(TOOL_SPAN_NAME_PREFIX.length) : name;
}

export function buildAgentSpan(input: SpanInput, prices: PriceTable): AgentSpan {
  const { span, fields, context, parentContext, resource } = input;
  const kind = fields.kind === '' ? 'other' : fields.kind;
  const isTool = kind === 'tool';
  const ownId = fields.agentId !== '' ? fields.agentId : fields.containerName;

  let agentId = resource.agentId;
  let agentName = resource.agentName;
  let agentRole = fields.agentRole || resource.agentRole;
  let agentIdSource: AgentIdSource = resource.source;
  if (context !== null && context.agentId !== '') {
    agentId = context.agentId;
    agentName = context.agentName;
    agentRole = context.agentRole;
    // An ambient name only counts when no ancestor named the agent: then it is the span's own.
    agentIdSource = ownId !== '' || parentContext === null || parentContext.agentId === '' ? 'span' : 'ancestor';
  }

  // Delegation is derived only between agents named as agents: a workflow or a span name
  // above an agent is a container, not an agent that handed work over.
  let delegationFrom = fields.delegationFrom;
  if (
    delegationFrom === '' &&
    kind === 'agent' &&
    fields.agentId !== '' &&
    parentContext !== null &&
    parentContext.agentNamed &&
    parentContext.agentId !== fields.agentId
  ) {
    delegationFrom = parentContext.agentId;
  }

  let toolArgsHash = '';
  if (isTool) {
    toolArgsHash = fields.toolArgsHash;
    if (toolArgsHash === '' && fields.toolArgs !== undefined) toolArgsHash = hashToolArgs(fields.toolArgs, fields.toolArgsFormat);
  }

  const inputTokens = Math.max(0, fields.inputTokens);
  const outputTokens = Math.max(0, fields.outputTokens);
  const costUsd =
    fields.costUsd >= 0
      ? fields.costUsd
      : inputTokens + outputTokens > 0 && fields.model !== ''
        ? prices.costOf(fields.model, inputTokens, outputTokens)
        : 0;

  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    name: span.name,
    spanKind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano,
    durationNs: span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0n,
    serviceName: resource.serviceName,
    scopeName: input.scope.name,
    scopeVersion: input.scope.version,
    resourceAttributes: input.resourceAttributes,
    attributes: span.attributes,
    events: span.events,
    links: span.links,
    statusCode: span.status.code,
    statusMessage: span.status.message,
    agentId: boundedIdentifier(agentId),
    agentIdSource,
    agentName,
    agentRole,
    sessionId: boundedIdentifier(context?.sessionId ?? ''),
    taskId: context?.taskId ?? '',
    kind,
    toolName: boundedIdentifier(isTool ? fields.toolName || toolNameFromSpanName(span.name) : ''),
    toolArgsHash,
    model: boundedIdentifier(fields.model),
    provider: fields.provider,
    inputTokens,
    outputTokens,
    // Reported costs are finite numbers but may be absurd; sums of them must stay finite.
    costUsd: Number.isFinite(costUsd) ? costUsd : 0,
    dataClasses: fields.dataClasses,
    dataAccess: fields.dataAccess,
    // A tool call's server is the system it touched (an MCP server, an API); a model's is not.
    target: boundedIdentifier(fields.target || (isTool ? readString(span.attributes, ATTR_SERVER_ADDRESS) : '')),
    delegationFrom: boundedIdentifier(delegationFrom),
    actionTier: fields.actionTier,
    approvalId: fields.approvalId,
    confidence: fields.confidence,
    intent: fields.intent,
    status: statusOf(span),
    errorType: errorTypeOf(span),
  };
}
