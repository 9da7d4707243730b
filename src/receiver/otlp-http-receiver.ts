import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { wardenError, type WardenError } from '../errors/warden-error.ts';
import { encodeExportResponse, encodeRpcStatus } from '../otlp/export-response.ts';
import type { IngestConsumer, PartialSuccess } from '../pipeline/ingest-consumer.ts';
import type { Signal, WardenMetrics } from '../telemetry/metrics.ts';
import { createBearerCheck } from './bearer-token.ts';
import { decompressBody } from './decompress.ts';
import { httpStatusOf } from './http-status-of.ts';
import { decodeOtlp } from './otlp-codec.ts';
import { CONTENT_TYPE_OF, formatOfContentType, type OtlpFormat } from './otlp-format.ts';

export interface OtlpHttpReceiverOptions {
  maxRequestBytes: number;
  ingestTokens: readonly string[];
  retryAfterSeconds: number;
  logger: Logger;
  metrics: WardenMetrics;
}

/**
 * OTLP/HTTP receiver (spec: opentelemetry-proto docs/specification.md, "OTLP/HTTP"):
 * POST /v1/traces and /v1/logs, protobuf or JSON, optionally gzip; answers in the request's
 * content type, with google.rpc.Status bodies on failure. It only decodes and hands over;
 * everything else is the pipeline's job.
 */
export function buildOtlpHttpReceiver(consumer: IngestConsumer, options: OtlpHttpReceiverOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.maxRequestBytes,
  });
  const isAuthorized = createBearerCheck(options.ingestTokens);

  // Bodies arrive raw whatever their type: the route decides between protobuf, JSON and 415,
  // and inflates gzip itself under the same size limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const fail = (request: FastifyRequest, reply: FastifyReply, signal: Signal, error: WardenError): FastifyReply => {
    options.metrics.requests.inc({ transport: 'http', signal, outcome: error.code });
    const format: OtlpFormat = formatOfContentType(request.headers['content-type']) ?? 'json';
    const status = httpStatusOf(error.code);
    if (error.retryable) reply.header('retry-after', String(options.retryAfterSeconds));
    if (status >= 500 || error.retryable) request.log.warn({ code: error.code }, error.message);
    else request.log.debug({ code: error.code }, error.message);
    return reply
      .code(status)
      .type(CONTENT_TYPE_OF[format])
      .send(Buffer.from(encodeRpcStatus(grpcCodeForHttp(status), `${error.code}: ${error.message}`, format)));
  };

  for (const signal of ['traces', 'logs'] as const) {
    app.route({
      method: 'POST',
      url: `/v1/${signal}`,
      // Refuse before the body is read: wrong token, wrong type, declared size over the limit,
      // a full write queue.
      onRequest: async (request, reply) => {
        if (!isAuthorized(request.headers.authorization)) {
          return fail(request, reply, signal, wardenError('WARDEN_OTLP_UNAUTHENTICATED', 'send Authorization: Bearer <token> with a token listed in WARDEN_INGEST_TOKENS'));
        }
        if (formatOfContentType(request.headers['content-type']) === null) {
          return fail(request, reply, signal, wardenError('WARDEN_OTLP_UNSUPPORTED_MEDIA_TYPE', `Content-Type "${request.headers['content-type'] ?? ''}" is not supported; send application/x-protobuf or application/json`));
        }
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxRequestBytes) {
          return fail(request, reply, signal, wardenError('WARDEN_OTLP_TOO_LARGE', `body of ${declared} bytes exceeds the ${options.maxRequestBytes}-byte limit`));
        }
        const refusal = consumer.refusal(signal);
        if (refusal !== null) return fail(request, reply, signal, refusal);
        return undefined;
      },
      handler: async (request, reply) => {
        const format = formatOfContentType(request.headers['content-type']) as OtlpFormat;
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const inflated = await decompressBody(raw, request.headers['content-encoding'] as string | undefined, options.maxRequestBytes);
        if (!inflated.ok) return fail(request, reply, signal, inflated.error);
        const decoded = decodeOtlp(signal, format, inflated.value);
        if (!decoded.ok) return fail(request, reply, signal, decoded.error);
        const consumed =
          decoded.value.signal === 'traces'
            ? await consumer.consumeTraces(decoded.value.request)
            : await consumer.consumeLogs(decoded.value.request);
        if (!consumed.ok) return fail(request, reply, signal, consumed.error);
        recordSuccess(options.metrics, signal, consumed.value);
        return reply
          .code(200)
          .type(CONTENT_TYPE_OF[format])
          .send(Buffer.from(encodeExportResponse(signal, consumed.value, format)));
      },
    });
  }

  // Errors fastify raises itself (body over bodyLimit, aborted uploads) get OTLP-shaped answers too.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const signal: Signal = request.url.startsWith('/v1/logs') ? 'logs' : 'traces';
    if (error.statusCode === 413) {
      return fail(request, reply, signal, wardenError('WARDEN_OTLP_TOO_LARGE', `body exceeds the ${options.maxRequestBytes}-byte limit`));
    }
    return fail(request, reply, signal, wardenError('WARDEN_OTLP_BAD_PROTOBUF', error.message));
  });
  return app;
}

function recordSuccess(metrics: WardenMetrics, signal: Signal, partial: PartialSuccess | null): void {
  metrics.requests.inc({ transport: 'http', signal, outcome: partial && partial.rejected > 0 ? 'partial' : 'ok' });
}

/** google.rpc.Status.code mirrors the HTTP status in the body (google/rpc/code.proto). */
function grpcCodeForHttp(status: number): number {
  if (status === 400) return 3;
  if (status === 401) return 16;
  if (status === 413) return 8;
  if (status === 415) return 3;
  if (status === 429) return 8;
  return 14;
}
