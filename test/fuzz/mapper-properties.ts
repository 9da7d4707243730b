// The normalizer properties, shared by mapper-fuzz.test.ts and scripts/fuzz.ts: whatever the
// attributes hold, every span becomes an AgentSpan whose numbers are finite and non-negative and
// whose identity is one of the strings the sender sent, taken verbatim (never assembled).
import { boundedIdentifier, MAX_IDENTIFIER_CHARS } from '../../src/normalizer/bounded-identifier.ts';
import fc from 'fast-check';
import { inspect } from 'node:util';
import type { AgentSpan } from '../../src/normalizer/agent-span.ts';
import { createNormalizer } from '../../src/normalizer/create-normalizer.ts';
import { createMappedFields, type MappedFields } from '../../src/normalizer/mapped-fields.ts';
import { MAPPERS } from '../../src/normalizer/mapper-registry.ts';
import type { Attributes, Span, TraceRequest } from '../../src/otlp/otlp-types.ts';
import { checkNoPrototypePollution, violation } from './decoded-invariants.ts';
import type { NamedProperty } from './decoder-properties.ts';
import { hostileAttributes, hostileRequest } from './mapper-arbitraries.ts';

/** Per request of at most 16 spans with 1 MiB values: generous, a hang or blow-up trips it. */
export const MAX_NORMALIZE_MS = 2000;
export const normalizeStats = { maxMs: 0 };

const KINDS = new Set(['agent', 'llm', 'tool', 'other']);
const STATUSES = new Set(['unset', 'ok', 'error']);
const SOURCES = new Set(['span', 'ancestor', 'resource', 'service', 'none']);

function finiteNonNegative(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) violation(`${what} is not a finite non-negative number: ${inspect(value)}`);
}

/** The strings a sender put where readers look: top-level attribute values (numbers as text) and span names. */
function sentStrings(request: TraceRequest): Set<string> {
  const out = new Set<string>(['']);
  const add = (attributes: Attributes): void => {
    for (const value of Object.values(attributes)) {
      if (typeof value === 'string') out.add(value);
      else if (typeof value === 'number' && Number.isFinite(value)) out.add(String(value));
    }
  };
  for (const rs of request.resourceSpans) {
    add(rs.resource);
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        add(span.attributes);
        out.add(span.name);
      }
    }
  }
  return out;
}

export function checkAgentSpan(span: AgentSpan, sent: Set<string>): void {
  finiteNonNegative(span.inputTokens, 'inputTokens');
  finiteNonNegative(span.outputTokens, 'outputTokens');
  finiteNonNegative(span.costUsd, 'costUsd');
  if (span.confidence !== null && !(span.confidence >= 0 && span.confidence <= 1)) violation(`confidence ${span.confidence} outside 0..1`);
  for (const field of ['agentId', 'agentName', 'agentRole', 'sessionId', 'taskId', 'toolName', 'toolArgsHash', 'model', 'provider', 'target', 'delegationFrom', 'actionTier', 'approvalId', 'intent', 'errorType', 'dataAccess'] as const) {
    if (typeof span[field] !== 'string') violation(`${field} is not a string: ${inspect(span[field])}`);
  }
  // Copied from one value the sender sent, never concatenated or expanded; identifiers longer
  // than MAX_IDENTIFIER_CHARS are that value bounded (src/normalizer/bounded-identifier.ts).
  for (const field of ['agentName', 'taskId'] as const) {
    if (!sent.has(span[field])) violation(`${field} ${inspect(span[field], { maxStringLength: 80 })} is none of the strings sent`);
  }
  for (const field of ['agentId', 'sessionId', 'model', 'toolName', 'target', 'delegationFrom'] as const) {
    if (span[field].length > MAX_IDENTIFIER_CHARS) violation(`${field} has ${span[field].length} characters, over ${MAX_IDENTIFIER_CHARS}`);
    if (field !== 'toolName' && field !== 'target' && field !== 'delegationFrom' && ![...sent].some((value) => boundedIdentifier(value) === span[field])) {
      violation(`${field} ${inspect(span[field], { maxStringLength: 80 })} is none of the strings sent`);
    }
  }
  if (!KINDS.has(span.kind)) violation(`kind ${span.kind}`);
  if (!STATUSES.has(span.status)) violation(`status ${span.status}`);
  if (!SOURCES.has(span.agentIdSource)) violation(`agentIdSource ${span.agentIdSource}`);
  if (span.kind !== 'tool' && (span.toolName !== '' || span.toolArgsHash !== '')) violation('a tool name or args hash on a span that is not a tool call');
  if (!Array.isArray(span.dataClasses) || span.dataClasses.some((c) => typeof c !== 'string' || c === '')) violation(`dataClasses ${inspect(span.dataClasses)}`);
  if (typeof span.durationNs !== 'bigint' || span.durationNs < 0n) violation(`durationNs ${String(span.durationNs)}`);
}

export function checkMappedFields(out: MappedFields, mapper: string): void {
  for (const [field, value] of [['inputTokens', out.inputTokens], ['outputTokens', out.outputTokens], ['costUsd', out.costUsd]] as const) {
    if (value !== -1 && !(Number.isFinite(value) && value >= 0)) violation(`${mapper}: ${field} ${value} is neither -1 (not reported) nor a finite count`);
  }
  if (out.confidence !== null && !(out.confidence >= 0 && out.confidence <= 1)) violation(`${mapper}: confidence ${out.confidence}`);
  if (out.kind !== '' && !KINDS.has(out.kind)) violation(`${mapper}: kind ${out.kind}`);
}

function timedNormalize(requests: TraceRequest[]): AgentSpan[][] {
  const normalizer = createNormalizer();
  const start = performance.now();
  const out = requests.map((r) => normalizer.normalizeTraces(r));
  normalizer.takeReattributions();
  const ms = performance.now() - start;
  if (ms > normalizeStats.maxMs) normalizeStats.maxMs = ms;
  if (ms > MAX_NORMALIZE_MS) violation(`normalizing took ${ms.toFixed(0)} ms`);
  return out;
}

function spanCount(request: TraceRequest): number {
  return request.resourceSpans.reduce((n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0);
}

/** A span with nothing a mapper reads: spread it and set what a case needs. */
export const BARE_SPAN: Span = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: '00f067aa0ba902b7',
  parentSpanId: '',
  traceState: '',
  name: 'span',
  kind: 1,
  startTimeUnixNano: 1n,
  endTimeUnixNano: 2n,
  attributes: {},
  events: [],
  links: [],
  status: { code: 0, message: '' },
};

export function mapperProperties(): NamedProperty[] {
  return [
    {
      name: 'every mapper reads hostile attributes without throwing, counts -1 or finite',
      property: fc.property(hostileAttributes, fc.boolean(), (attributes, root) => {
        const span: Span = { ...BARE_SPAN, parentSpanId: root ? '' : '53995c3f42cd8ad8', attributes };
        for (const mapper of MAPPERS) {
          const out = createMappedFields();
          mapper.map(span, out);
          checkMappedFields(out, mapper.name);
        }
        checkNoPrototypePollution();
      }) as unknown as fc.IProperty<never>,
    },
    {
      name: 'the normalizer turns hostile requests into sane AgentSpans, across requests too',
      property: fc.property(fc.array(hostileRequest, { minLength: 1, maxLength: 3 }), (requests) => {
        const results = timedNormalize(requests);
        // Identity can be inherited from an earlier request: every request's strings count.
        const sent = new Set(requests.flatMap((r) => [...sentStrings(r)]));
        requests.forEach((request, i) => {
          const spans = results[i] ?? [];
          if (spans.length !== spanCount(request)) violation(`${spans.length} AgentSpans for ${spanCount(request)} spans`);
          for (const span of spans) checkAgentSpan(span, sent);
        });
        checkNoPrototypePollution();
      }) as unknown as fc.IProperty<never>,
    },
  ];
}
