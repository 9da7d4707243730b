import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { decodeExportResponseProto } from '../src/otlp/export-response.ts';
import type { SendOutcome, SenderHandle } from './send-outcome.ts';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** OTLP/gRPC: TraceService/Export with the encoded bytes passed through as the message. */
export function createGrpcSender(address: string): SenderHandle {
  const client = new Client(address, credentials.createInsecure(), {
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  });
  const passthrough = (bytes: Buffer): Buffer => bytes;
  const send = (body: Buffer): Promise<SendOutcome> =>
    new Promise((resolve) => {
      client.makeUnaryRequest<Buffer, Buffer>(EXPORT_PATH, passthrough, passthrough, body, (error: ServiceError | null, response?: Buffer) => {
        if (error) {
          if (error.code === status.UNAVAILABLE) return resolve({ kind: 'pushback' });
          return resolve({ kind: 'error', message: `${status[error.code]}: ${error.details}` });
        }
        const decoded = decodeExportResponseProto(response ?? Buffer.alloc(0));
        if (!decoded.ok) return resolve({ kind: 'error', message: decoded.error.message });
        resolve({ kind: 'ok', rejected: decoded.value?.rejected ?? 0 });
      });
    });
  return { send, close: () => client.close() };
}
