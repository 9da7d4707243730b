import type { ErrorCode } from '../errors/warden-error.ts';

/** HTTP status for each error an OTLP/HTTP request can end in (spec: "Failures"). */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'WARDEN_OTLP_UNSUPPORTED_MEDIA_TYPE':
    case 'WARDEN_OTLP_UNSUPPORTED_ENCODING':
      return 415;
    case 'WARDEN_OTLP_TOO_LARGE':
      return 413;
    case 'WARDEN_OTLP_UNAUTHENTICATED':
      return 401;
    case 'WARDEN_PIPELINE_SATURATED':
      return 429;
    case 'WARDEN_PIPELINE_STOPPING':
    case 'WARDEN_STORE_UNAVAILABLE':
      return 503;
    default:
      return 400;
  }
}

/** gRPC status code (grpc-js `status`) for the same errors. */
export function grpcStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'WARDEN_OTLP_TOO_LARGE':
      return 8; // RESOURCE_EXHAUSTED without RetryInfo: not retryable, as the spec asks
    case 'WARDEN_OTLP_UNAUTHENTICATED':
      return 16; // UNAUTHENTICATED
    case 'WARDEN_PIPELINE_SATURATED':
    case 'WARDEN_PIPELINE_STOPPING':
    case 'WARDEN_STORE_UNAVAILABLE':
      return 14; // UNAVAILABLE: retryable
    default:
      return 3; // INVALID_ARGUMENT
  }
}
