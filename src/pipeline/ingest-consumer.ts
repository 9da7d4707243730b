import type { Result, WardenError } from '../errors/warden-error.ts';
import type { LogsRequest, TraceRequest } from '../otlp/otlp-types.ts';

/** OTLP partial success: some items were refused; the client must not retry them. */
export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/**
 * The one interface receivers hand decoded requests to. An ok result means the data is durable
 * (journaled, or queued when the journal is off) and will be written, even across a crash or
 * shutdown: answer the client only once it resolves.
 */
export interface IngestConsumer {
  /**
   * The refusal every request of this signal would get now, whatever it carries (shutting down,
   * or the write queue full): receivers ask first and answer before reading or decoding the
   * body, so a saturated Warden spends no CPU on requests it turns away. null: go on.
   */
  refusal(signal: 'traces' | 'logs'): WardenError | null;
  consumeTraces(request: TraceRequest): Promise<Result<PartialSuccess | null>>;
  consumeLogs(request: LogsRequest): Promise<Result<PartialSuccess | null>>;
}
