import protobuf from 'protobufjs';

/**
 * google.rpc.Status carrying a google.rpc.RetryInfo detail, for the `grpc-status-details-bin`
 * trailer. OTLP/gRPC clients honour RetryInfo.retry_delay when throttled (spec: "OTLP/gRPC
 * Throttling"). Field numbers: google/rpc/status.proto, google/rpc/error_details.proto,
 * google/protobuf/any.proto and duration.proto.
 */
export function encodeStatusWithRetryInfo(code: number, message: string, retryAfterSeconds: number): Buffer {
  const duration = protobuf.Writer.create().uint32(0x08).int64(retryAfterSeconds).finish();
  const retryInfo = protobuf.Writer.create().uint32(0x0a).bytes(duration).finish();
  const any = protobuf.Writer.create()
    .uint32(0x0a)
    .string('type.googleapis.com/google.rpc.RetryInfo')
    .uint32(0x12)
    .bytes(retryInfo)
    .finish();
  const status = protobuf.Writer.create().uint32(0x08).int32(code).uint32(0x12).string(message).uint32(0x1a).bytes(any).finish();
  return Buffer.from(status);
}
