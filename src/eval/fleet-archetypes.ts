// The kinds of agent in the simulated fleet: what each normally does (tools and their weights,
// models, session length, tokens), what its policy allows, and the material its injected
// anomalies are made of (a denied tool, a new data class...). Data only; the generator and the
// policy builder read it. Violation and drift injectors use the anomaly material of support,
// coding and research agents only; orchestrators and workers get delegation cycles.

export type ArchetypeName = 'support' | 'coding' | 'research' | 'orchestrator' | 'worker';

export type ActionTier = 'autonomous' | 'supervised' | 'gated' | 'blocked';

export interface ToolSpec {
  name: string;
  /** Relative frequency in the agent's normal mix. */
  weight: number;
  dataClasses: readonly string[];
  /** External system touched; '' for none. */
  target: string;
  access: 'read' | 'write' | 'delete';
  tier: ActionTier;
  /** Median duration, ms (log-normal around it). */
  medianMs: number;
  /** Results come in pages: the same tool again with the next page (different arguments). */
  pageable: boolean;
}

export interface ModelSpec {
  name: string;
  provider: string;
  weight: number;
}

export interface AnomalyMaterial {
  deniedTool: string;
  /** A tool missing from the allow list; null when the policy has no allow list. */
  notAllowedTool: string | null;
  deniedDataClass: string;
  /** A target the policy forbids (off its allow list, or on its deny list). */
  forbiddenTarget: string;
  /** Allowed by policy, never used normally: permission drift material. */
  newTool: ToolSpec;
  newDataClass: string;
  newTarget: string;
  /** A tool that needs an approval id; null when the archetype has none. */
  gatedTool: string | null;
  /** A supervised tool, for actions taken with too little confidence; null when none. */
  supervisedTool: string | null;
}

export interface Archetype {
  name: ArchetypeName;
  role: string;
  service: string;
  intent: string;
  tools: readonly ToolSpec[];
  models: readonly ModelSpec[];
  /** Tool calls per session: log-normal median and spread, clamped to [min, max]. */
  toolCalls: { median: number; sigma: number; min: number; max: number };
  /** Input tokens of the n-th LLM call: base + perCall x n (the context grows), capped. */
  inputTokens: { base: number; perCall: number; cap: number };
  outputTokens: { median: number };
  /** Share of tool calls that fail; a failed call is retried once with the same arguments. */
  errorRate: number;
  /** Share of tool calls that read again something the session already read (same arguments). */
  rereadRate: number;
  /** Share of pageable calls that go on to further pages. */
  pagingRate: number;
  /** The agent span reports the sum of its children's usage (as the Vercel AI SDK does). */
  rollupUsage: boolean;
  /** Tool calls report agent.confidence (0.75..0.99 when normal). */
  reportsConfidence: boolean;
  policy: {
    /** true: the allow list is the normal tools plus the new-tool material; false: no allow list. */
    allowListTools: boolean;
    deniedTools: readonly string[];
    deniedData: readonly string[];
    /** null: no target allow list (deniedTargets applies). */
    allowedTargets: readonly string[] | null;
    deniedTargets: readonly string[];
    maxSteps: number;
    minConfidence: number | null;
    loopSeverity: 'warning' | 'critical';
  };
  anomaly: AnomalyMaterial;
}

const tool = (name: string, weight: number, target: string, dataClasses: readonly string[], medianMs: number, more: Partial<ToolSpec> = {}): ToolSpec => ({
  name,
  weight,
  dataClasses,
  target,
  access: 'read',
  tier: 'autonomous',
  medianMs,
  pageable: false,
  ...more,
});

export const SUPPORT: Archetype = {
  name: 'support',
  role: 'support-tier-1',
  service: 'support-bot',
  intent: 'resolve customer ticket',
  tools: [
    tool('customer-lookup', 30, 'crm.internal', ['customer_name', 'email'], 250),
    tool('ticket-get', 18, 'tickets.internal', ['ticket'], 150),
    tool('kb-search', 20, 'kb.internal', [], 300, { pageable: true }),
    tool('ticket-update', 14, 'tickets.internal', ['ticket'], 200, { access: 'write', tier: 'supervised' }),
    tool('ticket-create', 8, 'tickets.internal', ['ticket', 'customer_name'], 220, { access: 'write', tier: 'supervised' }),
    tool('order-status', 7, 'orders.internal', ['order_id'], 180),
    tool('refund-issue', 3, 'payments.internal', ['payment_ref'], 600, { access: 'write', tier: 'gated' }),
  ],
  models: [
    { name: 'gpt-4o-mini', provider: 'openai', weight: 80 },
    { name: 'gpt-4o', provider: 'openai', weight: 20 },
  ],
  toolCalls: { median: 3, sigma: 0.6, min: 1, max: 10 },
  inputTokens: { base: 1200, perCall: 350, cap: 16_000 },
  outputTokens: { median: 160 },
  errorRate: 0.02,
  rereadRate: 0.06,
  pagingRate: 0.3,
  rollupUsage: false,
  reportsConfidence: true,
  policy: {
    allowListTools: true,
    deniedTools: ['code-execute', 'shell'],
    deniedData: ['ssn', 'credit_card', 'password_hash'],
    allowedTargets: ['crm.internal', 'tickets.internal', 'kb.internal', 'orders.internal', 'payments.internal', 'billing.internal'],
    deniedTargets: [],
    maxSteps: 50,
    minConfidence: 0.7,
    loopSeverity: 'critical',
  },
  anomaly: {
    deniedTool: 'code-execute',
    notAllowedTool: 'email-send',
    deniedDataClass: 'ssn',
    forbiddenTarget: 'pastebin.com',
    newTool: tool('account-note', 0, 'crm.internal', ['customer_name'], 200, { access: 'write', tier: 'supervised' }),
    newDataClass: 'date_of_birth',
    newTarget: 'billing.internal',
    gatedTool: 'refund-issue',
    supervisedTool: 'ticket-update',
  },
};

export const CODING: Archetype = {
  name: 'coding',
  role: 'coding-assistant',
  service: 'code-agent',
  intent: 'implement change request',
  tools: [
    tool('read-file', 28, 'git.internal', ['source_code'], 40),
    tool('search-code', 18, 'git.internal', ['source_code'], 400, { pageable: true }),
    tool('edit-file', 18, 'git.internal', ['source_code'], 60, { access: 'write', tier: 'supervised' }),
    tool('run-tests', 14, 'ci.internal', [], 20_000),
    tool('shell', 12, 'sandbox.internal', [], 1500),
    tool('git-diff', 7, 'git.internal', ['source_code'], 150),
    tool('git-push', 3, 'git.internal', ['source_code'], 2000, { access: 'write', tier: 'gated' }),
  ],
  models: [
    { name: 'claude-sonnet-4-5', provider: 'anthropic', weight: 70 },
    { name: 'claude-haiku-4-5', provider: 'anthropic', weight: 30 },
  ],
  toolCalls: { median: 14, sigma: 0.5, min: 4, max: 45 },
  inputTokens: { base: 5000, perCall: 1800, cap: 120_000 },
  outputTokens: { median: 500 },
  errorRate: 0.04,
  rereadRate: 0.08,
  pagingRate: 0.25,
  rollupUsage: true,
  reportsConfidence: true,
  policy: {
    allowListTools: false,
    deniedTools: ['prod-db-query', 'secrets-read'],
    deniedData: ['credential', 'customer_pii'],
    allowedTargets: ['git.internal', 'ci.internal', 'sandbox.internal', 'docs.internal'],
    deniedTargets: [],
    maxSteps: 150,
    minConfidence: 0.6,
    loopSeverity: 'warning',
  },
  anomaly: {
    deniedTool: 'secrets-read',
    notAllowedTool: null,
    deniedDataClass: 'credential',
    forbiddenTarget: 'paste.example.com',
    newTool: tool('deploy-preview', 0, 'ci.internal', [], 3000),
    newDataClass: 'api_schema',
    newTarget: 'docs.internal',
    gatedTool: 'git-push',
    supervisedTool: 'edit-file',
  },
};

export const RESEARCH: Archetype = {
  name: 'research',
  role: 'research-analyst',
  service: 'research-agent',
  intent: 'answer research question',
  tools: [
    tool('web-search', 26, 'search.api', [], 900, { pageable: true }),
    tool('fetch-url', 30, 'web-proxy.internal', ['public_web'], 1200),
    tool('vector-search', 18, 'vectordb.internal', ['internal_docs'], 200, { pageable: true }),
    tool('summarize-doc', 14, 'llm-tools.internal', ['internal_docs'], 2500),
    tool('cite-source', 12, '', [], 50),
  ],
  models: [
    { name: 'gpt-4.1', provider: 'openai', weight: 50 },
    { name: 'gemini-2.5-flash', provider: 'gcp.gemini', weight: 50 },
  ],
  toolCalls: { median: 7, sigma: 0.5, min: 2, max: 18 },
  inputTokens: { base: 2500, perCall: 2200, cap: 100_000 },
  outputTokens: { median: 350 },
  errorRate: 0.05,
  rereadRate: 0.05,
  pagingRate: 0.35,
  rollupUsage: false,
  reportsConfidence: false,
  policy: {
    allowListTools: true,
    deniedTools: ['code-execute'],
    deniedData: ['customer_pii', 'credential'],
    allowedTargets: null,
    deniedTargets: ['pastebin.com'],
    maxSteps: 60,
    minConfidence: null,
    loopSeverity: 'warning',
  },
  anomaly: {
    deniedTool: 'code-execute',
    notAllowedTool: 'email-send',
    deniedDataClass: 'customer_pii',
    forbiddenTarget: 'pastebin.com',
    newTool: tool('translate-text', 0, 'llm-tools.internal', ['public_web'], 800),
    newDataClass: 'paywalled_content',
    newTarget: 'new-source.example.org',
    gatedTool: null,
    supervisedTool: null,
  },
};

export const ORCHESTRATOR: Archetype = {
  name: 'orchestrator',
  role: 'task-orchestrator',
  service: 'orchestrator',
  intent: 'split and delegate task',
  tools: [tool('plan-task', 40, '', [], 30), tool('route-task', 35, 'queue.internal', [], 20), tool('check-status', 25, 'queue.internal', [], 50)],
  models: [{ name: 'gpt-4.1', provider: 'openai', weight: 100 }],
  toolCalls: { median: 2, sigma: 0.3, min: 1, max: 4 },
  inputTokens: { base: 2000, perCall: 900, cap: 60_000 },
  outputTokens: { median: 400 },
  errorRate: 0.01,
  rereadRate: 0,
  pagingRate: 0,
  rollupUsage: false,
  reportsConfidence: false,
  policy: {
    allowListTools: true,
    deniedTools: [],
    deniedData: ['ssn', 'credit_card'],
    allowedTargets: ['queue.internal'],
    deniedTargets: [],
    maxSteps: 50,
    minConfidence: null,
    loopSeverity: 'warning',
  },
  anomaly: {
    deniedTool: 'shell',
    notAllowedTool: 'email-send',
    deniedDataClass: 'ssn',
    forbiddenTarget: 'pastebin.com',
    newTool: tool('cancel-task', 0, 'queue.internal', [], 20),
    newDataClass: 'task_payload',
    newTarget: 'scheduler.internal',
    gatedTool: null,
    supervisedTool: null,
  },
};

export const WORKER: Archetype = {
  name: 'worker',
  role: 'task-worker',
  service: 'worker',
  intent: 'complete delegated subtask',
  tools: [
    tool('extract-fields', 35, 'docs.internal', ['customer_name', 'order_id'], 500),
    tool('draft-reply', 35, '', [], 100),
    tool('validate-output', 30, '', [], 80),
  ],
  models: [
    { name: 'gpt-4.1-mini', provider: 'openai', weight: 70 },
    { name: 'gpt-4o-mini', provider: 'openai', weight: 30 },
  ],
  toolCalls: { median: 2, sigma: 0.5, min: 1, max: 6 },
  inputTokens: { base: 1200, perCall: 500, cap: 30_000 },
  outputTokens: { median: 250 },
  errorRate: 0.02,
  rereadRate: 0,
  pagingRate: 0,
  rollupUsage: false,
  reportsConfidence: false,
  policy: {
    allowListTools: true,
    deniedTools: [],
    deniedData: ['ssn', 'credit_card'],
    allowedTargets: ['docs.internal'],
    deniedTargets: [],
    maxSteps: 50,
    minConfidence: null,
    loopSeverity: 'warning',
  },
  anomaly: {
    deniedTool: 'shell',
    notAllowedTool: 'email-send',
    deniedDataClass: 'ssn',
    forbiddenTarget: 'pastebin.com',
    newTool: tool('fetch-attachment', 0, 'docs.internal', [], 300),
    newDataClass: 'invoice',
    newTarget: 'files.internal',
    gatedTool: null,
    supervisedTool: null,
  },
};

/** Delegations an orchestrator session makes. */
export const DELEGATIONS_PER_SESSION = { min: 2, max: 4 };

/** Workers on each orchestrator's team. */
export const WORKERS_PER_ORCHESTRATOR = 3;
