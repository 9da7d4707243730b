// Resolves what each span inherits over a whole export request before any span is emitted: the
// root of a trace often travels behind its children in the same request, so a single pass in
// arrival order would miss it. Parents outside the request come from the identity cache.
import type { Span } from '../otlp/otlp-types.ts';
import type { AgentsBelow } from './agents-below.ts';
import { spanKey, type IdentityCache, type InheritedContext } from './identity-cache.ts';
import type { MappedFields } from './mapped-fields.ts';
import { demoteWorkflowContainers } from './workflow-containers.ts';

export interface ResolvedContexts {
  /** What each span passes on (its own values over its ancestors'); null when nothing. */
  contexts: (InheritedContext | null)[];
  /** What each span received from its nearest ancestor; null when nothing. */
  parentContexts: (InheritedContext | null)[];
}

// Walk state per span; 0 (the Uint8Array's initial value) means not seen yet.
const ON_PATH = 1;
const DONE = 2;

/**
 * The span's own values layered over its parent's context; shares the parent's when it adds
 * nothing. Identity: the span's agent or container name, else the parent's, else the span's
 * ambient (propagated) name.
 */
export function inherit(own: MappedFields, parent: InheritedContext | null): InheritedContext | null {
  const ownId = own.agentId !== '' ? own.agentId : own.containerName;
  const parentId = parent?.agentId ?? '';
  if (ownId === '' && own.ambientName !== '' && parentId === '') {
    return {
      agentId: own.ambientName,
      agentName: own.agentName || own.ambientName,
      agentRole: own.agentRole,
      agentNamed: false,
      sessionId: own.sessionId || (parent?.sessionId ?? ''),
      taskId: own.taskId || (parent?.taskId ?? ''),
    };
  }
  if (ownId === '' && own.sessionId === '' && own.taskId === '' && own.agentRole === '') return parent;
  if (ownId === '') {
    if (parent === null) {
      return { agentId: '', agentName: '', agentRole: own.agentRole, agentNamed: false, sessionId: own.sessionId, taskId: own.taskId };
    }
    return {
      agentId: parent.agentId,
      agentName: parent.agentName,
      agentRole: parent.agentRole || own.agentRole,
      agentNamed: parent.agentNamed,
      sessionId: own.sessionId || parent.sessionId,
      taskId: own.taskId || parent.taskId,
    };
  }
  // The same agent further down keeps the role stated higher up.
  const sameAgent = parent !== null && parent.agentId === ownId;
  return {
    agentId: ownId,
    agentName: own.agentName || ownId,
    agentRole: own.agentRole || (sameAgent ? parent.agentRole : ''),
    agentNamed: own.agentId !== '',
    sessionId: own.sessionId || (parent?.sessionId ?? ''),
    taskId: own.taskId || (parent?.taskId ?? ''),
  };
}

/** Also demotes workflow containers in `fields` first (workflow-containers.ts), as identity depends on it. */
export function resolveContexts(spans: readonly Span[], fields: readonly MappedFields[], cache: IdentityCache, agentsBelow: AgentsBelow): ResolvedContexts {
  const n = spans.length;
  // Spans of the request by span id alone: a span id is a flat string whose hash V8 keeps, and
  // a parent id is shared by its siblings (decode-proto.ts), where a traceId+spanId key is a new
  // rope to flatten and hash at every lookup. A span id already taken by another trace (span ids
  // are random 64 bits, so only in crafted input) goes to `collisions` under the full key; the
  // first span with a given trace and span id wins either way.
  const index = new Map<string, number>();
  let collisions: Map<string, number> | null = null;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as Span;
    if (span.traceId === '' || span.spanId === '') continue;
    const first = index.get(span.spanId);
    if (first === undefined) {
      index.set(span.spanId, i);
    } else if ((spans[first] as Span).traceId !== span.traceId) {
      collisions ??= new Map();
      const key = spanKey(span.traceId, span.spanId);
      if (!collisions.has(key)) collisions.set(key, i);
    }
  }

  /** The parent's index in the request; -1 for a root, a span without a trace, or a parent outside. */
  function parentIndexOf(i: number): number {
    const span = spans[i] as Span;
    if (span.parentSpanId === '' || span.traceId === '') return -1;
    const parent = index.get(span.parentSpanId);
    if (parent === undefined) return -1;
    if ((spans[parent] as Span).traceId === span.traceId) return parent;
    return collisions?.get(spanKey(span.traceId, span.parentSpanId)) ?? -1;
  }

  demoteWorkflowContainers(spans, fields, parentIndexOf, agentsBelow);

  const state = new Uint8Array(n);
  const contexts = new Array<InheritedContext | null>(n).fill(null);
  const parentContexts = new Array<InheritedContext | null>(n).fill(null);
  const path: number[] = [];
  for (let start = 0; start < n; start++) {
    if (state[start] === DONE) continue;
    // Walk up to a span already resolved, a root, or a parent outside the request; then resolve
    // the path top-down. Each span is walked once, so the request costs O(spans).
    path.length = 0;
    let base: InheritedContext | null = null;
    let j = start;
    for (;;) {
      if (state[j] === DONE) {
        base = contexts[j] ?? null;
        break;
      }
      if (state[j] === ON_PATH) break; // a parent cycle (malformed input): the loop's top inherits nothing
      state[j] = ON_PATH;
      path.push(j);
      const span = spans[j] as Span;
      if (span.parentSpanId === '' || span.traceId === '') break;
      const parent = parentIndexOf(j);
      if (parent < 0) {
        base = cache.get(spanKey(span.traceId, span.parentSpanId)) ?? null;
        break;
      }
      j = parent;
    }
    for (let k = path.length - 1; k >= 0; k--) {
      const m = path[k] as number;
      parentContexts[m] = base;
      base = inherit(fields[m] as MappedFields, base);
      contexts[m] = base;
      state[m] = DONE;
    }
  }

  for (let i = 0; i < n; i++) {
    const context = contexts[i];
    const span = spans[i] as Span;
    if (context !== null && context !== undefined && span.traceId !== '' && span.spanId !== '') cache.set(spanKey(span.traceId, span.spanId), context);
  }
  return { contexts, parentContexts };
}
