import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createBearerCheck } from '../receiver/bearer-token.ts';
import { sendApiError } from './api-error.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import type { AgentControl, ApiReadModel, OutcomeSink } from './read-model.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { alertRoutes, type AlertApiDeps } from './routes/alert-routes.ts';
import { healthRoutes, type Readiness } from './routes/health-routes.ts';
import { outcomeRoutes } from './routes/outcome-routes.ts';
import { traceRoutes } from './routes/trace-routes.ts';

export interface ApiDeps {
  readModel: ApiReadModel;
  outcomes: OutcomeSink;
  readiness: Readiness;
  metricsRegistry: Registry;
  logger: Logger;
  /** Alert routes (GET /api/v1/alerts, ack); absent = not served (404). */
  alerts?: AlertApiDeps;
  /** Live agent status and manual suspend/resume; absent = status from the store only. */
  agentControl?: AgentControl;
}

export interface ApiOptions {
  token: string | undefined;
  maxBodyBytes: number;
  version: string;
}

/** The REST API, built without listening so tests can drive it with inject(). */
export function buildApiApp(deps: ApiDeps, options: ApiOptions): FastifyInstance {
  // An agent id (up to 512 characters) percent-encoded can take 12 characters each in a path.
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: options.maxBodyBytes, routerOptions: { maxParamLength: 8192 } });
  const writeAllowed = options.token ? createBearerCheck([options.token]) : () => true;
  const openApi = buildOpenApiDocument(options.version);

  app.register(healthRoutes(deps.readiness, deps.metricsRegistry));
  app.register(traceRoutes(deps.readModel));
  app.register(agentRoutes(deps.readModel, deps.agentControl, writeAllowed));
  app.register(outcomeRoutes(deps.outcomes, deps.readModel, writeAllowed));
  if (deps.alerts) app.register(alertRoutes(deps.alerts, writeAllowed));
  app.get('/api/v1/openapi.json', async () => openApi);

  app.setNotFoundHandler((request, reply) => sendApiError(reply, 'WARDEN_API_NOT_FOUND', `no route ${request.method} ${request.url}; see /api/v1/openapi.json`));
  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return sendApiError(reply, 'WARDEN_API_BAD_REQUEST', error.message);
    }
    request.log.error({ err: error }, 'API request failed');
    return sendApiError(reply, 'WARDEN_STORE_UNAVAILABLE', `request failed: ${error.message}`);
  });
  return app;
}
