/**
 * Errors are values: a stable code a user can search for, a message that says what to do,
 * and whether retrying the same thing later can succeed. The codes are listed in the README.
 */
export interface WardenError {
  readonly code: ErrorCode;
  readonly message: string;
  /** True for overload and outages (429/503, gRPC UNAVAILABLE); false for bad input. */
  readonly retryable: boolean;
}

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One catalogue of codes; a code is never reused for another meaning. */
export const ERROR_CATALOGUE = {
  WARDEN_CONFIG_INVALID: { retryable: false, summary: 'configuration failed validation at start-up' },
  WARDEN_OTLP_UNSUPPORTED_MEDIA_TYPE: { retryable: false, summary: 'OTLP/HTTP body is neither application/x-protobuf nor application/json' },
  WARDEN_OTLP_UNSUPPORTED_ENCODING: { retryable: false, summary: 'Content-Encoding other than gzip or identity' },
  WARDEN_OTLP_BAD_GZIP: { retryable: false, summary: 'the gzip body could not be decompressed' },
  WARDEN_OTLP_TOO_LARGE: { retryable: false, summary: 'request body over the size limit (checked after decompression too)' },
  WARDEN_OTLP_BAD_PROTOBUF: { retryable: false, summary: 'body is not a valid OTLP protobuf message' },
  WARDEN_OTLP_BAD_JSON: { retryable: false, summary: 'body is not valid OTLP/JSON' },
  WARDEN_OTLP_UNAUTHENTICATED: { retryable: false, summary: 'missing or wrong ingest bearer token' },
  WARDEN_PIPELINE_SATURATED: { retryable: true, summary: 'the write queue is full; retry after the advertised delay' },
  WARDEN_PIPELINE_STOPPING: { retryable: true, summary: 'Warden is shutting down; send to another instance or retry' },
  WARDEN_SPAN_REJECTED: { retryable: false, summary: 'a span could not be accepted (reported through OTLP partial success)' },
  WARDEN_STORE_UNAVAILABLE: { retryable: true, summary: 'ClickHouse did not accept a write or query' },
  WARDEN_STORE_SCHEMA: { retryable: false, summary: 'creating or migrating the ClickHouse schema failed' },
  WARDEN_STORE_ROWS_REJECTED: { retryable: false, summary: 'ClickHouse refused rows as malformed; they were set aside (logged and counted), not retried' },
  WARDEN_API_BAD_REQUEST: { retryable: false, summary: 'API request failed validation' },
  WARDEN_API_NOT_FOUND: { retryable: false, summary: 'no such resource' },
  WARDEN_API_UNAUTHORIZED: { retryable: false, summary: 'missing or wrong API bearer token' },
  WARDEN_POLICY_INVALID: { retryable: false, summary: 'the policy file (WARDEN_POLICY) cannot be read or fails validation; each problem names file:line:column and the field. At start Warden refuses to run; on reload the policy in force is kept' },
  WARDEN_REPLAY_USAGE: { retryable: false, summary: '`warden replay` was given unknown, missing or conflicting flags, or a time that is not ISO 8601 with a zone' },
  WARDEN_REPLAY_INPUT: { retryable: false, summary: 'the `warden replay --file` input is missing, unreadable, or not OTLP/JSON (one ExportTraceServiceRequest, or JSON Lines of them); the message names the line' },
  WARDEN_STORE_LOCKED: { retryable: true, summary: 'the embedded store\'s data directory is in use by another process (a running `warden serve`): stop it, or point WARDEN_CLICKHOUSE_URL at a ClickHouse server' },
  WARDEN_DELIVERY_OUTBOX_FULL: { retryable: true, summary: 'too many notifications and callbacks are pending delivery (a destination is likely down): the new one was refused; see the delivery destination warnings' },
  WARDEN_ACTION_INVALID: { retryable: false, summary: 'an enforcement action could not be recorded as given: unknown type, bad time, or a payload with no JSON form (NaN, Infinity, bigint)' },
  WARDEN_ALERT_OWNED_ELSEWHERE: { retryable: false, summary: 'the alert is firing on another Warden instance sharing this ClickHouse; acknowledge it through that instance (the message names it), which owns the alert\'s state' },
  WARDEN_AUDIT_CHAIN_BROKEN: { retryable: false, summary: '`warden audit verify` found an actions row that does not match the hash chain (altered, removed, forged or forked); the message names the row and the failed check' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export function wardenError(code: ErrorCode, message: string): WardenError {
  return { code, message, retryable: ERROR_CATALOGUE[code].retryable };
}

/** A result that is either a value or a WardenError, for code paths where failure is expected. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WardenError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: wardenError(code, message) };
}
