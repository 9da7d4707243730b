// loop: an agent repeating itself. Four rules, all keyed by session (or by trace when the span has
// no session) or by trace, never by agent, so spans exported under a fallback identity before
// their agent span still count; findings name the strongest identity the session has shown.
//
// - identical_calls: the same tool with the same argument hash maxIdenticalCalls times in a
//   session; reported at that call, then at 2x, 4x... as the loop goes on. A call without an
//   argument hash is never "identical": unknown arguments may differ.
// - cycle: the session's actions repeat with a period of 2..8, maxCycleRepeats times in a row.
//   Actions are tool calls (tool + argument hash). LLM calls are not actions: one precedes almost
//   every tool call, so counting them would double every period and make a plain chat a loop.
// - max_steps: more than maxSteps LLM and tool spans in a session; once per session.
// - delegation_cycle: a trace's delegations return to an agent they left more than
//   maxDelegationReturns times (delegation-graph.ts); once per trace.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AgentPolicy } from '../policy/agent-policy.ts';
import { actionBack, cycleRepeats, isReportPoint, pushAction, reportableCycle } from './action-cycle.ts';
import { createDelegationTrace, observeAgentSpan, type DelegationTrace } from './delegation-trace.ts';
import type { Detector, ObservedSpan } from './detector.ts';
import type { DetectorLimits } from './detector-limits.ts';
import type { Finding } from './finding.ts';
import { actionsOf, countCall, createLoopSession, noteIdentity, spanIdsOfCall, type ActionLog, type LoopSession, type RepeatedCall } from './loop-session.ts';
import { createLruTable } from './lru-table.ts';
import { makeFinding } from './make-finding.ts';
import { pushRecentSpanId } from './recent-span-ids.ts';
import { pushSpanId, recentSpanIds } from './span-id-ring.ts';

const KEY_SEPARATOR = '\u0000';

export function createLoopDetector(limits: Readonly<DetectorLimits>): Detector {
  const evidenceCap = limits.maxEvidenceSpanIds;
  // Distinct calls over all sessions; beyond the cap, whole sessions go, least recent first.
  const maxCallsTotal = limits.maxCallsTotal;
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
      call = countCall(session, span.toolName + KEY_SEPARATOR + span.toolArgsHash, limits.maxCallsPerSession);
      callsTotal += (session.calls?.size ?? 0) - before;
    }
    // Unknown arguments: a fresh action every time, never part of a repetition.
    pushAction(actions.sequence, call === null ? -1 - session.nextCallId++ : call.id);
    pushSpanId(actions.spanIds, span.spanId);

    if (call !== null) {
      const threshold = Math.max(2, policy.loop.maxIdenticalCalls);
      if (isReportPoint(call.count, threshold)) {
        report(
          makeFinding(
            'loop',
            'identical_calls',
            session.agentId,
            observed,
            `${session.agentId} called ${span.toolName} with the same arguments ${call.count} times in one session (limit ${threshold})`,
            { span_ids: spanIdsOfCall(actions, call.id), tool: span.toolName, args_hash: span.toolArgsHash, count: call.count, limit: threshold },
          ),
          out,
        );
      }
    }
    const minRepeats = Math.max(2, policy.loop.maxCycleRepeats);
    const period = reportableCycle(actions.sequence, minRepeats);
    if (period > 0) report(cycleFinding(session, actions, observed, period, cycleRepeats(actions.sequence, period), minRepeats), out);
  }

  function cycleFinding(session: LoopSession, actions: ActionLog, observed: ObservedSpan, period: number, repeats: number, minRepeats: number): Finding {
    // Only when reporting: the sequence holds ids, the calls map holds what they stand for.
    const keys = new Map<number, string>();
    for (const [key, call] of session.calls ?? []) keys.set(call.id, key);
    const tools: string[] = [];
    const argsHashes: string[] = [];
    for (let back = period - 1; back >= 0; back--) {
      const key = keys.get(actionBack(actions.sequence, back)) ?? '';
      const separator = key.indexOf(KEY_SEPARATOR);
      tools.push(separator < 0 ? key : key.slice(0, separator));
      argsHashes.push(separator < 0 ? '' : key.slice(separator + 1));
    }
    return makeFinding(
      'loop',
      'cycle',
      session.agentId,
      observed,
      `${session.agentId} repeated the cycle ${tools.join(' -> ')} ${repeats} times in a row (limit ${minRepeats})`,
      { span_ids: recentSpanIds(actions.spanIds, period * repeats), cycle: tools, args_hashes: argsHashes, period, repeats, limit: minRepeats },
    );
  }

  function observeStep(observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const span = observed.span;
    const session = sessions.use(observed.sessionKey, observed.nowMs);
    noteIdentity(session, span);
    session.steps++;
    if (span.kind === 'tool') {
      observeTool(session, observed, policy, out);
      if (callsTotal > maxCallsTotal) shedSessions();
    }
    const maxSteps = policy.loop.maxSteps;
    if (!session.stepsReported && session.steps > maxSteps) {
      session.stepsReported = true;
      // The latest tool calls, and this step when it is not one of them.
      const spanIds = session.actions === null ? [] : recentSpanIds(session.actions.spanIds, evidenceCap);
      if (spanIds[spanIds.length - 1] !== span.spanId) pushRecentSpanId(spanIds, span.spanId, evidenceCap);
      report(
        makeFinding('loop', 'max_steps', session.agentId, observed, `${session.agentId} took ${session.steps} LLM and tool steps in one session (limit ${maxSteps})`, {
          span_ids: spanIds,
          steps: session.steps,
          limit: maxSteps,
        }),
        out,
      );
    }
  }

  function shedSessions(): void {
    // The session just used is the most recent, so it goes last.
    while (callsTotal > maxCallsTotal && sessions.size > 1 && sessions.evictOldest()) counters.sessionsDroppedForCalls++;
  }

  function observeAgent(observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const span: AgentSpan = observed.span;
    // The agent span usually arrives after its steps and names their agent for good.
    if (observed.sessionKey !== '') {
      const session = sessions.peek(observed.sessionKey);
      if (session !== undefined) noteIdentity(session, span);
    }
    if (span.traceId === '') return;
    const trace = traces.use(span.traceId, observed.nowMs);
    if (!observeAgentSpan(trace, span, limits) || trace.reported) return;
    const maxReturns = policy.loop.maxDelegationReturns;
    if (trace.graph.returns <= maxReturns) return;
    trace.reported = true;
    report(
      makeFinding(
        'loop',
        'delegation_cycle',
        span.agentId,
        observed,
        `delegation in trace ${span.traceId} returned to an agent it left ${trace.graph.returns} times (${trace.lastChain.join(' -> ')}; limit ${maxReturns})`,
        { span_ids: trace.returnSpanIds.slice(), chain: trace.lastChain, returns: trace.graph.returns, limit: maxReturns },
      ),
      out,
    );
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
