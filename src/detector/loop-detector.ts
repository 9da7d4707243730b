// loop: an agent repeating itself. Four rules, all keyed by session (or by trace when the span has
// no session) or by trace, never by agent, so spans exported under a fallback identity before
// their agent span still count; findings name the strongest identity the session has shown.
//
// - identical_calls: the same tool with the same argument hash maxIdenticalCalls times in a
//   session; reported at that call, then at 2x, 4x... as the loop goes on. A call without an
//   argument hash is never "identical": unknown arguments may differ. Span ids in evidence are
//   those among the session's last maxEvidenceSpanIds tool calls (all of them in a real loop).
// - cycle: the session's actions repeat with a period of 2..8, maxCycleRepeats times in a row.
//   Actions are tool calls (tool + argument hash). LLM calls are not actions: one precedes almost
//   every tool call, so counting them would double every period and make a plain chat a loop.
// - max_steps: more than maxSteps LLM and tool spans in a session; once per session.
// - delegation_cycle: a trace's delegations return to an agent they left more than
//   maxDelegationReturns times (delegation-graph.ts); once per trace.
import type { AgentPolicy } from '../policy/agent-policy.ts';
import { cycleRepeats, isReportPoint, pushAction, reportableCycle } from './action-cycle.ts';
import { createDelegationTrace, observeAgentSpan, returnsOf, type DelegationTrace } from './delegation-trace.ts';
import type { Detector, ObservedSpan } from './detector.ts';
import type { DetectorLimits } from './detector-limits.ts';
import type { Finding } from './finding.ts';
import { CALL_KEY_SEPARATOR, cycleFinding, delegationCycleFinding, identicalCallsFinding, maxStepsFinding } from './loop-findings.ts';
import { actionsOf, callCount, callId, countCall, createLoopSession, MAX_CALL_COUNT, noteIdentity, unknownCallId, type LoopSession, type RepeatedCall } from './loop-session.ts';
import { createLruTable } from './lru-table.ts';
import { pushSpanId } from './span-id-ring.ts';

export function createLoopDetector(limits: Readonly<DetectorLimits>): Detector {
  const evidenceCap = limits.maxEvidenceSpanIds;
  // Distinct calls over all sessions; beyond the cap, whole sessions go, least recent first.
  let callsTotal = 0;
  const counters = { findings: 0, callsTotal: 0, sessionsDroppedForCalls: 0 };

  const sessions = createLruTable<LoopSession>({
    maxEntries: limits.maxSessions,
    idleMs: limits.sessionIdleMs,
    create: createLoopSession,
    onEvict: (session) => {
      callsTotal -= session.calls?.size ?? 0;
    },
  });
  const traces = createLruTable<DelegationTrace>({ maxEntries: limits.maxTraces, idleMs: limits.traceIdleMs, create: createDelegationTrace });

  function report(finding: Finding, out: Finding[]): void {
    counters.findings++;
    out.push(finding);
  }

  function observeTool(session: LoopSession, observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const span = observed.span;
    const actions = actionsOf(session, evidenceCap);
    let call: RepeatedCall | null = null;
    if (span.toolArgsHash !== '') {
      const before = session.calls?.size ?? 0;
      // join builds one flat string; `+` would build a rope that the session's map keeps as its
      // key for the session's life, with the pieces behind it (the hash a slice of its digest).
      const key = [span.toolName, span.toolArgsHash].join(CALL_KEY_SEPARATOR);
      call = countCall(session, key, limits.maxCallsPerSession);
      callsTotal += (session.calls?.size ?? 0) - before;
    }
    // Unknown arguments: a fresh action every time, never part of a repetition.
    pushAction(actions.sequence, call === null ? unknownCallId(session) : callId(call));
    pushSpanId(actions.spanIds, span.spanId);

    if (call !== null) {
      const limit = Math.max(2, policy.loop.maxIdenticalCalls);
      // At MAX_CALL_COUNT the count no longer moves: its report point is not reached again.
      const count = callCount(call);
      if (count < MAX_CALL_COUNT && isReportPoint(count, limit)) report(identicalCallsFinding(session, actions, call, observed, limit), out);
    }
    const minRepeats = Math.max(2, policy.loop.maxCycleRepeats);
    const period = reportableCycle(actions.sequence, minRepeats);
    if (period > 0) report(cycleFinding(session, actions, observed, period, cycleRepeats(actions.sequence, period), minRepeats), out);
  }

  function observeStep(observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const session = sessions.use(observed.sessionKey, observed.nowMs);
    noteIdentity(session, observed.span);
    session.steps++;
    if (observed.span.kind === 'tool') {
      observeTool(session, observed, policy, out);
      if (callsTotal > limits.maxCallsTotal) shedSessions();
    }
    if (!session.stepsReported && session.steps > policy.loop.maxSteps) {
      session.stepsReported = true;
      report(maxStepsFinding(session, observed, policy.loop.maxSteps, evidenceCap), out);
    }
  }

  function shedSessions(): void {
    // The session just used is the most recent, so it goes last.
    while (callsTotal > limits.maxCallsTotal && sessions.size > 1 && sessions.evictOldest()) counters.sessionsDroppedForCalls++;
  }

  function observeAgent(observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const span = observed.span;
    // The agent span usually arrives after its steps and names their agent for good.
    if (observed.sessionKey !== '') {
      const session = sessions.peek(observed.sessionKey);
      if (session !== undefined) noteIdentity(session, span);
    }
    if (span.traceId === '') return;
    const trace = traces.use(span.traceId, observed.nowMs);
    if (!observeAgentSpan(trace, span, limits) || trace.reported) return;
    if (returnsOf(trace) <= policy.loop.maxDelegationReturns) return;
    trace.reported = true;
    report(delegationCycleFinding(trace, observed, policy.loop.maxDelegationReturns), out);
  }

  return {
    kind: 'loop',

    observe(observed, policy, out) {
      const kind = observed.span.kind;
      if (kind === 'agent') observeAgent(observed, policy, out);
      else if ((kind === 'llm' || kind === 'tool') && observed.sessionKey !== '') observeStep(observed, policy, out);
    },

    evictIdle(nowMs) {
      sessions.evictIdle(nowMs);
      traces.evictIdle(nowMs);
    },

    stats() {
      counters.callsTotal = callsTotal;
      return { kind: 'loop', tables: { sessions: sessions.stats(), traces: traces.stats() }, counters: { ...counters } };
    },
  };
}
