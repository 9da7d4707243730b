// What the loop detector remembers per trace for delegation chains: the graph, and enough about
// the trace's agent spans to connect a child agent to its parent agent when the normalizer could
// not (the child was exported in an earlier request than its parent, so it carries no
// delegationFrom). Only agent spans touch this state.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import { isNamedAgent } from './agent-identity-rank.ts';
import { addDelegation, createDelegationGraph, type DelegationGraph } from './delegation-graph.ts';
import { pushRecentSpanId } from './recent-span-ids.ts';

interface WaitingChild {
  agentId: string;
  spanId: string;
}

export interface DelegationTrace {
  graph: DelegationGraph;
  /** Agent span id -> its agent, for children that arrive after their parent. */
  agentSpans: Map<string, string>;
  /** Parent span id -> an agent span that arrived before its parent. */
  waiting: Map<string, WaitingChild>;
  /** The agent spans whose delegation returned, most recent last. */
  returnSpanIds: string[];
  reported: boolean;
  lastChain: string[];
}

export function createDelegationTrace(): DelegationTrace {
  return { graph: createDelegationGraph(), agentSpans: new Map(), waiting: new Map(), returnSpanIds: [], reported: false, lastChain: [] };
}

export interface DelegationBounds {
  maxAgentsPerTrace: number;
  maxAgentSpansPerTrace: number;
  maxEvidenceSpanIds: number;
}

/** Adds what an agent span says about delegation; true when it closed at least one return. */
export function observeAgentSpan(trace: DelegationTrace, span: AgentSpan, bounds: DelegationBounds): boolean {
  const named = isNamedAgent(span.agentIdSource);
  let returned = false;

  if (span.delegationFrom !== '') {
    returned = link(trace, span.delegationFrom, span.agentId, span.spanId, bounds);
  } else if (named && span.parentSpanId !== '') {
    const parentAgent = trace.agentSpans.get(span.parentSpanId);
    if (parentAgent !== undefined) returned = link(trace, parentAgent, span.agentId, span.spanId, bounds);
    else if (trace.waiting.size < bounds.maxAgentSpansPerTrace) trace.waiting.set(span.parentSpanId, { agentId: span.agentId, spanId: span.spanId });
  }

  if (named) {
    if (trace.agentSpans.size < bounds.maxAgentSpansPerTrace) trace.agentSpans.set(span.spanId, span.agentId);
    const child = trace.waiting.get(span.spanId);
    if (child !== undefined) {
      trace.waiting.delete(span.spanId);
      if (link(trace, span.agentId, child.agentId, child.spanId, bounds)) returned = true;
    }
  }
  return returned;
}

function link(trace: DelegationTrace, from: string, to: string, spanId: string, bounds: DelegationBounds): boolean {
  const chain = addDelegation(trace.graph, from, to, bounds.maxAgentsPerTrace);
  if (chain === null) return false;
  trace.lastChain = chain;
  pushRecentSpanId(trace.returnSpanIds, spanId, bounds.maxEvidenceSpanIds);
  return true;
}
