import { ok, type Result } from '../errors/warden-error.ts';
import type { AgentSpan } from '../normalizer/agent-span.ts';
import { createNormalizer, type NormalizerOptions } from '../normalizer/create-normalizer.ts';
import type { OtlpFile } from './otlp-file.ts';
import type { ProgressUpdate } from './progress-reporter.ts';
import type { ReplaySession } from './replay-session.ts';

export interface FileReplayStats {
  requests: number;
  /** Spans without a valid trace or span id: live Warden rejects them, so they are skipped. */
  skippedSpans: number;
}

/**
 * Feeds an OTLP/JSON file through a fresh normalizer into the session, one export request at
 * a time, exactly as the ingest pipeline does: identity is resolved over each request and
 * the spans seen before, and children re-attributed when their agent's root arrives.
 */
export async function replayOtlpFile(
  file: OtlpFile,
  session: ReplaySession,
  options: { normalizer?: NormalizerOptions; onProgress?: (update: ProgressUpdate) => void } = {},
): Promise<Result<FileReplayStats>> {
  const normalizer = createNormalizer(options.normalizer);
  const stats: FileReplayStats = { requests: 0, skippedSpans: 0 };
  for await (const item of file.requests()) {
    if (!item.ok) return item;
    const spans = normalizer.normalizeTraces(item.value.request);
    const storable: AgentSpan[] = [];
    for (const span of spans) if (span.traceId !== '' && span.spanId !== '') storable.push(span);
    stats.skippedSpans += spans.length - storable.length;
    stats.requests++;
    session.feed(storable, normalizer.takeReattributions());
    options.onProgress?.({ done: item.value.bytesRead, total: file.sizeBytes, spans: session.spans });
  }
  return ok(stats);
}
