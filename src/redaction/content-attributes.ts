// Attributes that carry what a model or a user said: prompts, completions, instructions and the
// arguments and results of tool calls, as the conventions Warden maps name them. The GenAI
// conventions make these opt-in because they hold personal and confidential data; a Warden set
// to redact prompts keeps none of them. Globs: `*` matches any characters, dots included.
export const CONTENT_ATTRIBUTE_GLOBS: readonly string[] = [
  // OpenTelemetry GenAI (current, and the deprecated prompt/completion attributes and their
  // indexed form that OpenLLMetry still emits: gen_ai.prompt.0.content, ...)
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.prompt',
  'gen_ai.prompt.*',
  'gen_ai.completion',
  'gen_ai.completion.*',
  // OpenInference
  'input.value',
  'output.value',
  'llm.input_messages.*',
  'llm.output_messages.*',
  'llm.prompts.*',
  'llm.prompt_template.variables',
  // Vercel AI SDK
  'ai.prompt',
  'ai.prompt.*',
  'ai.response.text',
  'ai.response.object',
  'ai.response.toolCalls',
  'ai.result.text',
  'ai.result.object',
  'ai.result.toolCalls',
  'ai.toolCall.args',
  'ai.toolCall.result',
  // OpenLLMetry (Traceloop)
  'traceloop.entity.input',
  'traceloop.entity.output',
];

/**
 * Span events of the GenAI conventions (gen_ai.user.message, gen_ai.choice, ...) carry the
 * message in plain attribute names; in an event named `gen_ai.*` these are content too.
 */
export const CONTENT_EVENT_PREFIX = 'gen_ai.';
export const CONTENT_EVENT_ATTRIBUTES: readonly string[] = ['content', 'message', 'tool_calls', 'body', 'gen_ai.event.content'];
