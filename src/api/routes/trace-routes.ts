import type { FastifyPluginAsync } from 'fastify';
import { describeZodError, sendApiError } from '../api-error.ts';
import { traceIdParams } from '../api-schemas.ts';
import type { ApiReadModel } from '../read-model.ts';

export const traceRoutes =
  (readModel: ApiReadModel): FastifyPluginAsync =>
  async (app) => {
    app.get('/api/v1/traces/:traceId', async (request, reply) => {
      const params = traceIdParams.safeParse(request.params);
      if (!params.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(params.error));
      const spans = await readModel.getTrace(params.data.traceId.toLowerCase());
      if (spans.length === 0) {
        return sendApiError(reply, 'WARDEN_API_NOT_FOUND', `no spans stored for trace ${params.data.traceId} (spans become readable within a flush interval of being accepted)`);
      }
      return { trace_id: params.data.traceId.toLowerCase(), spans };
    });
  };
