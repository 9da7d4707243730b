import pino from 'pino';
import { createAlerter } from '../../../src/alerter/create-alerter.ts';
import type { AlerterDeps } from '../../../src/alerter/create-alerter.ts';
import type { AlertVersion } from '../../../src/alerter/alert.ts';
import type { AlertChangeEvent, AlertSink } from '../../../src/alerter/alert-sink.ts';
import type { AlertStore } from '../../../src/alerter/alert-store.ts';
import type { Finding } from '../../../src/detector/finding.ts';
import { ok } from '../../../src/errors/warden-error.ts';
import type { AgentPolicy, FindingKind, Severity } from '../../../src/policy/agent-policy.ts';

const noList = { allow: null, deny: [] };

/** A complete policy; tests override severities, actions and enforce. */
export function policy(overrides: { enforce?: boolean; severity?: Partial<Record<FindingKind, Severity>> } = {}): AgentPolicy {
  return {
    matchedRule: null,
    role: null,
    enforce: overrides.enforce ?? true,
    actions: { critical: 'suspend', warning: 'notify', info: 'record' },
    loop: { maxIdenticalCalls: 5, maxCycleRepeats: 3, maxSteps: 50, maxDelegationReturns: 2 },
    spend: { sensitivity: 4, minUsdPerMinute: 0.05, minTokensPerMinute: 5000, learningMinutes: 30 },
    drift: { learningSpans: 500, divergence: 0.3 },
    tools: noList,
    data: noList,
    targets: noList,
    budget: { usdPerHour: null, usdPerDay: null, tokensPerSession: null },
    limits: { actionsPerMinute: null, writesPerHour: null },
    minConfidence: null,
    severity: {
      loop: 'warning',
      spend_spike: 'warning',
      budget_exceeded: 'critical',
      policy_violation: 'critical',
      permission_drift: 'warning',
      suspended_activity: 'critical',
      delivery_failure: 'warning',
      ...overrides.severity,
    },
  };
}

export const TRACE_A = 'a'.repeat(32);
export const TRACE_B = 'b'.repeat(32);

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    kind: 'loop',
    rule: 'identical_calls',
    agentId: 'support-1',
    traceId: TRACE_A,
    sessionId: 'session-1',
    summary: 'ticket-create called 5 times with the same arguments',
    evidence: { span_ids: ['0000000000000001'], tool: 'ticket-create', count: 5 },
    observedAtMs: 1_700_000_000_000,
    ...overrides,
  };
}

/** The alerts table in memory: every version, latest per id readable; write can be refused. */
export function memoryStore(initial: AlertVersion[] = []) {
  const versions: AlertVersion[] = [...initial];
  const state = { refuse: false, writes: 0 };
  const latest = (): Map<string, AlertVersion> => {
    const byId = new Map<string, AlertVersion>();
    for (const version of versions) {
      const current = byId.get(version.alert.id);
      if (current === undefined || version.version > current.version) byId.set(version.alert.id, version);
    }
    return byId;
  };
  const store: AlertStore = {
    write(rows) {
      state.writes++;
      if (state.refuse) return false;
      versions.push(...rows);
      return true;
    },
    loadFiring: async (limit) =>
      ok(
        [...latest().values()]
          .filter((version) => version.alert.status === 'firing')
          .sort((a, b) => b.updatedAtMs - a.updatedAtMs)
          .slice(0, limit),
      ),
    get: async (id) => ok(latest().get(id) ?? null),
    flush: async () => {},
  };
  return { store, versions, state, latest };
}

export function recordingSink() {
  const events: AlertChangeEvent[] = [];
  const sink: AlertSink = { onAlertChange: (event) => events.push(event) };
  return { sink, events, types: () => events.map((event) => event.type) };
}

/** An alerter on a controllable clock over an in-memory store. */
export function testAlerter(overrides: Partial<AlerterDeps> = {}, initial: AlertVersion[] = []) {
  const clock = { now: 1_700_000_000_000 };
  const memory = memoryStore(initial);
  const recorded = recordingSink();
  const policies = new Map<string, AgentPolicy>();
  const alerter = createAlerter({
    policyFor: (agentId) => policies.get(agentId) ?? policy(),
    store: memory.store,
    sinks: [recorded.sink],
    clock: () => clock.now,
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
  return { alerter, clock, memory, events: recorded.events, types: recorded.types, policies };
}
