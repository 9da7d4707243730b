// OpenTelemetry GenAI conventions v1.41.1, including the deprecated names instrumentations
// still emit (gen_ai.system, gen_ai.usage.prompt_tokens / completion_tokens).
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_CREATE_AGENT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
} from '../../semconv/gen-ai-attributes.ts';
import type { AgentSpanKind } from '../agent-span.ts';
import type { AttributeMapper } from '../attribute-mapper.ts';
import { readCount, readString } from '../attribute-readers.ts';
import { offerToolArgs } from '../mapped-fields.ts';

/** Operations not listed (retrieval, and names newer than v1.41) leave the kind to others. */
const KIND_OF_OPERATION: ReadonlyMap<string, AgentSpanKind> = new Map<string, AgentSpanKind>([
  [GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT, 'agent'],
  [GEN_AI_OPERATION_NAME_VALUE_CREATE_AGENT, 'agent'],
  [GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW, 'agent'],
  [GEN_AI_OPERATION_NAME_VALUE_CHAT, 'llm'],
  [GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT, 'llm'],
  [GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION, 'llm'],
  [GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS, 'llm'],
  [GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL, 'tool'],
]);

export const genAiMapper: AttributeMapper = {
  name: 'gen_ai',
  map(span, out) {
    const a = span.attributes;
    const operation = readString(a, ATTR_GEN_AI_OPERATION_NAME);
    if (out.kind === '') out.kind = KIND_OF_OPERATION.get(operation) ?? '';
    if (out.agentId === '') out.agentId = readString(a, ATTR_GEN_AI_AGENT_ID) || readString(a, ATTR_GEN_AI_AGENT_NAME);
    if (out.agentName === '') out.agentName = readString(a, ATTR_GEN_AI_AGENT_NAME);
    if (out.containerName === '' && operation === GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW) {
      out.containerName = readString(a, ATTR_GEN_AI_WORKFLOW_NAME);
    }
    if (out.sessionId === '') out.sessionId = readString(a, ATTR_GEN_AI_CONVERSATION_ID);
    if (out.toolName === '') out.toolName = readString(a, ATTR_GEN_AI_TOOL_NAME);
    offerToolArgs(out, a[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS], 'json');
    // The response model is the one that actually answered (often a dated variant): it prices right.
    if (out.model === '') out.model = readString(a, ATTR_GEN_AI_RESPONSE_MODEL) || readString(a, ATTR_GEN_AI_REQUEST_MODEL);
    if (out.provider === '') out.provider = readString(a, ATTR_GEN_AI_PROVIDER_NAME) || readString(a, ATTR_GEN_AI_SYSTEM);
    if (out.inputTokens < 0) {
      const current = readCount(a, ATTR_GEN_AI_USAGE_INPUT_TOKENS);
      out.inputTokens = current >= 0 ? current : readCount(a, ATTR_GEN_AI_USAGE_PROMPT_TOKENS);
    }
    if (out.outputTokens < 0) {
      const current = readCount(a, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS);
      out.outputTokens = current >= 0 ? current : readCount(a, ATTR_GEN_AI_USAGE_COMPLETION_TOKENS);
    }
  },
};
