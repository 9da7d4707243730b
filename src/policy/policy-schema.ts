import { z } from 'zod';
import type { FindingKind } from './agent-policy.ts';

// The policy file of DESIGN.md "Policy file", key for key. Every object is strict, so a typo is
// an error instead of a silently ignored setting. Nothing here has a default: an absent field
// inherits (agents[] entry <- defaults <- DEFAULT_AGENT_POLICY in policy-defaults.ts), which a
// zod default would hide. A section or list written as YAML null (`loop:` with every child
// commented out) counts as absent; for budgets, limits and min_confidence null means "none".

const name = z.string().min(1);
const count = z.number().int().nonnegative();
const atLeast = (minimum: number) => z.number().int().min(minimum);
const severity = z.enum(['info', 'warning', 'critical']);
const action = z.enum(['record', 'notify', 'suspend']);

function section<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape).nullable().optional();
}

/** Matched exactly. `allow` absent or null = everything allowed; `allow: []` = nothing allowed. */
const accessList = section({
  allow: z.array(name).nullable().optional(),
  deny: z.array(name).nullable().optional(),
});

// `satisfies` keeps the keys and FindingKind in step: a kind added there must be added here.
const severityShape = {
  loop: severity.optional(),
  spend_spike: severity.optional(),
  budget_exceeded: severity.optional(),
  policy_violation: severity.optional(),
  permission_drift: severity.optional(),
  suspended_activity: severity.optional(),
  delivery_failure: severity.optional(),
} satisfies Record<FindingKind, z.ZodType>;

/** What `defaults` may set; an agents[] entry may set the same, plus `match`. */
const settingsShape = {
  /** Free text naming what the agent is for; shown with its alerts. */
  role: name.optional(),
  /** false = shadow mode: a suspension is recorded as would_suspend and nobody is called. */
  enforce: z.boolean().optional(),
  actions: section({ critical: action.optional(), warning: action.optional(), info: action.optional() }),
  loop: section({
    /** Same tool, same argument hash, this many times in a session. 1 would flag every call. */
    max_identical_calls: atLeast(2).optional(),
    /** A cycle of period 2..8 repeated this many times in a row. */
    max_cycle_repeats: atLeast(2).optional(),
    /** LLM and tool steps in one session. */
    max_steps: atLeast(1).optional(),
    /** Returns of a delegation chain to an agent it left, within one trace, before it fires. */
    max_delegation_returns: count.optional(),
  }),
  spend: section({
    /** k in baseline + k * scale. */
    sensitivity: z.number().positive().optional(),
    /** USD per minute under which a spike never fires. */
    min_usd_per_minute: z.number().nonnegative().optional(),
    /** Tokens per minute under which a spike never fires. */
    min_tokens_per_minute: z.number().nonnegative().optional(),
    /** Minutes of an agent's history before its baseline is trusted. */
    learning_minutes: z.number().nonnegative().optional(),
  }),
  drift: section({
    /** Spans of an agent before first-use and divergence checks start. */
    learning_spans: count.optional(),
    /** Jensen-Shannon divergence (base 2, 0..1] of the recent tool mix that fires. */
    divergence: z.number().positive().max(1).optional(),
  }),
  tools: accessList,
  data: accessList,
  targets: accessList,
  budget: section({
    usd_per_hour: z.number().nonnegative().nullable().optional(),
    usd_per_day: z.number().nonnegative().nullable().optional(),
    tokens_per_session: count.nullable().optional(),
  }),
  limits: section({
    /** Tool calls per minute. */
    actions_per_minute: count.nullable().optional(),
    writes_per_hour: count.nullable().optional(),
  }),
  /** Minimum agent.confidence for supervised and gated actions. */
  min_confidence: z.number().min(0).max(1).nullable().optional(),
  /** Severity per finding kind. */
  severity: section(severityShape),
};

export const policySettingsSchema = z.strictObject(settingsShape);

export const agentRuleSchema = z.strictObject({
  /** Glob on the agent id: `*` any run of characters, `?` one character, the rest literal. */
  match: name,
  ...settingsShape,
});

export const policyFileSchema = z.strictObject({
  defaults: policySettingsSchema.nullable().optional(),
  /** Tried in order; the first entry whose glob matches an agent id applies. */
  agents: z.array(agentRuleSchema).nullable().optional(),
});

export type PolicySettings = z.output<typeof policySettingsSchema>;
export type AgentRule = z.output<typeof agentRuleSchema>;
export type PolicyFile = z.output<typeof policyFileSchema>;
