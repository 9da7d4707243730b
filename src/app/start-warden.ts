import type { Logger } from 'pino';
import { buildApiApp } from '../api/api-app.ts';
import type { WardenConfig } from '../config/config-schema.ts';
import { formatAddress, type ListenAddress } from '../config/listen-address.ts';
import { createNormalizer } from '../normalizer/create-normalizer.ts';
import { createAlerter } from '../alerter/create-alerter.ts';
import { createBaselinePersistence } from './baseline-persistence.ts';
import { startDelivery } from './start-delivery.ts';
import { startEnforcement } from './start-enforcement.ts';
import type { DeliveryRecord } from '../delivery/delivery.ts';
import type { Finding } from '../detector/finding.ts';
import { destinationFailing } from './destination-failing.ts';
import { createDetectorSet } from '../detector/create-detector-set.ts';
import { createDetectionStage } from '../pipeline/detection-stage.ts';
import { createIngestPipeline } from '../pipeline/ingest-pipeline.ts';
import { REFUSED } from '../store/admission.ts';
import { createRedactor } from '../redaction/create-redactor.ts';
import { withRedaction } from '../redaction/redacting-normalizer.ts';
import { createPolicyStore } from '../policy/policy-store.ts';
import { createOtlpGrpcReceiver } from '../receiver/otlp-grpc-receiver.ts';
import { buildOtlpHttpReceiver } from '../receiver/otlp-http-receiver.ts';
import { openStore } from '../store/open-store.ts';
import { registerDeliveryMetrics } from '../telemetry/delivery-metrics.ts';
import { registerDetectionMetrics } from '../telemetry/detection-metrics.ts';
import { createMetrics } from '../telemetry/metrics.ts';
import { WARDEN_VERSION } from './version.ts';

export interface WardenInstance {
  readonly otlpGrpc: ListenAddress;
  readonly otlpHttp: ListenAddress;
  readonly api: ListenAddress;
  /** Re-reads the policy file now (SIGHUP); an invalid file is reported and the old one kept. */
  reloadPolicy(): Promise<void>;
  /** Stops accepting, lets in-flight requests finish, writes everything accepted, closes. */
  shutdown(): Promise<void>;
}

/**
 * Wires the pipeline once: receivers -> normalizer -> store writer (-> detectors, later) and
 * the API over the store. Start order is store, pipeline, API, receivers; shutdown reverses it.
 */
export async function startWarden(config: Readonly<WardenConfig>, logger: Logger): Promise<WardenInstance> {
  const metrics = createMetrics();
  const policies = await createPolicyStore({ path: config.policyPath, logger: logger.child({ component: 'policy' }) });
  if (!policies.ok) throw Object.assign(new Error(policies.error.message), { code: policies.error.code });
  const policyFor = (agentId: string) => policies.value.current().forAgent(agentId);
  logger.info(`policy: ${policies.value.current().describe()}`);

  let store;
  try {
    store = await openStore(config.storage, { instanceId: config.instanceId, logger: logger.child({ component: 'store' }), metrics });
  } catch (error) {
    await policies.value.close();
    throw error;
  }
  // Callback outcomes and destination reports can arrive as soon as the outbox resumes, before
  // the alerter exists: they wait for it.
  const settledEarly: DeliveryRecord[] = [];
  let onCallbackSettled = (record: DeliveryRecord): void => void settledEarly.push(record);
  const reportsEarly: Finding[] = [];
  let report = (finding: Finding): void => void reportsEarly.push(finding);
  const delivery = await startDelivery(
    config,
    store,
    {
      onCallbackSettled: (record) => onCallbackSettled(record),
      onDestinationUnhealthy: (destination, health) => {
        logger.error({ destination, lastError: health.lastError }, `deliveries to ${destination} keep failing; they are retried with backoff`);
        report(destinationFailing(destination, health.lastError, health.consecutiveFailures, Date.now()));
      },
    },
    logger,
  );
  const enforcement = await startEnforcement(store, delivery.callbacks, config.instanceId, logger);
  const alerter = createAlerter({
    policyFor,
    store: store.alerts,
    sinks: delivery.notifications ? [enforcement.enforcer, delivery.notifications] : [enforcement.enforcer],
    logger: logger.child({ component: 'alerter' }),
  });
  report = (finding) => alerter.consume([finding]);
  for (const finding of reportsEarly.splice(0)) report(finding);
  onCallbackSettled = (record) => enforcement.callbackSettled(record, report);
  for (const record of settledEarly.splice(0)) onCallbackSettled(record);
  const restored = await alerter.start();
  if (restored.ok) logger.info({ ...restored.value }, 'alerts restored');
  else logger.error({ code: restored.error.code }, `open alerts could not be restored: ${restored.error.message}`);
  const detectors = createDetectorSet({
    policyFor,
    onError: (error, kind) => logger.error({ err: error, kind }, 'a detector failed on a span; skipped for that detector'),
  });
  const detection = createDetectionStage({
    detectors,
    alerter,
    suspensions: enforcement.status,
    logger: logger.child({ component: 'detection' }),
  });
  const baselines = createBaselinePersistence({ detectors, store: store.baselines, logger: logger.child({ component: 'baselines' }) });
  await baselines.restore();
  baselines.start();
  detection.start();
  registerDetectionMetrics(metrics.registry, { alerter, detectors });
  registerDeliveryMetrics(metrics.registry, delivery.outbox);
  const normalizer = withRedaction(
    createNormalizer({ prices: config.normalizer.prices, identityCacheSpans: config.normalizer.identityCacheSpans }),
    createRedactor(config.redaction),
  );
  const pipeline = createIngestPipeline({
    normalizer,
    store: store.writer,
    downstream: [detection],
    counters: {
      accepted: (signal, count) => metrics.itemsAccepted.inc({ signal }, count),
      rejected: (signal, count) => metrics.itemsRejected.inc({ signal }, count),
    },
    logger: logger.child({ component: 'pipeline' }),
  });

  let stopping = false;
  const api = buildApiApp(
    {
      readModel: store.readModel,
      outcomes: { writeOutcomes: (outcomes) => (stopping ? REFUSED : store.writer.admit([], outcomes)) },
      readiness: { notReadyReason: () => (stopping ? 'shutting down' : store.notReadyReason()) },
      metricsRegistry: metrics.registry,
      logger: logger.child({ component: 'api' }),
      alerts: { readModel: store.alertReadModel, acks: alerter },
      agentControl: {
        statusOf: (agentId) => enforcement.enforcer.statusOf(agentId),
        suspend: (action) => enforcement.enforcer.suspend(action),
        resume: (action) => enforcement.enforcer.resume(action),
        suspendedAgents: () => enforcement.status.suspendedAgents(),
      },
    },
    { token: config.api.token, maxBodyBytes: config.api.maxBodyBytes, version: WARDEN_VERSION },
  );
  const receiverOptions = {
    maxRequestBytes: config.otlp.maxRequestBytes,
    ingestTokens: config.otlp.ingestTokens,
    retryAfterSeconds: config.otlp.retryAfterSeconds,
    metrics,
  };
  const http = buildOtlpHttpReceiver(pipeline, { ...receiverOptions, logger: logger.child({ component: 'otlp-http' }) });
  const grpc = createOtlpGrpcReceiver(pipeline, { ...receiverOptions, logger: logger.child({ component: 'otlp-grpc' }) });

  const closers: Array<[string, () => Promise<void>]> = [
    ['policy', () => policies.value.close()],
    ['store', () => store.close()],
    // Closed in reverse: decisions in progress are recorded and queued before the outbox stops.
    ['outbox', () => delivery.outbox.shutdown()],
    ['actions', () => enforcement.shutdown()],
    ['baselines', () => baselines.shutdown()],
    ['alerter', () => alerter.shutdown()],
    ['detection', async () => detection.shutdown()],
  ];
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    pipeline.stopAccepting();
    for (const [name, close] of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error({ err: error, component: name }, `shutting down ${name} failed`);
      }
    }
    logger.info('Warden stopped; every accepted span was written');
  };

  try {
    // fastify logs its own listen line; the resolver makes it the one line per listener.
    const apiAddress = await listen(api.listen.bind(api), config.api.addr, (address) => `REST API listening on ${address}`);
    closers.push(['api', () => api.close()]);

    const httpAddress = await listen(http.listen.bind(http), config.otlp.httpAddr, (address) => `OTLP/HTTP listening on ${address} (POST /v1/traces, /v1/logs)`);
    closers.push(['otlp-http', () => http.close()]);

    const grpcAddress = await grpc.start(config.otlp.grpcAddr);
    closers.push(['otlp-grpc', () => grpc.shutdown()]);
    logger.info(`OTLP/gRPC listening on ${formatAddress(grpcAddress)}`);

    const reloadPolicy = async (): Promise<void> => {
      await policies.value.reloadNow();
    };
    return { otlpGrpc: grpcAddress, otlpHttp: httpAddress, api: apiAddress, reloadPolicy, shutdown };
  } catch (error) {
    await shutdown();
    throw error;
  }
}

async function listen(
  listenFn: (options: { host: string; port: number; listenTextResolver: (address: string) => string }) => Promise<string>,
  address: ListenAddress,
  describe: (address: string) => string,
): Promise<ListenAddress> {
  const url = await listenFn({ host: address.host, port: address.port, listenTextResolver: describe });
  return { host: address.host, port: Number(new URL(url).port) };
}
