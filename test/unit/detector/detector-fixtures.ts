// AgentSpans and AgentPolicies for detector tests: only what a test cares about, defaults for the rest.
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import type { AgentPolicy } from '../../../src/policy/agent-policy.ts';

export const T0_MS = Date.UTC(2025, 0, 1, 12, 0, 0);

type PolicyOverrides = { [K in keyof AgentPolicy]?: AgentPolicy[K] extends object ? Partial<AgentPolicy[K]> | AgentPolicy[K] : AgentPolicy[K] };

/** The built-in defaults of DESIGN.md, with whole sections or single fields overridden. */
export function defaultPolicy(overrides: PolicyOverrides = {}): AgentPolicy {
  const base: AgentPolicy = {
    matchedRule: null,
    role: null,
    enforce: true,
    actions: { critical: 'suspend', warning: 'notify', info: 'record' },
    loop: { maxIdenticalCalls: 5, maxCycleRepeats: 3, maxSteps: 50, maxDelegationReturns: 2 },
    spend: { sensitivity: 4, minUsdPerMinute: 0.05, minTokensPerMinute: 5000, learningMinutes: 30 },
    drift: { learningSpans: 500, divergence: 0.3 },
    tools: { allow: null, deny: [] },
    data: { allow: null, deny: [] },
    targets: { allow: null, deny: [] },
    budget: { usdPerHour: null, usdPerDay: null, tokensPerSession: null },
    limits: { actionsPerMinute: null, writesPerHour: null },
    minConfidence: null,
    severity: { loop: 'warning', spend_spike: 'warning', budget_exceeded: 'critical', policy_violation: 'critical', permission_drift: 'warning', suspended_activity: 'critical', delivery_failure: 'warning' },
  };
  const policy: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = (base as unknown as Record<string, unknown>)[key];
    const isSection = typeof current === 'object' && current !== null && !Array.isArray(current) && typeof value === 'object' && value !== null;
    policy[key] = isSection ? { ...current, ...value } : value;
  }
  return policy as unknown as AgentPolicy;
}

let spanCounter = 0;

/** A 16-hex span id, unique per call unless given. */
export function nextSpanId(): string {
  spanCounter++;
  return spanCounter.toString(16).padStart(16, '0');
}

/** An AgentSpan of agent `a1` ending at `atMs` (1 ms long); every field overridable. */
export function agentSpan(fields: Partial<AgentSpan> & { atMs?: number } = {}): AgentSpan {
  const { atMs = T0_MS, ...rest } = fields;
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: nextSpanId(),
    parentSpanId: '',
    traceState: '',
    name: 'span',
    spanKind: 1,
    startTimeUnixNano: BigInt(atMs - 1) * 1_000_000n,
    durationNs: 1_000_000n,
    serviceName: 'svc',
    scopeName: 'test',
    scopeVersion: '1',
    resourceAttributes: {},
    attributes: {},
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    agentId: 'a1',
    agentIdSource: 'span',
    agentName: '',
    agentRole: '',
    sessionId: 's1',
    taskId: '',
    kind: 'other',
    toolName: '',
    toolArgsHash: '',
    model: '',
    provider: '',
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    dataClasses: [],
    dataAccess: '',
    target: '',
    delegationFrom: '',
    actionTier: '',
    approvalId: '',
    confidence: null,
    intent: '',
    status: 'unset',
    errorType: '',
    ...rest,
  };
}

export function toolSpan(toolName: string, toolArgsHash: string, fields: Partial<AgentSpan> & { atMs?: number } = {}): AgentSpan {
  return agentSpan({ kind: 'tool', toolName, toolArgsHash, name: `execute_tool ${toolName}`, ...fields });
}

export function llmSpan(fields: Partial<AgentSpan> & { atMs?: number } = {}): AgentSpan {
  return agentSpan({ kind: 'llm', name: 'chat', model: 'gpt-4o', ...fields });
}
