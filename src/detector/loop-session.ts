// What the loop detector remembers per session (or per trace when the span has no session).
import type { AgentSpan } from '../normalizer/agent-span.ts';
import { actionBack, actionSequenceInts, createActionSequence, MAX_CYCLE_PERIOD, type ActionSequence } from './action-cycle.ts';
import { identityRank } from './agent-identity-rank.ts';
import { createSpanIdRing, pushSpanId, spanIdBack, type SpanIdRing } from './span-id-ring.ts';

/** One distinct tool + argument hash in a session. */
export interface RepeatedCall {
  /** Stands for the call in the action sequence; never reused within the session. */
  id: number;
  count: number;
}

/** The session's tool calls in order: their call ids (for cycles) and span ids (for evidence). */
export interface ActionLog {
  readonly sequence: ActionSequence;
  readonly spanIds: SpanIdRing;
}

export interface LoopSession {
  /** The strongest identity seen in the session; findings name this agent. */
  agentId: string;
  agentRank: number;
  /** LLM and tool spans. */
  steps: number;
  stepsReported: boolean;
  /** Created at the first tool call with an argument hash: many sessions never make one. */
  calls: Map<string, RepeatedCall> | null;
  nextCallId: number;
  /** Created at the first tool call. */
  actions: ActionLog | null;
}

export function createLoopSession(): LoopSession {
  return { agentId: '', agentRank: -1, steps: 0, stepsReported: false, calls: null, nextCallId: 0, actions: null };
}

/** Keeps the strongest identity; among equals the latest, since a later span knows more. */
export function noteIdentity(session: LoopSession, span: AgentSpan): void {
  const rank = identityRank(span.agentIdSource);
  if (rank >= session.agentRank && span.agentId !== '') {
    session.agentId = span.agentId;
    session.agentRank = rank;
  }
}

/**
 * The session's action log, created at its first tool call; remembers `capacity` actions. Ids,
 * cycle runs and span ids share one Int32Array: a long session's whole log is one allocation.
 */
export function actionsOf(session: LoopSession, capacity: number): ActionLog {
  if (session.actions === null) {
    const size = Math.max(capacity, MAX_CYCLE_PERIOD);
    const head = actionSequenceInts(size);
    const data = new Int32Array(head + size * 2);
    session.actions = { sequence: createActionSequence(size, data), spanIds: createSpanIdRing(size, data, head) };
  }
  return session.actions;
}

/**
 * The session's record of this tool + argument hash, counted once more. When the session
 * already tracks `maxCalls` distinct calls, the first one it started tracking is dropped (callers
 * that keep a global count compare `calls.size` before and after).
 */
export function countCall(session: LoopSession, key: string, maxCalls: number): RepeatedCall {
  let calls = session.calls;
  if (calls === null) {
    calls = new Map();
    session.calls = calls;
  }
  let call = calls.get(key);
  if (call === undefined) {
    if (calls.size >= maxCalls) {
      // Small map (maxCallsPerSession): its first key is cheap to find.
      const first = calls.keys().next();
      if (!first.done) calls.delete(first.value);
    }
    call = { id: session.nextCallId++, count: 0 };
    calls.set(key, call);
  }
  call.count++;
  return call;
}

/** Span ids of the actions with this call id among those the log still holds, oldest first. */
export function spanIdsOfCall(actions: ActionLog, callId: number): string[] {
  const ids: string[] = [];
  const held = Math.min(actions.sequence.count, actions.sequence.capacity);
  for (let back = held - 1; back >= 0; back--) {
    if (actionBack(actions.sequence, back) === callId) ids.push(spanIdBack(actions.spanIds, back));
  }
  return ids;
}
