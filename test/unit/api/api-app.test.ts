import { ACCEPTED_IN_MEMORY, REFUSED } from '../../../src/store/admission.ts';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildApiApp } from '../../../src/api/api-app.ts';
import type { AgentView, ApiReadModel, TraceSpanView } from '../../../src/api/read-model.ts';
import type { OutcomeSignal } from '../../../src/normalizer/agent-span.ts';

const agent: AgentView = {
  id: 'support-1',
  name: 'Support',
  role: '',
  status: 'active',
  last_seen: '2026-11-23T10:00:00.000Z',
  spans_1h: 3,
  input_tokens_1h: 10,
  output_tokens_1h: 5,
  cost_usd_1h: 0.01,
  open_alerts: 0,
};

function build(options: { token?: string; queueFull?: boolean } = {}) {
  const written: OutcomeSignal[][] = [];
  const readModel: ApiReadModel = {
    getTrace: async (traceId) => (traceId === 'a'.repeat(32) ? [{ trace_id: traceId } as TraceSpanView] : []),
    listAgents: async () => [agent],
    getAgent: async (id) => (id === agent.id ? agent : null),
    listOutcomes: async () => [],
  };
  const app = buildApiApp(
    {
      readModel,
      outcomes: { writeOutcomes: (outcomes) => (options.queueFull ? REFUSED : (written.push(outcomes), ACCEPTED_IN_MEMORY)) },
      readiness: { notReadyReason: () => null },
      metricsRegistry: new Registry(),
      logger: pino({ level: 'silent' }),
    },
    { token: options.token, maxBodyBytes: 1024 * 1024, version: '0.0.0-test' },
  );
  return { app, written };
}

describe('REST API', () => {
  it('requires the API token on write endpoints when one is configured, compared exactly', async () => {
    const { app, written } = build({ token: 's3cret' });
    const body = [{ agent_id: 'a', name: 'n', value: 1 }];
    expect((await app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: body })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: body, headers: { authorization: 'Bearer s3cre' } })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: body, headers: { authorization: 'Bearer s3cret' } });
    expect(ok.statusCode).toBe(202);
    expect(written).toHaveLength(1);
    // Reads stay open: the token guards writes.
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents' })).statusCode).toBe(200);
  });

  it('answers 429 with Retry-After when the write queue is full', async () => {
    const { app } = build({ queueFull: true });
    const response = await app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: { agent_id: 'a', name: 'n' } });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toMatchObject({ code: 'WARDEN_PIPELINE_SATURATED' });
  });

  it('names the field that failed validation', async () => {
    const { app } = build();
    const response = await app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: [{ agent_id: '', name: 'n' }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('[0].agent_id');
    const malformed = await app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: '{"agent_id":', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'WARDEN_API_BAD_REQUEST' });
  });

  it('answers 400 for a malformed trace id and 404 for an unknown trace, agent or route', async () => {
    const { app } = build();
    expect((await app.inject({ method: 'GET', url: '/api/v1/traces/xyz' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/v1/traces/${'b'.repeat(32)}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/v1/traces/${'A'.repeat(32)}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents/nobody' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents/support-1' })).json()).toEqual(agent);
    const missing = await app.inject({ method: 'GET', url: '/api/v2/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('openapi.json');
  });

  it('publishes an OpenAPI 3.1 document describing every route with its schemas', async () => {
    const { app } = build();
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/agents', '/api/v1/agents/{id}', '/api/v1/traces/{traceId}', '/api/v1/outcomes']),
    );
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Agent', 'Span', 'OutcomeInput', 'Error']));
    expect(document.components.schemas.Agent.required).toEqual(expect.arrayContaining(['id', 'status', 'spans_1h', 'cost_usd_1h']));
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    const { app } = build();
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
  });
});
