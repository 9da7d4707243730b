import type { AgentSpan } from '../normalizer/agent-span.ts';

/** What a span contributed to the agent summaries under the identity it was stored with. */
export interface StoredUsage {
  agentId: string;
  traceId: string;
  startTimeUnixNano: bigint;
  kind: AgentSpan['kind'];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface WeakSpanIndex {
  /** Remembers a stored span whose identity may still be corrected. */
  add(span: AgentSpan): void;
  get(traceId: string, spanId: string): StoredUsage | undefined;
  delete(traceId: string, spanId: string): void;
  readonly size: number;
}

/** Spans the normalizer may re-attribute later: no identity of their own or from an ancestor
 *  or resource (service.name fallback, or none), and a parent still to arrive. */
export function mayBeReattributed(span: AgentSpan): boolean {
  return (span.agentIdSource === 'service' || span.agentIdSource === 'none') && span.parentSpanId !== '';
}

/**
 * Bounded memory of recently stored weak-identity spans, so a re-attribution can move their
 * usage between agents without reading ClickHouse. Two generations: when the current one is
 * full the older is dropped whole, like the normalizer's identity cache; a correction for a
 * forgotten span still fixes the trace view, only the summaries keep the old agent.
 */
export function createWeakSpanIndex(maxSpans: number): WeakSpanIndex {
  const generationSize = Math.max(1, Math.ceil(maxSpans / 2));
  let current = new Map<string, StoredUsage>();
  let old = new Map<string, StoredUsage>();
  const key = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

  return {
    add(span) {
      if (current.size >= generationSize) {
        old = current;
        current = new Map();
      }
      current.set(key(span.traceId, span.spanId), {
        agentId: span.agentId,
        traceId: span.traceId,
        startTimeUnixNano: span.startTimeUnixNano,
        kind: span.kind,
        inputTokens: span.inputTokens,
        outputTokens: span.outputTokens,
        costUsd: span.costUsd,
      });
    },
    get(traceId, spanId) {
      const k = key(traceId, spanId);
      return current.get(k) ?? old.get(k);
    },
    delete(traceId, spanId) {
      const k = key(traceId, spanId);
      current.delete(k);
      old.delete(k);
    },
    get size() {
      return current.size + old.size;
    },
  };
}
