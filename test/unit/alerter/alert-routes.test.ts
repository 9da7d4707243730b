import { ACCEPTED_IN_MEMORY } from '../../../src/store/admission.ts';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildApiApp } from '../../../src/api/api-app.ts';
import type { AlertQuery, AlertView, ApiReadModel } from '../../../src/api/read-model.ts';
import { fail, ok } from '../../../src/errors/warden-error.ts';

const alert: AlertView = {
  id: '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b',
  fingerprint: 'f'.repeat(32),
  kind: 'loop',
  rule: 'identical_calls',
  severity: 'warning',
  status: 'firing',
  agent_id: 'support-1',
  trace_id: 'a'.repeat(32),
  session_id: 'session-1',
  summary: 'ticket-create called 5 times with the same arguments',
  evidence: { span_ids: ['01'], trace_ids: ['a'.repeat(32)] },
  first_seen: '2026-11-23T10:00:00.000Z',
  last_seen: '2026-11-23T10:00:01.000Z',
  count: 5,
  action: 'notify',
  acked_at: null,
  acked_by: null,
  ack_reason: null,
  resolved_at: null,
  merged_into: null,
};

function build(options: { token?: string; storeDown?: boolean } = {}) {
  const queries: AlertQuery[] = [];
  const acks: Array<[string, string, string | undefined]> = [];
  const readModel = {} as ApiReadModel;
  const app = buildApiApp(
    {
      readModel,
      outcomes: { writeOutcomes: () => ACCEPTED_IN_MEMORY },
      readiness: { notReadyReason: () => null },
      metricsRegistry: new Registry(),
      logger: pino({ level: 'silent' }),
      alerts: {
        readModel: {
          listAlerts: async (query) => {
            queries.push(query);
            return [alert];
          },
          getAlert: async (id) => (id === alert.id ? alert : null),
        },
        acks: {
          ack: async (id, actor, reason) => {
            acks.push([id, actor, reason]);
            if (options.storeDown) return fail('WARDEN_STORE_UNAVAILABLE', 'alert lookup failed: connection refused');
            return ok(id === alert.id ? { ...alert, acked_at: '2026-11-23T10:05:00.000Z', acked_by: actor, ack_reason: reason || null } : null);
          },
        },
      },
    },
    { token: options.token, maxBodyBytes: 1024 * 1024, version: '0.0.0-test' },
  );
  return { app, queries, acks };
}

describe('alert routes', () => {
  it('lists alerts with validated filters and defaults', async () => {
    const { app, queries } = build();
    const response = await app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing&agent=support-1&kind=loop&severity=warning&limit=5' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ alerts: [alert] });
    expect(queries[0]).toEqual({ status: 'firing', agentId: 'support-1', kind: 'loop', severity: 'warning', limit: 5 });
    await app.inject({ method: 'GET', url: '/api/v1/alerts' });
    expect(queries[1]).toEqual({ status: undefined, agentId: undefined, kind: undefined, severity: undefined, limit: 100 });
  });

  it('answers 400 naming the field for an unknown enum value or a bad limit', async () => {
    const { app } = build();
    for (const [query, field] of [
      ['status=open', 'status'],
      ['kind=loops', 'kind'],
      ['severity=high', 'severity'],
      ['limit=0', 'limit'],
    ] as const) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/alerts?${query}` });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'WARDEN_API_BAD_REQUEST' });
      expect(response.json().message).toMatch(new RegExp(`^${field}:`));
    }
  });

  it('returns one alert by id and 404 for an unknown id', async () => {
    const { app } = build();
    expect((await app.inject({ method: 'GET', url: `/api/v1/alerts/${alert.id}` })).json()).toEqual(alert);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/alerts/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'WARDEN_API_NOT_FOUND' });
  });

  it('acks through the alerter with the actor and reason, requiring the API token when set', async () => {
    const { app, acks } = build({ token: 's3cret' });
    const url = `/api/v1/alerts/${alert.id}/ack`;
    expect((await app.inject({ method: 'POST', url, payload: { by: 'alice' } })).statusCode).toBe(401);
    expect(acks).toHaveLength(0);
    const acked = await app.inject({ method: 'POST', url, payload: { by: 'alice', reason: 'on it' }, headers: { authorization: 'Bearer s3cret' } });
    expect(acked.statusCode).toBe(200);
    expect(acked.json()).toMatchObject({ id: alert.id, acked_by: 'alice', ack_reason: 'on it' });
    // No body at all: acknowledged as "api".
    const bare = await app.inject({ method: 'POST', url, headers: { authorization: 'Bearer s3cret' } });
    expect(bare.statusCode).toBe(200);
    expect(acks.at(-1)).toEqual([alert.id, 'api', '']);
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/alerts/nope/ack', headers: { authorization: 'Bearer s3cret' } });
    expect(unknown.statusCode).toBe(404);
    const badBody = await app.inject({ method: 'POST', url, payload: { by: '' }, headers: { authorization: 'Bearer s3cret' } });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().message).toMatch(/^by:/);
  });

  it('answers 503 when the store cannot be read during an ack', async () => {
    const { app } = build({ storeDown: true });
    const response = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/ack` });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'WARDEN_STORE_UNAVAILABLE' });
  });

  it('documents the alert routes and schema in OpenAPI', async () => {
    const { app } = build();
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/alerts', '/api/v1/alerts/{id}', '/api/v1/alerts/{id}/ack']));
    expect(document.components.schemas.Alert.required).toEqual(
      expect.arrayContaining(['id', 'fingerprint', 'kind', 'severity', 'status', 'agent_id', 'trace_id', 'summary', 'evidence', 'first_seen', 'last_seen', 'count', 'action']),
    );
    expect(document.components.schemas.Alert.properties.action.enum).toEqual(['record', 'notify', 'would_suspend', 'suspend']);
    expect(JSON.stringify(document)).not.toContain('#/$defs/');
  });
});
