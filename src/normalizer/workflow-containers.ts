// A span whose only claim to be an agent is its own name (MappedFields.containerNameGuessed) is
// the agent's run only while no agent named by attribute runs below it. With one below it is a
// workflow around agents, not an agent: OpenAI Agents' trace root, named after the workflow, above
// the AGENT spans that name each agent. Such a span gives up the name as an identity, so it and
// the spans between it and the agents resolve like any span that names no agent (the nearest
// named ancestor, else the resource, else service.name), and it is kind 'other': usage it might
// report is its agents' usage again, and it is no agent's run for the detectors.
import type { Span } from '../otlp/otlp-types.ts';
import type { AgentsBelow } from './agents-below.ts';
import type { MappedFields } from './mapped-fields.ts';

/** Index of a span's parent in the request; -1 for a root or a parent outside the request. */
export type ParentIndexOf = (i: number) => number;

function namesAgent(fields: MappedFields): boolean {
  return fields.kind === 'agent' && fields.agentId !== '';
}

/**
 * Names no agent, declares no workflow and is no model or tool call: the search for a guessed
 * container climbs through it. An agent run inside a tool call (an agent used as a tool) is the
 * calling agent's action, so it makes no workflow of the spans above the call.
 */
function mayWrapAgents(fields: MappedFields): boolean {
  return fields.agentId === '' && (fields.containerName === '' || fields.containerNameGuessed) && fields.kind !== 'llm' && fields.kind !== 'tool';
}

/**
 * Climbs from every agent span named by attribute through the spans above it that may wrap
 * agents, up to the first that names an agent, declares a workflow or is a model or tool call,
 * and demotes the guessed containers on the way (their fields are changed in place). Where the
 * climb leaves the request, the parent is remembered in `below`, and such a span found there
 * later climbs on from itself. Each span is climbed through once: a request costs O(spans).
 */
export function demoteWorkflowContainers(spans: readonly Span[], fields: readonly MappedFields[], parentIndexOf: ParentIndexOf, below: AgentsBelow): void {
  const n = spans.length;
  let climbed: Uint8Array | null = null;

  function rememberParentOf(i: number): void {
    const span = spans[i] as Span;
    if (span.parentSpanId !== '' && span.traceId !== '') below.add(span.traceId, span.parentSpanId);
  }

  function climbFrom(start: number): void {
    climbed ??= new Uint8Array(n);
    for (let j = start; ; ) {
      const own = fields[j] as MappedFields;
      if (climbed[j] === 1 || !mayWrapAgents(own)) return;
      climbed[j] = 1;
      if (own.containerNameGuessed && own.containerName !== '') {
        own.containerName = '';
        if (own.kind === 'agent') own.kind = 'other';
      }
      const parent = parentIndexOf(j);
      if (parent < 0) {
        rememberParentOf(j);
        return;
      }
      j = parent;
    }
  }

  const lookBelow = below.size > 0;
  for (let i = 0; i < n; i++) {
    const own = fields[i] as MappedFields;
    if (namesAgent(own)) {
      const parent = parentIndexOf(i);
      if (parent < 0) rememberParentOf(i);
      else climbFrom(parent);
    } else if (lookBelow && mayWrapAgents(own)) {
      const span = spans[i] as Span;
      if (span.spanId !== '' && below.has(span.traceId, span.spanId)) climbFrom(i);
    }
  }
}
