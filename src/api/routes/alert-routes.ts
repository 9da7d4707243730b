import type { FastifyPluginAsync } from 'fastify';
import { describeZodError, sendApiError } from '../api-error.ts';
import { alertAckBody, alertIdParams, alertQuery } from '../api-schemas.ts';
import type { AlertAcknowledger, AlertReadModel } from '../read-model.ts';

export interface AlertApiDeps {
  readModel: AlertReadModel;
  acks: AlertAcknowledger;
}

/** Alerts are read from the store; an ack goes through the alerter, which owns their state. */
export const alertRoutes =
  (alerts: AlertApiDeps, requireWriteToken: (authorization: string | undefined) => boolean): FastifyPluginAsync =>
  async (app) => {
    app.get('/api/v1/alerts', async (request, reply) => {
      const query = alertQuery.safeParse(request.query);
      if (!query.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(query.error));
      const { status, agent, kind, severity, limit } = query.data;
      return { alerts: await alerts.readModel.listAlerts({ status, agentId: agent, kind, severity, limit }) };
    });

    app.get('/api/v1/alerts/:id', async (request, reply) => {
      const params = alertIdParams.safeParse(request.params);
      if (!params.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(params.error));
      const alert = await alerts.readModel.getAlert(params.data.id);
      if (!alert) return sendApiError(reply, 'WARDEN_API_NOT_FOUND', `no alert "${params.data.id}" (a new alert is readable within a flush interval of opening)`);
      return alert;
    });

    app.post('/api/v1/alerts/:id/ack', async (request, reply) => {
      if (!requireWriteToken(request.headers.authorization)) {
        return sendApiError(reply, 'WARDEN_API_UNAUTHORIZED', 'send Authorization: Bearer <WARDEN_API_TOKEN>');
      }
      const params = alertIdParams.safeParse(request.params);
      if (!params.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(params.error));
      // The body is optional: `curl -X POST .../ack` acknowledges as "api".
      const body = alertAckBody.safeParse(request.body ?? {});
      if (!body.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(body.error));
      const acked = await alerts.acks.ack(params.data.id, body.data.by ?? 'api', body.data.reason ?? '');
      if (!acked.ok) return sendApiError(reply, acked.error.code, acked.error.message);
      if (acked.value === null) return sendApiError(reply, 'WARDEN_API_NOT_FOUND', `no alert "${params.data.id}"`);
      return acked.value;
    });
  };
