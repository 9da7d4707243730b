import type { SpanNormalizer } from '../pipeline/ingest-pipeline.ts';
import type { Redactor } from './create-redactor.ts';

/**
 * Redaction sits between the normalizer and everything after it: the normalizer has read what
 * it needs (tool names, the arguments' hash, tokens) from the full span, and nothing redacted
 * reaches the store, the detectors' evidence, alerts or notifications.
 */
export function withRedaction(normalizer: SpanNormalizer, redactor: Redactor | null): SpanNormalizer {
  if (redactor === null) return normalizer;
  return {
    normalizeTraces(request) {
      const spans = normalizer.normalizeTraces(request);
      redactor.redactSpans(spans);
      return spans;
    },
    normalizeLogs: (request) => normalizer.normalizeLogs(request),
    outcomesFromSpans: (spans) => normalizer.outcomesFromSpans(spans),
    takeReattributions: () => normalizer.takeReattributions(),
  };
}
