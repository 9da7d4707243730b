// OpenInference (Arize): openinference.span.kind says what a span is. An AGENT span, or a CHAIN
// with no parent (the run a framework starts, e.g. a LangGraph agent), is the agent's own span;
// its name is the agent's name when no agent attribute says better. That name is a guess: the
// OpenAI Agents instrumentation makes the SDK's trace (a workflow, named by the user or after
// the SDK's default) an AGENT root above the AGENT spans that name each agent by graph.node.id,
// so the guess yields to an agent named below it (workflow-containers.ts).
import {
  ATTR_OI_AGENT_NAME,
  ATTR_OI_EMBEDDING_MODEL_NAME,
  ATTR_OI_GRAPH_NODE_ID,
  ATTR_OI_INPUT_VALUE,
  ATTR_OI_LLM_COST_TOTAL,
  ATTR_OI_LLM_MODEL_NAME,
  ATTR_OI_LLM_PROVIDER,
  ATTR_OI_LLM_REQUEST_MODEL_NAME,
  ATTR_OI_LLM_RESPONSE_MODEL_NAME,
  ATTR_OI_LLM_SYSTEM,
  ATTR_OI_LLM_TOKEN_COUNT_COMPLETION,
  ATTR_OI_LLM_TOKEN_COUNT_PROMPT,
  ATTR_OI_SESSION_ID,
  ATTR_OI_TOOL_NAME,
  ATTR_OPENINFERENCE_SPAN_KIND,
  OPENINFERENCE_SPAN_KIND_AGENT,
  OPENINFERENCE_SPAN_KIND_CHAIN,
  OPENINFERENCE_SPAN_KIND_EMBEDDING,
  OPENINFERENCE_SPAN_KIND_LLM,
  OPENINFERENCE_SPAN_KIND_TOOL,
} from '../../semconv/openinference-attributes.ts';
import type { AgentSpanKind } from '../agent-span.ts';
import type { AttributeMapper } from '../attribute-mapper.ts';
import { readCount, readNumber, readString } from '../attribute-readers.ts';
import { offerToolArgs } from '../mapped-fields.ts';

function kindOf(spanKind: string, isRoot: boolean): AgentSpanKind | '' {
  switch (spanKind) {
    case OPENINFERENCE_SPAN_KIND_AGENT:
      return 'agent';
    case OPENINFERENCE_SPAN_KIND_LLM:
    case OPENINFERENCE_SPAN_KIND_EMBEDDING:
      return 'llm';
    case OPENINFERENCE_SPAN_KIND_TOOL:
      return 'tool';
    case OPENINFERENCE_SPAN_KIND_CHAIN:
      return isRoot ? 'agent' : '';
    default:
      return '';
  }
}

export const openInferenceMapper: AttributeMapper = {
  name: 'openinference',
  map(span, out) {
    const a = span.attributes;
    const spanKind = readString(a, ATTR_OPENINFERENCE_SPAN_KIND);
    const isAgentSpan = spanKind === OPENINFERENCE_SPAN_KIND_AGENT;
    const isRootChain = spanKind === OPENINFERENCE_SPAN_KIND_CHAIN && span.parentSpanId === '';
    if (out.kind === '') out.kind = kindOf(spanKind, span.parentSpanId === '');
    if (out.agentId === '') {
      out.agentId = readString(a, ATTR_OI_AGENT_NAME) || (isAgentSpan ? readString(a, ATTR_OI_GRAPH_NODE_ID) : '');
    }
    if (out.containerName === '' && span.name !== '' && (isAgentSpan || isRootChain)) {
      out.containerName = span.name;
      out.containerNameGuessed = true;
    }
    if (out.sessionId === '') out.sessionId = readString(a, ATTR_OI_SESSION_ID);
    const isTool = spanKind === OPENINFERENCE_SPAN_KIND_TOOL || out.kind === 'tool';
    if (isTool) {
      // tool.name also names advertised tools under llm.tools.N; bare, on a tool span, it is the call.
      if (out.toolName === '') out.toolName = readString(a, ATTR_OI_TOOL_NAME);
      offerToolArgs(out, a[ATTR_OI_INPUT_VALUE], 'json');
    }
    if (out.model === '') {
      out.model =
        readString(a, ATTR_OI_LLM_MODEL_NAME) ||
        readString(a, ATTR_OI_LLM_RESPONSE_MODEL_NAME) ||
        readString(a, ATTR_OI_LLM_REQUEST_MODEL_NAME) ||
        readString(a, ATTR_OI_EMBEDDING_MODEL_NAME);
    }
    if (out.provider === '') out.provider = readString(a, ATTR_OI_LLM_PROVIDER) || readString(a, ATTR_OI_LLM_SYSTEM);
    if (out.inputTokens < 0) out.inputTokens = readCount(a, ATTR_OI_LLM_TOKEN_COUNT_PROMPT);
    if (out.outputTokens < 0) out.outputTokens = readCount(a, ATTR_OI_LLM_TOKEN_COUNT_COMPLETION);
    if (out.costUsd < 0) {
      const cost = readNumber(a, ATTR_OI_LLM_COST_TOTAL);
      if (cost !== null && cost >= 0) out.costUsd = cost;
    }
  },
};
