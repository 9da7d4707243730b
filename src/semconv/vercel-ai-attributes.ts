// Vercel AI SDK telemetry (`experimental_telemetry`), the names Warden reads. Source: the AI SDK
// docs, "Telemetry > Collected data" (ai-sdk.dev/docs/ai-sdk-core/telemetry), v4 to v6.

/** Which AI SDK call the span is, e.g. `ai.generateText` or `ai.generateText.doGenerate`. */
export const ATTR_AI_OPERATION_ID = 'ai.operationId';
/** The `functionId` the application gave the call; usually names the agent or feature. */
export const ATTR_AI_TELEMETRY_FUNCTION_ID = 'ai.telemetry.functionId';
/** Prefix of the free-form `metadata` the application attached to the call. */
export const AI_TELEMETRY_METADATA_PREFIX = 'ai.telemetry.metadata.';

export const ATTR_AI_MODEL_ID = 'ai.model.id';
export const ATTR_AI_MODEL_PROVIDER = 'ai.model.provider';
export const ATTR_AI_RESPONSE_MODEL = 'ai.response.model';

/** v5 and later. */
export const ATTR_AI_USAGE_INPUT_TOKENS = 'ai.usage.inputTokens';
export const ATTR_AI_USAGE_OUTPUT_TOKENS = 'ai.usage.outputTokens';
/** Up to v5 (v5 still sends them on generateText). */
export const ATTR_AI_USAGE_PROMPT_TOKENS = 'ai.usage.promptTokens';
export const ATTR_AI_USAGE_COMPLETION_TOKENS = 'ai.usage.completionTokens';
/** Embedding calls report one count. */
export const ATTR_AI_USAGE_TOKENS = 'ai.usage.tokens';

export const ATTR_AI_TOOL_CALL_NAME = 'ai.toolCall.name';
/** JSON string of the arguments the model chose. */
export const ATTR_AI_TOOL_CALL_ARGS = 'ai.toolCall.args';

// ai.operationId values and suffixes.
export const AI_OPERATION_TOOL_CALL = 'ai.toolCall';
/** The top-level calls that run a multi-step loop with tools: an agent turn, not one inference. */
export const AI_AGENT_OPERATIONS: ReadonlySet<string> = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
]);
/** Suffixes of the provider calls, the actual inferences. */
export const AI_PROVIDER_CALL_SUFFIXES: readonly string[] = ['.doGenerate', '.doStream', '.doEmbed'];

/** Metadata keys applications use for the session (Langfuse's documented `sessionId` first). */
export const AI_TELEMETRY_SESSION_KEYS: readonly string[] = [
  `${AI_TELEMETRY_METADATA_PREFIX}sessionId`,
  `${AI_TELEMETRY_METADATA_PREFIX}session_id`,
];
