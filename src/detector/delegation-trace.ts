// What the loop detector remembers per trace for delegation chains: the graph, and enough about
// the trace's agent spans to connect a child agent to its parent agent when the normalizer could
// not (the child was exported in an earlier request than its parent, so it carries no
// delegationFrom). Only agent spans touch this state.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import { isNamedAgent } from './agent-identity-rank.ts';
import { addDelegation, createDelegationGraph, type DelegationGraph } from './delegation-graph.ts';
import { pushRecentSpanId } from './recent-span-ids.ts';

/**
 * Per trace with an agent span, so per conversation: most traces have one agent span and no
 * delegation, so everything is created on first use, and the agent spans and waiting children
 * are short flat lists (at most maxAgentSpansPerTrace entries) rather than Maps.
 */
export interface DelegationTrace {
  /** Null until the trace's first delegation. */
  graph: DelegationGraph | null;
  /** Agent span id -> its agent, for children that arrive after their parent: [spanId, agentId, ...]. */
  agentSpans: string[] | null;
  /** Parent span id -> an agent span that arrived before its parent: [parentSpanId, agentId, spanId, ...]. */
  waiting: string[] | null;
  /** The agent spans whose delegation returned, most recent last. */
  returnSpanIds: string[] | null;
  reported: boolean;
  lastChain: string[];
}

const NO_CHAIN: string[] = [];

export function createDelegationTrace(): DelegationTrace {
  return { graph: null, agentSpans: null, waiting: null, returnSpanIds: null, reported: false, lastChain: NO_CHAIN };
}

/** Delegations in the trace that returned to an agent they left. */
export function returnsOf(trace: DelegationTrace): number {
  return trace.graph?.returns ?? 0;
}

export interface DelegationBounds {
  maxAgentsPerTrace: number;
  maxAgentSpansPerTrace: number;
  maxEvidenceSpanIds: number;
}

const AGENT_SPAN_FIELDS = 2;
const WAITING_FIELDS = 3;

/** Index of the entry whose first field is `key` in a flat list of `width`-field entries; -1 when none. */
function entryOf(list: string[] | null, width: number, key: string): number {
  if (list === null) return -1;
  for (let i = 0; i < list.length; i += width) if (list[i] === key) return i;
  return -1;
}

/** Adds what an agent span says about delegation; true when it closed at least one return. */
export function observeAgentSpan(trace: DelegationTrace, span: AgentSpan, bounds: DelegationBounds): boolean {
  const named = isNamedAgent(span.agentIdSource);
  let returned = false;

  if (span.delegationFrom !== '') {
    returned = link(trace, span.delegationFrom, span.agentId, span.spanId, bounds);
  } else if (named && span.parentSpanId !== '') {
    const parent = entryOf(trace.agentSpans, AGENT_SPAN_FIELDS, span.parentSpanId);
    if (parent >= 0) returned = link(trace, (trace.agentSpans as string[])[parent + 1] as string, span.agentId, span.spanId, bounds);
    else setWaiting(trace, span.parentSpanId, span.agentId, span.spanId, bounds.maxAgentSpansPerTrace);
  }

  if (named) {
    setAgentSpan(trace, span.spanId, span.agentId, bounds.maxAgentSpansPerTrace);
    const child = entryOf(trace.waiting, WAITING_FIELDS, span.spanId);
    if (child >= 0) {
      const waiting = trace.waiting as string[];
      const childAgent = waiting[child + 1] as string;
      const childSpan = waiting[child + 2] as string;
      waiting.splice(child, WAITING_FIELDS);
      if (link(trace, span.agentId, childAgent, childSpan, bounds)) returned = true;
    }
  }
  return returned;
}

/** Remembers an agent span while fewer than `max` are (a known span id is updated). */
function setAgentSpan(trace: DelegationTrace, spanId: string, agentId: string, max: number): void {
  const list = trace.agentSpans;
  if (list === null) {
    if (max > 0) trace.agentSpans = [spanId, agentId];
    return;
  }
  if (list.length / AGENT_SPAN_FIELDS >= max) return;
  const at = entryOf(list, AGENT_SPAN_FIELDS, spanId);
  if (at >= 0) list[at + 1] = agentId;
  else list.push(spanId, agentId);
}

/** Remembers a child waiting for its parent while fewer than `max` wait (a known parent is updated). */
function setWaiting(trace: DelegationTrace, parentSpanId: string, agentId: string, spanId: string, max: number): void {
  const list = trace.waiting;
  if (list === null) {
    if (max > 0) trace.waiting = [parentSpanId, agentId, spanId];
    return;
  }
  if (list.length / WAITING_FIELDS >= max) return;
  const at = entryOf(list, WAITING_FIELDS, parentSpanId);
  if (at >= 0) {
    list[at + 1] = agentId;
    list[at + 2] = spanId;
  } else {
    list.push(parentSpanId, agentId, spanId);
  }
}

function link(trace: DelegationTrace, from: string, to: string, spanId: string, bounds: DelegationBounds): boolean {
  trace.graph ??= createDelegationGraph();
  const chain = addDelegation(trace.graph, from, to, bounds.maxAgentsPerTrace);
  if (chain === null) return false;
  trace.lastChain = chain;
  trace.returnSpanIds ??= [];
  pushRecentSpanId(trace.returnSpanIds, spanId, bounds.maxEvidenceSpanIds);
  return true;
}
