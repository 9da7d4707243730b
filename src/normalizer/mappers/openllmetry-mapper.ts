// OpenLLMetry (Traceloop). Its LLM spans speak gen_ai.* (read by the GenAI mapper); this reads
// the workflow/agent/tool structure of traceloop.span.kind and the older llm.* names.
import {
  ATTR_LLM_REQUEST_TYPE,
  ATTR_LLM_USAGE_COMPLETION_TOKENS,
  ATTR_LLM_USAGE_PROMPT_TOKENS,
  ATTR_TRACELOOP_ENTITY_INPUT,
  ATTR_TRACELOOP_ENTITY_NAME,
  ATTR_TRACELOOP_SPAN_KIND,
  ATTR_TRACELOOP_WORKFLOW_NAME,
  LLM_REQUEST_TYPES_INFERENCE,
  TRACELOOP_SESSION_KEYS,
  TRACELOOP_SPAN_KIND_AGENT,
  TRACELOOP_SPAN_KIND_TOOL,
  TRACELOOP_SPAN_KIND_WORKFLOW,
} from '../../semconv/openllmetry-attributes.ts';
import type { AgentSpanKind } from '../agent-span.ts';
import type { AttributeMapper } from '../attribute-mapper.ts';
import { readCount, readFirstString, readString } from '../attribute-readers.ts';
import type { Attributes } from '../../otlp/otlp-types.ts';
import { offerToolArgs } from '../mapped-fields.ts';

function kindOf(spanKind: string, a: Attributes): AgentSpanKind | '' {
  if (spanKind === TRACELOOP_SPAN_KIND_WORKFLOW || spanKind === TRACELOOP_SPAN_KIND_AGENT) return 'agent';
  if (spanKind === TRACELOOP_SPAN_KIND_TOOL) return 'tool';
  return LLM_REQUEST_TYPES_INFERENCE.has(readString(a, ATTR_LLM_REQUEST_TYPE)) ? 'llm' : '';
}

export const openLlmetryMapper: AttributeMapper = {
  name: 'openllmetry',
  map(span, out) {
    const a = span.attributes;
    const spanKind = readString(a, ATTR_TRACELOOP_SPAN_KIND);
    if (out.kind === '') out.kind = kindOf(spanKind, a);
    if (out.agentId === '' && spanKind === TRACELOOP_SPAN_KIND_AGENT) out.agentId = readString(a, ATTR_TRACELOOP_ENTITY_NAME);
    // The workflow name is propagated to every span inside the workflow: it names the workflow
    // span itself, and is only ambient context on the spans within.
    if (spanKind === TRACELOOP_SPAN_KIND_WORKFLOW) {
      if (out.containerName === '') out.containerName = readString(a, ATTR_TRACELOOP_WORKFLOW_NAME) || readString(a, ATTR_TRACELOOP_ENTITY_NAME);
    } else if (out.ambientName === '') {
      out.ambientName = readString(a, ATTR_TRACELOOP_WORKFLOW_NAME);
    }
    if (out.sessionId === '') out.sessionId = readFirstString(a, TRACELOOP_SESSION_KEYS);
    // A tool may be decorated as a tool, or be a task that another convention marks as a tool call.
    if (spanKind === TRACELOOP_SPAN_KIND_TOOL || out.kind === 'tool') {
      if (out.toolName === '') out.toolName = readString(a, ATTR_TRACELOOP_ENTITY_NAME);
      offerToolArgs(out, a[ATTR_TRACELOOP_ENTITY_INPUT], 'traceloop-entity');
    }
    if (out.inputTokens < 0) out.inputTokens = readCount(a, ATTR_LLM_USAGE_PROMPT_TOKENS);
    if (out.outputTokens < 0) out.outputTokens = readCount(a, ATTR_LLM_USAGE_COMPLETION_TOKENS);
  },
};
