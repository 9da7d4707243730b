import { z } from 'zod';
import { ALERT_STATUSES, SEVERITIES } from '../alerter/alert.ts';
import { FINDING_KINDS } from '../policy/agent-policy.ts';
import { agentView, alertAckBody, alertView, errorBody, outcomeInput, outcomeView, traceSpanView } from './api-schemas.ts';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const errors = {
  '400': { description: 'invalid request', content: json(ref('Error')) },
  '404': { description: 'not found', content: json(ref('Error')) },
};

function agentAction(summary: string): Record<string, unknown> {
  return {
    post: {
      summary,
      security: [{ bearer: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: true,
        content: json({ type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1 }, by: { type: 'string', description: 'actor recorded in the actions log; default "api"' } } }),
      },
      responses: {
        '202': { description: 'done and recorded', content: json({ type: 'object', properties: { agent_id: { type: 'string' }, status: { type: 'string', enum: ['active', 'suspended'] }, action: { type: 'object' } } }) },
        '200': { description: 'already in that state: nothing recorded (action is null)' },
        '400': errors['400'],
        '401': { description: 'missing or wrong token', content: json(ref('Error')) },
      },
    },
  };
}

/** OpenAPI 3.1 for /api/v1, built from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12, so zod's default output fits once its $defs
  // references point at components.
  const generated = z.toJSONSchema(z.object({ agentView, alertAckBody, alertView, errorBody, outcomeInput, outcomeView, traceSpanView }), { io: 'input' });
  const components = JSON.parse(JSON.stringify(generated).replaceAll('#/$defs/', '#/components/schemas/')) as {
    $defs?: Record<string, unknown>;
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Warden API', version, description: 'Agents, traces, alerts and outcomes of an agent fleet' },
    components: {
      schemas: components.$defs ?? {},
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'WARDEN_API_TOKEN; required on write endpoints when set' } },
    },
    paths: {
      '/api/v1/agents': {
        get: {
          summary: 'Agents seen, with last-hour activity',
          responses: { '200': { description: 'agents', content: json({ type: 'object', properties: { agents: { type: 'array', items: ref('Agent') } } }) } },
        },
      },
      '/api/v1/agents/{id}': {
        get: {
          summary: 'One agent',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'agent', content: json(ref('Agent')) }, ...errors },
        },
      },
      '/api/v1/agents/{id}/suspend': agentAction('Suspend an agent by hand: recorded with the actor, and the suspension callback is sent'),
      '/api/v1/agents/{id}/resume': agentAction('Resume a suspended agent: recorded, and `agent.resume` is sent through the callback'),
      '/api/v1/alerts': {
        get: {
          summary: 'Stored alerts, newest first (each in its latest version)',
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ALERT_STATUSES } },
            { name: 'agent', in: 'query', schema: { type: 'string' } },
            { name: 'kind', in: 'query', schema: { type: 'string', enum: FINDING_KINDS } },
            { name: 'severity', in: 'query', schema: { type: 'string', enum: SEVERITIES } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: { '200': { description: 'alerts', content: json({ type: 'object', properties: { alerts: { type: 'array', items: ref('Alert') } } }) }, '400': errors['400'] },
        },
      },
      '/api/v1/alerts/{id}': {
        get: {
          summary: 'One alert',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'alert', content: json(ref('Alert')) }, ...errors },
        },
      },
      '/api/v1/alerts/{id}/ack': {
        post: {
          summary: 'Acknowledge an alert (it keeps counting repeats and resolves after its quiet period); the first ack is kept',
          security: [{ bearer: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: false, content: json(ref('AlertAck')) },
          responses: {
            '200': { description: 'the acknowledged alert', content: json(ref('Alert')) },
            ...errors,
            '401': { description: 'missing or wrong token', content: json(ref('Error')) },
          },
        },
      },
      '/api/v1/traces/{traceId}': {
        get: {
          summary: 'Stored spans of a trace',
          parameters: [{ name: 'traceId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' } }],
          responses: {
            '200': { description: 'spans', content: json({ type: 'object', properties: { trace_id: { type: 'string' }, spans: { type: 'array', items: ref('Span') } } }) },
            ...errors,
          },
        },
      },
      '/api/v1/outcomes': {
        get: {
          summary: 'Stored outcome signals, newest first',
          parameters: [
            { name: 'agent', in: 'query', schema: { type: 'string' } },
            { name: 'trace', in: 'query', schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 } },
          ],
          responses: { '200': { description: 'outcomes', content: json({ type: 'object', properties: { outcomes: { type: 'array', items: ref('Outcome') } } }) }, '400': errors['400'] },
        },
        post: {
          summary: 'Record outcome signals',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json({ oneOf: [{ type: 'array', items: ref('OutcomeInput') }, ref('OutcomeInput')] }) },
          responses: {
            '202': { description: 'accepted', content: json({ type: 'object', properties: { accepted: { type: 'integer' } } }) },
            '400': errors['400'],
            '401': { description: 'missing or wrong token', content: json(ref('Error')) },
            '429': { description: 'write queue full; retry after Retry-After', content: json(ref('Error')) },
          },
        },
      },
    },
  };
}
