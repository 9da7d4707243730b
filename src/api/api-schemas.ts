import { z } from 'zod';
import { ALERT_ACTIONS, ALERT_STATUSES, SEVERITIES } from '../alerter/alert.ts';
import { FINDING_KINDS } from '../policy/agent-policy.ts';

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

export const alertIdParams = z.object({
  id: z.string().min(1).max(128),
});

export const alertQuery = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  agent: z.string().min(1).max(512).optional(),
  kind: z.enum(FINDING_KINDS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const alertAckBody = z
  .object({
    by: z.string().min(1).max(256).optional().describe('who acknowledges; default "api"'),
    reason: z.string().max(4096).optional(),
  })
  .meta({ id: 'AlertAck' });

const isoTime = z.string().describe('RFC 3339, UTC, milliseconds');

export const alertView = z
  .object({
    id: z.string().describe('UUIDv7; a new id for every opening'),
    fingerprint: z.string().describe('sha256 of kind, agent and rule (32 hex digits); repeats share it'),
    kind: z.enum(FINDING_KINDS),
    rule: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(ALERT_STATUSES),
    agent_id: z.string(),
    trace_id: z.string().describe('trace of the latest finding'),
    session_id: z.string(),
    summary: z.string(),
    evidence: z.record(z.string(), z.unknown()).describe('the latest finding\'s evidence; span_ids merged over repeats (last 50), trace_ids (last 16)'),
    first_seen: isoTime,
    last_seen: isoTime,
    count: z.number().int(),
    action: z.enum(ALERT_ACTIONS),
    acked_at: isoTime.nullable(),
    acked_by: z.string().nullable(),
    ack_reason: z.string().nullable(),
    resolved_at: isoTime.nullable(),
    merged_into: z.string().nullable().describe('the alert this one was folded into after its agent was re-attributed'),
  })
  .meta({ id: 'Alert' });

export const errorBody = z
  .object({ code: z.string(), message: z.string() })
  .meta({ id: 'Error', description: 'Every API error: a stable code (see README) and what to do' });
