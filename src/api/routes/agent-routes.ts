import type { FastifyPluginAsync } from 'fastify';
import { describeZodError, sendApiError } from '../api-error.ts';
import { agentIdParams } from '../api-schemas.ts';
import type { ApiReadModel } from '../read-model.ts';

export const agentRoutes =
  (readModel: ApiReadModel): FastifyPluginAsync =>
  async (app) => {
    app.get('/api/v1/agents', async () => ({ agents: await readModel.listAgents(new Date()) }));

    app.get('/api/v1/agents/:id', async (request, reply) => {
      const params = agentIdParams.safeParse(request.params);
      if (!params.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(params.error));
      const agent = await readModel.getAgent(params.data.id, new Date());
      if (!agent) return sendApiError(reply, 'WARDEN_API_NOT_FOUND', `no agent "${params.data.id}" has sent spans`);
      return agent;
    });
  };
