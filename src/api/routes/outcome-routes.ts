import type { FastifyPluginAsync } from 'fastify';
import type { OutcomeSignal } from '../../normalizer/agent-span.ts';
import { describeZodError, sendApiError } from '../api-error.ts';
import { outcomeQuery, outcomesBody, type outcomeInput } from '../api-schemas.ts';
import type { ApiReadModel, OutcomeSink } from '../read-model.ts';
import type { z } from 'zod';

export const outcomeRoutes =
  (sink: OutcomeSink, readModel: ApiReadModel, requireWriteToken: (authorization: string | undefined) => boolean): FastifyPluginAsync =>
  async (app) => {
    app.get('/api/v1/outcomes', async (request, reply) => {
      const query = outcomeQuery.safeParse(request.query);
      if (!query.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(query.error));
      const outcomes = await readModel.listOutcomes({
        agentId: query.data.agent,
        traceId: query.data.trace?.toLowerCase(),
        limit: query.data.limit,
      });
      return { outcomes };
    });

    app.post('/api/v1/outcomes', async (request, reply) => {
      if (!requireWriteToken(request.headers.authorization)) {
        return sendApiError(reply, 'WARDEN_API_UNAUTHORIZED', 'send Authorization: Bearer <WARDEN_API_TOKEN>');
      }
      const body = outcomesBody.safeParse(request.body);
      if (!body.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(body.error));
      const inputs = Array.isArray(body.data) ? body.data : [body.data];
      const received = BigInt(Date.now()) * 1_000_000n;
      const outcomes = inputs.map((input) => toOutcome(input, received));
      const admission = sink.writeOutcomes(outcomes);
      if (!admission.ok) {
        reply.header('retry-after', '2');
        return sendApiError(reply, 'WARDEN_PIPELINE_SATURATED', 'the write queue is full; retry after the Retry-After delay');
      }
      const durable = await admission.durable;
      if (!durable.ok) {
        reply.header('retry-after', '2');
        return sendApiError(reply, durable.error.code, durable.error.message);
      }
      return reply.code(202).send({ accepted: outcomes.length });
    });
  };

function toOutcome(input: z.output<typeof outcomeInput>, received: bigint): OutcomeSignal {
  return {
    agentId: input.agent_id,
    traceId: input.trace_id?.toLowerCase() ?? '',
    sessionId: input.session_id ?? '',
    name: input.name,
    value: input.value,
    success: input.success ?? null,
    timeUnixNano: input.ts ? BigInt(Date.parse(input.ts)) * 1_000_000n : received,
    source: 'api',
    attributes: {},
  };
}
