// The loop detector's findings and their evidence, built only when a rule fires.
import { actionBack } from './action-cycle.ts';
import { returnsOf, type DelegationTrace } from './delegation-trace.ts';
import type { ObservedSpan } from './detector.ts';
import type { Finding } from './finding.ts';
import { callCount, callId, spanIdsOfCall, type ActionLog, type LoopSession, type RepeatedCall } from './loop-session.ts';
import { makeFinding } from './make-finding.ts';
import { pushRecentSpanId } from './recent-span-ids.ts';
import { recentSpanIds } from './span-id-ring.ts';

/** Separates tool and argument hash in a session's call keys. */
export const CALL_KEY_SEPARATOR = '\u0000';

export function identicalCallsFinding(session: LoopSession, actions: ActionLog, call: RepeatedCall, observed: ObservedSpan, limit: number): Finding {
  const { toolName, toolArgsHash } = observed.span;
  return makeFinding(
    'loop',
    'identical_calls',
    session.agentId,
    observed,
    `${session.agentId} called ${toolName} with the same arguments ${callCount(call)} times in one session (limit ${limit})`,
    // The calls among the session's latest maxEvidenceSpanIds actions: all of them in a loop.
    { span_ids: spanIdsOfCall(actions, callId(call)), tool: toolName, args_hash: toolArgsHash, count: callCount(call), limit },
  );
}

export function cycleFinding(session: LoopSession, actions: ActionLog, observed: ObservedSpan, period: number, repeats: number, limit: number): Finding {
  // The sequence holds call ids; the calls map holds what they stand for.
  const keys = new Map<number, string>();
  for (const [key, call] of session.calls ?? []) keys.set(callId(call), key);
  const tools: string[] = [];
  const argsHashes: string[] = [];
  for (let back = period - 1; back >= 0; back--) {
    const key = keys.get(actionBack(actions.sequence, back)) ?? '';
    const separator = key.indexOf(CALL_KEY_SEPARATOR);
    tools.push(separator < 0 ? key : key.slice(0, separator));
    argsHashes.push(separator < 0 ? '' : key.slice(separator + 1));
  }
  return makeFinding(
    'loop',
    'cycle',
    session.agentId,
    observed,
    `${session.agentId} repeated the cycle ${tools.join(' -> ')} ${repeats} times in a row (limit ${limit})`,
    { span_ids: recentSpanIds(actions.spanIds, period * repeats), cycle: tools, args_hashes: argsHashes, period, repeats, limit },
  );
}

export function maxStepsFinding(session: LoopSession, observed: ObservedSpan, limit: number, evidenceCap: number): Finding {
  // The latest tool calls, and this step when it is not one of them.
  const spanIds = session.actions === null ? [] : recentSpanIds(session.actions.spanIds, evidenceCap);
  const spanId = observed.span.spanId;
  if (spanIds[spanIds.length - 1] !== spanId) pushRecentSpanId(spanIds, spanId, evidenceCap);
  return makeFinding('loop', 'max_steps', session.agentId, observed, `${session.agentId} took ${session.steps} LLM and tool steps in one session (limit ${limit})`, {
    span_ids: spanIds,
    steps: session.steps,
    limit,
  });
}

export function delegationCycleFinding(trace: DelegationTrace, observed: ObservedSpan, limit: number): Finding {
  const { agentId, traceId } = observed.span;
  const returns = returnsOf(trace);
  return makeFinding(
    'loop',
    'delegation_cycle',
    agentId,
    observed,
    `delegation in trace ${traceId} returned to an agent it left ${returns} times (${trace.lastChain.join(' -> ')}; limit ${limit})`,
    { span_ids: trace.returnSpanIds?.slice() ?? [], chain: trace.lastChain, returns, limit },
  );
}
