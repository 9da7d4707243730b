import { Client, credentials, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServiceError, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTraceRequestProto } from '../../../src/otlp/decode-proto.ts';
import type { ExportPartialSuccess } from '../../../src/otlp/export-response.ts';
import { logsServiceDefinition, traceServiceDefinition } from '../../../src/otlp/grpc-services.ts';
import type { TraceRequest } from '../../../src/otlp/otlp-types.ts';
import { sdkTraces } from './sdk-requests.ts';

describe('OTLP gRPC service definitions', () => {
  const received: Buffer[] = [];
  let server: Server;
  let address: string;
  let reply: ExportPartialSuccess = null;

  beforeAll(async () => {
    server = new Server();
    const handler = (call: ServerUnaryCall<Buffer, ExportPartialSuccess>, callback: sendUnaryData<ExportPartialSuccess>) => {
      received.push(call.request);
      if (!decodeTraceRequestProto(call.request).ok) callback({ code: status.INVALID_ARGUMENT, details: 'bad protobuf' });
      else callback(null, reply);
    };
    server.addService(traceServiceDefinition, { Export: handler });
    server.addService(logsServiceDefinition, { Export: handler });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    address = `127.0.0.1:${port}`;
  });

  afterAll(() => {
    server.forceShutdown();
  });

  it('uses the OTLP method paths', () => {
    expect(traceServiceDefinition.Export.path).toBe('/opentelemetry.proto.collector.trace.v1.TraceService/Export');
    expect(logsServiceDefinition.Export.path).toBe('/opentelemetry.proto.collector.logs.v1.LogsService/Export');
    expect(traceServiceDefinition.Export.requestStream || traceServiceDefinition.Export.responseStream).toBe(false);
  });

  it('receives the raw request bytes from the real SDK gRPC exporter', async () => {
    const { spans } = await sdkTraces();
    const exporter = new OTLPTraceExporter({ url: `http://${address}` });
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    const last = received.at(-1);
    expect(Buffer.isBuffer(last)).toBe(true);
    const decoded = decodeTraceRequestProto(last as Buffer);
    expect(decoded.ok && spansOf(decoded.value).map((s) => s.name).sort()).toEqual(['execute_tool get_weather', 'invoke_agent weather']);
  });

  it('serializes partial success for a client and reports bad bodies as INVALID_ARGUMENT', async () => {
    const client = new Client(address, credentials.createInsecure());
    const method = traceServiceDefinition.Export;
    const call = (body: Buffer) =>
      new Promise<{ error: ServiceError | null; value: ExportPartialSuccess | undefined }>((resolve) => {
        client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, body, (error, value) => resolve({ error, value }));
      });
    reply = { rejected: 2, errorMessage: 'two spans without ids' };
    expect(await call(Buffer.alloc(0))).toEqual({ error: null, value: { rejected: 2, errorMessage: 'two spans without ids' } });
    reply = null;
    expect(await call(Buffer.alloc(0))).toEqual({ error: null, value: { rejected: 0, errorMessage: '' } });
    const bad = await call(Buffer.from([0x0a, 0x05, 0x01]));
    expect(bad.error?.code).toBe(status.INVALID_ARGUMENT);
    client.close();
  });
});

function spansOf(request: TraceRequest) {
  return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}
