// Vercel AI SDK telemetry (ai.*). The span's role comes from ai.operationId: the top-level
// generateText/streamText/... call is an agent turn (it loops over model calls and tools, and its
// ai.usage is a rollup of its steps), the provider calls (.doGenerate, .doStream, .doEmbed) are
// the inferences, ai.toolCall is a tool call.
import {
  AI_AGENT_OPERATIONS,
  AI_OPERATION_TOOL_CALL,
  AI_PROVIDER_CALL_SUFFIXES,
  AI_TELEMETRY_SESSION_KEYS,
  ATTR_AI_MODEL_ID,
  ATTR_AI_MODEL_PROVIDER,
  ATTR_AI_OPERATION_ID,
  ATTR_AI_RESPONSE_MODEL,
  ATTR_AI_TELEMETRY_FUNCTION_ID,
  ATTR_AI_TOOL_CALL_ARGS,
  ATTR_AI_TOOL_CALL_NAME,
  ATTR_AI_USAGE_COMPLETION_TOKENS,
  ATTR_AI_USAGE_INPUT_TOKENS,
  ATTR_AI_USAGE_OUTPUT_TOKENS,
  ATTR_AI_USAGE_PROMPT_TOKENS,
  ATTR_AI_USAGE_TOKENS,
} from '../../semconv/vercel-ai-attributes.ts';
import type { AgentSpanKind } from '../agent-span.ts';
import type { AttributeMapper } from '../attribute-mapper.ts';
import { readCount, readFirstString, readString } from '../attribute-readers.ts';
import type { Attributes } from '../../otlp/otlp-types.ts';
import { offerToolArgs } from '../mapped-fields.ts';

function kindOfOperation(operationId: string): AgentSpanKind | '' {
  if (operationId === AI_OPERATION_TOOL_CALL) return 'tool';
  if (AI_AGENT_OPERATIONS.has(operationId)) return 'agent';
  for (const suffix of AI_PROVIDER_CALL_SUFFIXES) if (operationId.endsWith(suffix)) return 'llm';
  return '';
}

function firstCount(a: Attributes, first: string, second: string, third?: string): number {
  const value = readCount(a, first);
  if (value >= 0) return value;
  const fallback = readCount(a, second);
  return fallback >= 0 || third === undefined ? fallback : readCount(a, third);
}

export const vercelAiMapper: AttributeMapper = {
  name: 'vercel-ai',
  map(span, out) {
    const a = span.attributes;
    const operationId = readString(a, ATTR_AI_OPERATION_ID);
    if (operationId === '') return; // every AI SDK span carries it: this is not one
    if (out.kind === '') out.kind = kindOfOperation(operationId);
    if (out.agentId === '') out.agentId = readString(a, ATTR_AI_TELEMETRY_FUNCTION_ID);
    if (out.sessionId === '') out.sessionId = readFirstString(a, AI_TELEMETRY_SESSION_KEYS);
    if (out.toolName === '') out.toolName = readString(a, ATTR_AI_TOOL_CALL_NAME);
    offerToolArgs(out, a[ATTR_AI_TOOL_CALL_ARGS], 'json');
    if (out.model === '') out.model = readString(a, ATTR_AI_RESPONSE_MODEL) || readString(a, ATTR_AI_MODEL_ID);
    if (out.provider === '') out.provider = readString(a, ATTR_AI_MODEL_PROVIDER);
    if (out.inputTokens < 0) out.inputTokens = firstCount(a, ATTR_AI_USAGE_INPUT_TOKENS, ATTR_AI_USAGE_PROMPT_TOKENS, ATTR_AI_USAGE_TOKENS);
    if (out.outputTokens < 0) out.outputTokens = firstCount(a, ATTR_AI_USAGE_OUTPUT_TOKENS, ATTR_AI_USAGE_COMPLETION_TOKENS);
  },
};
