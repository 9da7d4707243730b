// OpenLLMetry (Traceloop) names Warden reads. Source: traceloop/openllmetry-js
// packages/ai-semantic-conventions/src/SemanticAttributes.ts and the Python semconv_ai package.
// Its LLM spans mostly use gen_ai.* (read by the GenAI mapper); these are the rest.

export const ATTR_TRACELOOP_SPAN_KIND = 'traceloop.span.kind';
export const TRACELOOP_SPAN_KIND_WORKFLOW = 'workflow';
export const TRACELOOP_SPAN_KIND_AGENT = 'agent';
export const TRACELOOP_SPAN_KIND_TOOL = 'tool';

/** Name of the decorated workflow, propagated to every span inside it. */
export const ATTR_TRACELOOP_WORKFLOW_NAME = 'traceloop.workflow.name';
/** Name of the decorated entity (workflow, task, agent or tool) this span is. */
export const ATTR_TRACELOOP_ENTITY_NAME = 'traceloop.entity.name';
/** JSON of the entity's call, `{"args": [...], "kwargs": {...}}`. */
export const ATTR_TRACELOOP_ENTITY_INPUT = 'traceloop.entity.input';
/** Prefix of the application's association properties (user, session, chat ids). */
export const TRACELOOP_ASSOCIATION_PREFIX = 'traceloop.association.properties.';
/** Association keys that name a conversation, in the spellings Traceloop's docs use. */
export const TRACELOOP_SESSION_KEYS: readonly string[] = [
  `${TRACELOOP_ASSOCIATION_PREFIX}session_id`,
  `${TRACELOOP_ASSOCIATION_PREFIX}sessionId`,
  `${TRACELOOP_ASSOCIATION_PREFIX}conversation_id`,
  `${TRACELOOP_ASSOCIATION_PREFIX}chat_id`,
  `${TRACELOOP_ASSOCIATION_PREFIX}thread_id`,
];

/** Older OpenLLMetry: the request type stood in for gen_ai.operation.name. */
export const ATTR_LLM_REQUEST_TYPE = 'llm.request.type';
export const LLM_REQUEST_TYPES_INFERENCE: ReadonlySet<string> = new Set(['chat', 'completion', 'embedding']);
/** Older OpenLLMetry usage names. */
export const ATTR_LLM_USAGE_PROMPT_TOKENS = 'llm.usage.prompt_tokens';
export const ATTR_LLM_USAGE_COMPLETION_TOKENS = 'llm.usage.completion_tokens';
