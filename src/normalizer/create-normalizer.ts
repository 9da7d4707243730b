// The normalizer stage: every OTLP span becomes exactly one AgentSpan, in request order.
// Hot path (target: decode + map + detect >= 200k spans/s on one core): mappers are fixed
// singletons, attributes are read by exact key, and only tool arguments on tool spans are parsed.
import type { InstrumentationScope, LogsRequest, ResourceSpans, Span, TraceRequest } from '../otlp/otlp-types.ts';
import type { AgentSpan, OutcomeSignal } from './agent-span.ts';
import { createAgentsBelow } from './agents-below.ts';
import { buildAgentSpan } from './build-agent-span.ts';
import { createIdentityCache, DEFAULT_IDENTITY_CACHE_SPANS } from './identity-cache.ts';
import { resolveContexts } from './identity-resolver.ts';
import { createLateIdentity, type AgentReattribution } from './late-identity.ts';
import { outcomesFromLogs } from './log-outcomes.ts';
import type { MappedFields } from './mapped-fields.ts';
import { mapSpan } from './mapper-registry.ts';
import { createPriceTable, type PriceOverrides } from './price-table.ts';
import { resourceIdentity, type ResourceIdentity } from './resource-identity.ts';
import { outcomesFromSpans } from './span-outcomes.ts';

export interface NormalizerOptions {
  /** Per-model prices (USD per million tokens) over the shipped table; default none. */
  prices?: PriceOverrides;
  /** Spans whose inherited identity and session are remembered across requests; default 100 000. */
  identityCacheSpans?: number;
}

export interface Normalizer {
  /** One AgentSpan per span, in the order of the request. */
  normalizeTraces(request: TraceRequest): AgentSpan[];
  /** Outcome signals among the log records; other records are skipped. */
  normalizeLogs(request: LogsRequest): OutcomeSignal[];
  /** Outcome signals carried as `agent.outcome` span events. */
  outcomesFromSpans(spans: AgentSpan[]): OutcomeSignal[];
  /**
   * Spans normalized in earlier requests without an agent, re-attributed because their ancestor
   * arrived in the requests normalized since the last call. Drains the list.
   */
  takeReattributions(): AgentReattribution[];
}

export function createNormalizer(options: NormalizerOptions = {}): Normalizer {
  const prices = createPriceTable(options.prices);
  const cacheSpans = options.identityCacheSpans ?? DEFAULT_IDENTITY_CACHE_SPANS;
  const cache = createIdentityCache(cacheSpans);
  const late = createLateIdentity(cacheSpans, cache);
  const agentsBelow = createAgentsBelow(cacheSpans);
  let reattributions: AgentReattribution[] = [];

  return {
    normalizeTraces(request) {
      // Parallel arrays rather than an object per span: this runs for every span Warden receives.
      const spans: Span[] = [];
      const fields: MappedFields[] = [];
      const scopes: InstrumentationScope[] = [];
      const resources: ResourceSpans[] = [];
      const identities: ResourceIdentity[] = [];
      for (const resourceSpans of request.resourceSpans) {
        const identity = resourceIdentity(resourceSpans.resource);
        for (const scopeSpans of resourceSpans.scopeSpans) {
          for (const span of scopeSpans.spans) {
            spans.push(span);
            fields.push(mapSpan(span));
            scopes.push(scopeSpans.scope);
            resources.push(resourceSpans);
            identities.push(identity);
          }
        }
      }
      const { contexts, parentContexts } = resolveContexts(spans, fields, cache, agentsBelow);
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i] as Span;
        if (span.traceId === '' || span.spanId === '') continue;
        const context = contexts[i];
        if (context && context.agentId !== '') {
          late.resolve(span.traceId, span.spanId, context, reattributions);
        } else if (span.parentSpanId !== '') {
          late.wait(span.traceId, span.parentSpanId, {
            spanId: span.spanId,
            sessionId: context?.sessionId ?? '',
            taskId: context?.taskId ?? '',
            startTimeUnixNano: span.startTimeUnixNano,
          });
        }
      }
      const out = new Array<AgentSpan>(spans.length);
      for (let i = 0; i < spans.length; i++) {
        out[i] = buildAgentSpan(
          {
            span: spans[i] as Span,
            scope: scopes[i] as InstrumentationScope,
            resource: identities[i] as ResourceIdentity,
            resourceAttributes: (resources[i] as ResourceSpans).resource,
            fields: fields[i] as MappedFields,
            context: contexts[i] ?? null,
            parentContext: parentContexts[i] ?? null,
          },
          prices,
        );
      }
      return out;
    },

    normalizeLogs(request) {
      return outcomesFromLogs(request, cache);
    },

    outcomesFromSpans(spans) {
      return outcomesFromSpans(spans);
    },

    takeReattributions() {
      const taken = reattributions;
      reattributions = [];
      return taken;
    },
  };
}
