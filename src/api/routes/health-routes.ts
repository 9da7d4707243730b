import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface Readiness {
  /** null when ready, else why not (shown to load balancers and humans). */
  notReadyReason(): string | null;
}

export const healthRoutes =
  (readiness: Readiness, registry: Registry): FastifyPluginAsync =>
  async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/readyz', async (_request, reply) => {
      const reason = readiness.notReadyReason();
      return reason === null ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready', reason });
    });

    app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  };
