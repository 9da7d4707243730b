import type { Result } from '../errors/warden-error.ts';
import type { LogsRequest, TraceRequest } from '../otlp/otlp-types.ts';

/** OTLP partial success: some items were refused; the client must not retry them. */
export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/**
 * The one interface receivers hand decoded requests to. Synchronous on purpose: accepting is
 * only normalizing and queueing, so a receiver's answer is final when this returns (an ok
 * result means the data is queued for the store and will be written, even on shutdown).
 */
export interface IngestConsumer {
  consumeTraces(request: TraceRequest): Result<PartialSuccess | null>;
  consumeLogs(request: LogsRequest): Result<PartialSuccess | null>;
}
