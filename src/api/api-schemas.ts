import { z } from 'zod';

/** Request and response schemas of the REST API; the OpenAPI document is generated from them. */
export const traceIdParams = z.object({
  traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, 'trace id must be 32 hex characters'),
});

export const agentIdParams = z.object({
  id: z.string().min(1).max(512),
});

export const outcomeInput = z
  .object({
    agent_id: z.string().min(1).max(512),
    trace_id: z.string().regex(/^[0-9a-fA-F]{32}$/, 'trace_id must be 32 hex characters').optional(),
    session_id: z.string().max(512).optional(),
    name: z.string().min(1).max(256),
    value: z.number().finite().default(1),
    success: z.boolean().optional(),
    ts: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'OutcomeInput', description: 'A business outcome tied to an agent, and optionally to a trace or session' });

/** An array is the documented form; a single object is accepted too, as a batch of one. */
export const outcomesBody = z.union([z.array(outcomeInput).min(1).max(10_000), outcomeInput]);

export const outcomeQuery = z.object({
  agent: z.string().min(1).max(512).optional(),
  trace: z.string().regex(/^[0-9a-fA-F]{32}$/, 'trace must be 32 hex characters').optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const outcomeView = z
  .object({
    agent_id: z.string(),
    trace_id: z.string(),
    session_id: z.string(),
    name: z.string(),
    value: z.number(),
    success: z.boolean().nullable(),
    ts: z.string(),
    source: z.enum(['api', 'log', 'span_event']),
  })
  .meta({ id: 'Outcome' });

export const traceSpanView = z
  .object({
    trace_id: z.string(),
    span_id: z.string(),
    parent_span_id: z.string(),
    name: z.string(),
    start: z.string().describe('span start, RFC 3339 with nanoseconds, UTC'),
    duration_ns: z.number(),
    service_name: z.string(),
    agent_id: z.string(),
    agent_name: z.string(),
    session_id: z.string(),
    kind: z.enum(['agent', 'llm', 'tool', 'other']),
    tool_name: z.string(),
    tool_args_hash: z.string(),
    model: z.string(),
    input_tokens: z.number(),
    output_tokens: z.number(),
    cost_usd: z.number(),
    status: z.enum(['unset', 'ok', 'error']),
    error_type: z.string(),
    attributes: z.record(z.string(), z.string()),
    resource_attributes: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Span' });

export const agentView = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.string(),
    status: z.enum(['active', 'suspended']),
    last_seen: z.string(),
    spans_1h: z.number(),
    input_tokens_1h: z.number(),
    output_tokens_1h: z.number(),
    cost_usd_1h: z.number(),
    open_alerts: z.number(),
  })
  .meta({ id: 'Agent' });

export const errorBody = z
  .object({ code: z.string(), message: z.string() })
  .meta({ id: 'Error', description: 'Every API error: a stable code (see README) and what to do' });
