// OpenInference (Arize) semantic conventions, the names Warden reads. Source:
// github.com/Arize-ai/openinference spec/semantic_conventions.md.

export const ATTR_OPENINFERENCE_SPAN_KIND = 'openinference.span.kind';

// openinference.span.kind values that matter to Warden (upper case on the wire).
export const OPENINFERENCE_SPAN_KIND_AGENT = 'AGENT';
export const OPENINFERENCE_SPAN_KIND_CHAIN = 'CHAIN';
export const OPENINFERENCE_SPAN_KIND_LLM = 'LLM';
export const OPENINFERENCE_SPAN_KIND_EMBEDDING = 'EMBEDDING';
export const OPENINFERENCE_SPAN_KIND_TOOL = 'TOOL';

/** Same name as Warden's agent.name, and the same meaning: the agent this span represents. */
export const ATTR_OI_AGENT_NAME = 'agent.name';
/** Node of the agent graph; OpenAI Agents' instrumentation puts the agent name here. */
export const ATTR_OI_GRAPH_NODE_ID = 'graph.node.id';
export const ATTR_OI_SESSION_ID = 'session.id';

export const ATTR_OI_LLM_MODEL_NAME = 'llm.model_name';
export const ATTR_OI_LLM_RESPONSE_MODEL_NAME = 'llm.response.model_name';
export const ATTR_OI_LLM_REQUEST_MODEL_NAME = 'llm.request.model_name';
export const ATTR_OI_EMBEDDING_MODEL_NAME = 'embedding.model_name';
/** Hosting provider (`azure` for Azure OpenAI); llm.system is the model vendor. */
export const ATTR_OI_LLM_PROVIDER = 'llm.provider';
export const ATTR_OI_LLM_SYSTEM = 'llm.system';

export const ATTR_OI_LLM_TOKEN_COUNT_PROMPT = 'llm.token_count.prompt';
export const ATTR_OI_LLM_TOKEN_COUNT_COMPLETION = 'llm.token_count.completion';
/** USD, when the instrumentation priced the call itself. */
export const ATTR_OI_LLM_COST_TOTAL = 'llm.cost.total';

/** On a TOOL span, the tool being invoked. */
export const ATTR_OI_TOOL_NAME = 'tool.name';
/** On a TOOL span, the tool's input: JSON or plain text (see input.mime_type). */
export const ATTR_OI_INPUT_VALUE = 'input.value';
