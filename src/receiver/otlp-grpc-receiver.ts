import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { wardenError, type WardenError } from '../errors/warden-error.ts';
import { logsServiceDefinition, traceServiceDefinition } from '../otlp/grpc-services.ts';
import type { IngestConsumer, PartialSuccess } from '../pipeline/ingest-consumer.ts';
import type { Signal, WardenMetrics } from '../telemetry/metrics.ts';
import type { ListenAddress } from '../config/listen-address.ts';
import { formatAddress } from '../config/listen-address.ts';
import { createBearerCheck } from './bearer-token.ts';
import { encodeStatusWithRetryInfo } from './grpc-retry-info.ts';
import { grpcStatusOf } from './http-status-of.ts';
import { decodeOtlp } from './otlp-codec.ts';

export interface OtlpGrpcReceiverOptions {
  maxRequestBytes: number;
  ingestTokens: readonly string[];
  retryAfterSeconds: number;
  logger: Logger;
  metrics: WardenMetrics;
}

export interface OtlpGrpcReceiver {
  /** Binds and returns the address actually bound (port 0 resolves to a free port). */
  start(address: ListenAddress): Promise<ListenAddress>;
  shutdown(): Promise<void>;
}

/**
 * OTLP/gRPC receiver (spec: "OTLP/gRPC"): TraceService/Export and LogsService/Export.
 * The message size limit is raised from gRPC's 4 MiB default because agent spans carry prompts;
 * an oversize message gets RESOURCE_EXHAUSTED from grpc-js itself.
 */
export function createOtlpGrpcReceiver(consumer: IngestConsumer, options: OtlpGrpcReceiverOptions): OtlpGrpcReceiver {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxRequestBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  const isAuthorized = createBearerCheck(options.ingestTokens);

  const handler =
    (signal: Signal) =>
    (call: grpc.ServerUnaryCall<Buffer, PartialSuccess | null>, callback: grpc.sendUnaryData<PartialSuccess | null>): void => {
      const refuse = (error: WardenError): void => {
        options.metrics.requests.inc({ transport: 'grpc', signal, outcome: error.code });
        const code = grpcStatusOf(error.code);
        const metadata = new grpc.Metadata();
        if (error.retryable) {
          metadata.set('grpc-status-details-bin', encodeStatusWithRetryInfo(code, error.message, options.retryAfterSeconds));
          options.logger.warn({ code: error.code, signal }, error.message);
        } else {
          options.logger.debug({ code: error.code, signal }, error.message);
        }
        callback({ code, details: `${error.code}: ${error.message}`, metadata });
      };
      const authorization = call.metadata.get('authorization')[0];
      if (!isAuthorized(typeof authorization === 'string' ? authorization : undefined)) {
        refuse(wardenError('WARDEN_OTLP_UNAUTHENTICATED', 'send metadata authorization: Bearer <token> with a token listed in WARDEN_INGEST_TOKENS'));
        return;
      }
      const refusal = consumer.refusal(signal);
      if (refusal !== null) return refuse(refusal);
      const decoded = decodeOtlp(signal, 'protobuf', call.request);
      if (!decoded.ok) return refuse(decoded.error);
      const consuming =
        decoded.value.signal === 'traces'
          ? consumer.consumeTraces(decoded.value.request)
          : consumer.consumeLogs(decoded.value.request);
      void consuming.then((consumed) => {
        if (!consumed.ok) return refuse(consumed.error);
        options.metrics.requests.inc({
          transport: 'grpc',
          signal,
          outcome: consumed.value && consumed.value.rejected > 0 ? 'partial' : 'ok',
        });
        callback(null, consumed.value);
      });
    };

  server.addService(traceServiceDefinition, { Export: handler('traces') });
  server.addService(logsServiceDefinition, { Export: handler('logs') });

  return {
    start: (address) =>
      new Promise((resolve, reject) => {
        server.bindAsync(formatAddress(address), grpc.ServerCredentials.createInsecure(), (error, port) => {
          if (error) reject(error);
          else resolve({ host: address.host, port });
        });
      }),
    shutdown: () =>
      new Promise((resolve) => {
        // Let in-flight exports finish (their data is queued by then), but not forever.
        const force = setTimeout(() => server.forceShutdown(), 5000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
