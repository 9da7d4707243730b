// What the loop detector remembers per session (or per trace when the span has no session).
import type { AgentSpan } from '../normalizer/agent-span.ts';
import { actionBack, actionSequenceInts, createActionSequence, MAX_CYCLE_PERIOD, type ActionSequence } from './action-cycle.ts';
import { identityRank } from './agent-identity-rank.ts';
import { createSpanIdRing, pushSpanId, spanIdBack, type SpanIdRing } from './span-id-ring.ts';

/**
 * One distinct tool + argument hash in a session, packed in one small integer: the call's id
 * in the low 16 bits, its count above. Sessions are created for every new conversation and
 * each holds a few of these; as objects they were a third of the detectors' objects, all of
 * them work for the garbage collector. The id stands for the call in the action sequence; ids
 * of tracked calls wrap at 65 536, which can only confuse a call with one dropped from the
 * session 65 536 tracked calls earlier (maxCallsPerSession keeps far fewer), long gone from the
 * action log. The count stops at MAX_CALL_COUNT, far past any report point that matters.
 */
export type RepeatedCall = number;

const CALL_ID_SPAN = 0x10000;
/** The largest count a call keeps; with the id it stays a small integer for V8 (under 2^30). */
export const MAX_CALL_COUNT = 0x3fff;

export function callId(call: RepeatedCall): number {
  return call & (CALL_ID_SPAN - 1);
}

export function callCount(call: RepeatedCall): number {
  return Math.floor(call / CALL_ID_SPAN);
}

/**
 * The session's tool calls in order: their call ids (for cycles) and span ids (for evidence).
 * Starts small and doubles up to `maxCapacity` (most sessions make a few calls); both rings are
 * replaced together when it grows.
 */
export interface ActionLog {
  sequence: ActionSequence;
  spanIds: SpanIdRing;
  readonly maxCapacity: number;
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
  /** The next tracked call's id (before wrapping). */
  nextCallId: number;
  /** Actions with unknown arguments each get a fresh negative id from here, apart from the
   *  tracked calls' ids, so they never make those wrap sooner. */
  nextUnknownId: number;
  /** Created at the first tool call. */
  actions: ActionLog | null;
}

export function createLoopSession(): LoopSession {
  return { agentId: '', agentRank: -1, steps: 0, stepsReported: false, calls: null, nextCallId: 0, nextUnknownId: -1, actions: null };
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
 * The session's action log, created at its first tool call, with room for the next action: it
 * remembers `capacity` actions in the end. Ids, cycle runs and span ids share one Int32Array.
 * It starts at MAX_CYCLE_PERIOD actions and doubles when full: a session is created for every
 * new conversation, and a full-size log for each (an off-heap buffer) was a visible part of
 * the pipeline's allocation and GC cost, and of the memory of sessions that make few calls.
 */
export function actionsOf(session: LoopSession, capacity: number): ActionLog {
  let actions = session.actions;
  if (actions === null) {
    const maxCapacity = Math.max(capacity, MAX_CYCLE_PERIOD);
    actions = createActionLog(Math.min(maxCapacity, MAX_CYCLE_PERIOD), maxCapacity);
    session.actions = actions;
  } else if (actions.sequence.count === actions.sequence.capacity && actions.sequence.capacity < actions.maxCapacity) {
    growActionLog(actions);
  }
  return actions;
}

function createActionLog(size: number, maxCapacity: number): ActionLog {
  const head = actionSequenceInts(size);
  const data = new Int32Array(head + size * 2);
  return { sequence: createActionSequence(size, data), spanIds: createSpanIdRing(size, data, head), maxCapacity };
}

/**
 * Doubles a full log that has never wrapped: action n sits in slot n for both the old and the
 * new capacity, so the rings are copied as they are.
 */
function growActionLog(actions: ActionLog): void {
  const { sequence, spanIds } = actions;
  const size = Math.min(sequence.capacity * 2, actions.maxCapacity);
  const grown = createActionLog(size, actions.maxCapacity);
  const oldHead = actionSequenceInts(sequence.capacity);
  grown.sequence.data.set(sequence.data.subarray(0, oldHead));
  grown.sequence.count = sequence.count;
  grown.spanIds.words.set(spanIds.words.subarray(spanIds.offset, spanIds.offset + spanIds.capacity * 2), grown.spanIds.offset);
  grown.spanIds.count = spanIds.count;
  if (spanIds.texts !== null) {
    const texts = new Array<string | undefined>(size);
    for (let i = 0; i < spanIds.texts.length; i++) texts[i] = spanIds.texts[i];
    grown.spanIds.texts = texts;
  }
  actions.sequence = grown.sequence;
  actions.spanIds = grown.spanIds;
}

/**
 * The session's record of this tool + argument hash, counted once more (unless at
 * MAX_CALL_COUNT). When the session already tracks `maxCalls` distinct calls, the first one it
 * started tracking is dropped (callers that keep a global count compare `calls.size` before and
 * after).
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
    call = session.nextCallId++ & (CALL_ID_SPAN - 1);
  }
  if (callCount(call) < MAX_CALL_COUNT) call += CALL_ID_SPAN;
  calls.set(key, call);
  return call;
}

/** A fresh id for an action whose arguments are unknown: never part of a repetition. */
export function unknownCallId(session: LoopSession): number {
  return session.nextUnknownId--;
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
