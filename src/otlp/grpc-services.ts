// OTLP/gRPC service definitions for @grpc/grpc-js without proto-loader
// (collector/trace/v1/trace_service.proto, collector/logs/v1/logs_service.proto: unary Export).
// The request deserializer hands over the raw bytes on purpose: the receiver checks their size and
// decodes them itself, so a bad body becomes INVALID_ARGUMENT with Warden's message instead of an
// opaque deserialization failure inside grpc-js.
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import type { ExportPartialSuccess, OtlpSignal } from './export-response.ts';
import { decodeExportResponseProto, encodeExportResponse } from './export-response.ts';

export type ExportMethod = MethodDefinition<Buffer, ExportPartialSuccess>;
export type ExportServiceDefinition = ServiceDefinition<{ Export: unknown }> & { readonly Export: ExportMethod };

function exportMethod(signal: OtlpSignal, path: string): ExportMethod {
  return {
    path,
    requestStream: false,
    responseStream: false,
    originalName: 'export',
    requestSerialize: (request: Buffer) => request,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (response: ExportPartialSuccess) => {
      const bytes = encodeExportResponse(signal, response, 'protobuf');
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    responseDeserialize: (bytes: Buffer) => {
      const decoded = decodeExportResponseProto(bytes);
      // grpc-js turns a throw here into an INTERNAL status for the client, which is what a
      // malformed response deserves.
      if (!decoded.ok) throw new Error(decoded.error.message);
      // grpc-js takes a null response as "no message received", so full success reads as zero
      // rejected and no message here; only clients (tests, tools) see this side.
      return decoded.value ?? { rejected: 0, errorMessage: '' };
    },
  };
}

export const traceServiceDefinition: ExportServiceDefinition = {
  Export: exportMethod('traces', '/opentelemetry.proto.collector.trace.v1.TraceService/Export'),
};

export const logsServiceDefinition: ExportServiceDefinition = {
  Export: exportMethod('logs', '/opentelemetry.proto.collector.logs.v1.LogsService/Export'),
};
