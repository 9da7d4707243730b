import type { Logger } from 'pino';
import { ok, wardenError, type Result, type WardenError } from '../errors/warden-error.ts';
import type { AgentSpan, OutcomeSignal } from '../normalizer/agent-span.ts';
import type { AgentReattribution } from '../normalizer/late-identity.ts';
import type { Admission } from '../store/admission.ts';
import type { LogsRequest, TraceRequest } from '../otlp/otlp-types.ts';
import type { IngestConsumer, PartialSuccess } from './ingest-consumer.ts';

const MAX_PENDING_REATTRIBUTIONS = 100_000;

/** The normalizer stage as the pipeline sees it. */
export interface SpanNormalizer {
  normalizeTraces(request: TraceRequest): AgentSpan[];
  normalizeLogs(request: LogsRequest): OutcomeSignal[];
  outcomesFromSpans(spans: AgentSpan[]): OutcomeSignal[];
  takeReattributions(): AgentReattribution[];
}

/** The store writer as the pipeline sees it: all or nothing, refused when it is full. */
export interface IngestStore {
  admit(spans: AgentSpan[], outcomes: OutcomeSignal[], reattributions?: AgentReattribution[]): Admission;
  /** Whether admit() would refuse any request with spans (or, for 'logs', with outcomes) now. */
  refusesAll(signal: 'traces' | 'logs'): boolean;
}

/** What one accepted request carried to the stages after the store. */
export interface AcceptedBatch {
  spans: AgentSpan[];
  /** Spans of earlier requests whose agent became known with this one. */
  reattributions: AgentReattribution[];
}

/** Downstream of the store: detection. Called only with what the store accepted. */
export interface AcceptedConsumer {
  consumeAccepted(batch: AcceptedBatch): void;
}

export interface IngestCounters {
  accepted(signal: 'traces' | 'logs', count: number): void;
  rejected(signal: 'traces' | 'logs', count: number): void;
}

export interface IngestPipeline extends IngestConsumer {
  /** After this every request is refused as retryable, so clients send it elsewhere or later. */
  stopAccepting(): void;
}

/**
 * normalize -> store (bounded queue) -> detectors. A request is accepted whole or refused whole
 * as retryable; only spans that can never be stored are rejected through partial success.
 */
export function createIngestPipeline(deps: {
  normalizer: SpanNormalizer;
  store: IngestStore;
  downstream: readonly AcceptedConsumer[];
  counters: IngestCounters;
  logger: Logger;
}): IngestPipeline {
  let accepting = true;
  // Corrections learned from a request the store refused still hold: keep them for the next
  // accepted write, within a bound, since the identity cache already moved on.
  let pendingReattributions: AgentReattribution[] = [];

  const stoppingError = (): WardenError => wardenError('WARDEN_PIPELINE_STOPPING', 'Warden is shutting down; retry against another instance or after restart');
  const saturatedError = (): WardenError => wardenError('WARDEN_PIPELINE_SATURATED', 'the write queue is full (ClickHouse is behind); retry after the Retry-After delay');
  const refuseIfStopping = (): Result<never> | null => (accepting ? null : { ok: false, error: stoppingError() });
  const saturated = (): Result<never> => ({ ok: false, error: saturatedError() });

  const takeReattributions = (): AgentReattribution[] => {
    const fresh = deps.normalizer.takeReattributions();
    if (pendingReattributions.length === 0) return fresh;
    const all = pendingReattributions.concat(fresh);
    pendingReattributions = [];
    return all;
  };

  const keepReattributions = (reattributions: AgentReattribution[]): void => {
    pendingReattributions = reattributions.length > MAX_PENDING_REATTRIBUTIONS ? reattributions.slice(-MAX_PENDING_REATTRIBUTIONS) : reattributions;
  };

  return {
    refusal(signal) {
      if (!accepting) return stoppingError();
      return deps.store.refusesAll(signal) ? saturatedError() : null;
    },

    async consumeTraces(request) {
      const stopping = refuseIfStopping();
      if (stopping) return stopping;
      const spans = deps.normalizer.normalizeTraces(request);
      const storable: AgentSpan[] = [];
      for (const span of spans) if (span.traceId !== '' && span.spanId !== '') storable.push(span);
      const rejected = spans.length - storable.length;
      const outcomes = deps.normalizer.outcomesFromSpans(storable);
      const reattributions = takeReattributions();
      const admission = deps.store.admit(storable, outcomes, reattributions);
      if (!admission.ok) {
        keepReattributions(reattributions);
        return saturated();
      }
      // Detection does not wait for the disk: an alert is as fast as the spans it reads.
      for (const consumer of deps.downstream) consumer.consumeAccepted({ spans: storable, reattributions });
      const durable = await admission.durable;
      if (!durable.ok) return durable;
      deps.counters.accepted('traces', storable.length);
      if (rejected === 0) return ok(null);
      deps.counters.rejected('traces', rejected);
      return ok<PartialSuccess>({
        rejected,
        errorMessage: `${rejected} span(s) had a missing or malformed trace_id or span_id (expected 16 and 8 bytes) and were not stored`,
      });
    },

    async consumeLogs(request) {
      const stopping = refuseIfStopping();
      if (stopping) return stopping;
      // Log records that are not outcome signals are acknowledged and not kept: Warden stores
      // traces and outcomes, not general logs.
      const outcomes = deps.normalizer.normalizeLogs(request);
      const admission = deps.store.admit([], outcomes);
      if (!admission.ok) return saturated();
      const durable = await admission.durable;
      if (!durable.ok) return durable;
      deps.counters.accepted('logs', outcomes.length);
      return ok(null);
    },

    stopAccepting() {
      accepting = false;
    },
  };
}
