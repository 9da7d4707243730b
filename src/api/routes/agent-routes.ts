import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { describeZodError, sendApiError } from '../api-error.ts';
import { agentIdParams } from '../api-schemas.ts';
import type { AgentControl, AgentView, ApiReadModel } from '../read-model.ts';

const actionBody = z.object({
  reason: z.string().min(1).max(2000),
  by: z.string().min(1).max(200).optional(),
});

function unseenAgent(id: string): AgentView {
  return {
    id,
    name: id,
    role: '',
    status: 'suspended',
    last_seen: '',
    spans_1h: 0,
    input_tokens_1h: 0,
    output_tokens_1h: 0,
    cost_usd_1h: 0,
    open_alerts: 0,
  };
}

export const agentRoutes =
  (readModel: ApiReadModel, control: AgentControl | undefined, writeAllowed: (authorization: string | undefined) => boolean): FastifyPluginAsync =>
  async (app) => {
    // Status comes from the enforcer (it changes the moment a suspension is decided), the rest
    // from the store.
    const withStatus = (agent: AgentView): AgentView => (control ? { ...agent, status: control.statusOf(agent.id) } : agent);

    app.get('/api/v1/agents', async () => {
      const agents = (await readModel.listAgents(new Date())).map(withStatus);
      const listed = new Set(agents.map((agent) => agent.id));
      const unseen = (control?.suspendedAgents?.() ?? []).filter((id) => !listed.has(id)).map(unseenAgent);
      return { agents: [...agents, ...unseen] };
    });

    app.get('/api/v1/agents/:id', async (request, reply) => {
      const params = agentIdParams.safeParse(request.params);
      if (!params.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(params.error));
      const agent = await readModel.getAgent(params.data.id, new Date());
      if (agent) return withStatus(agent);
      // Suspended before it ever sent a span (a manual, pre-emptive stop): still an agent Warden knows.
      if (control?.statusOf(params.data.id) === 'suspended') return unseenAgent(params.data.id);
      return sendApiError(reply, 'WARDEN_API_NOT_FOUND', `no agent "${params.data.id}" has sent spans`);
    });

    if (!control) return;
    for (const verb of ['suspend', 'resume'] as const) {
      app.post(`/api/v1/agents/:id/${verb}`, async (request, reply) => {
        if (!writeAllowed(request.headers.authorization)) {
          return sendApiError(reply, 'WARDEN_API_UNAUTHORIZED', 'send Authorization: Bearer <WARDEN_API_TOKEN>');
        }
        const params = agentIdParams.safeParse(request.params);
        if (!params.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(params.error));
        const body = actionBody.safeParse(request.body ?? {});
        if (!body.success) return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', describeZodError(body.error));
        const manual = { agentId: params.data.id, actor: body.data.by ?? 'api', reason: body.data.reason };
        const done = verb === 'suspend' ? await control.suspend(manual) : await control.resume(manual);
        if (!done.ok) return sendApiError(reply, 'WARDEN_STORE_UNAVAILABLE', done.error.message);
        const status = control.statusOf(params.data.id);
        // Already in the asked-for state: nothing recorded, nothing sent; still a success.
        if (done.value === null) return reply.code(200).send({ agent_id: params.data.id, status, action: null });
        return reply.code(202).send({ agent_id: params.data.id, status, action: { id: done.value.id, type: done.value.type, at: new Date(done.value.atMs).toISOString(), actor: done.value.actor, reason: done.value.reason } });
      });
    }
  };
