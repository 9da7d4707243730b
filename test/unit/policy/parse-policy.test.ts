import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInPolicySet, parsePolicy, policyVersion } from '../../../src/policy/parse-policy.ts';
import { DEFAULT_AGENT_POLICY } from '../../../src/policy/policy-defaults.ts';
import type { PolicySet } from '../../../src/policy/policy-set.ts';

const POLICIES_DIR = path.resolve(import.meta.dirname, '../../fixtures/policies');

function load(file: string): PolicySet {
  const result = parsePolicy(readFileSync(path.join(POLICIES_DIR, file), 'utf8'), file);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function errorOf(text: string): string {
  const result = parsePolicy(text, 'policy.yaml');
  if (result.ok) throw new Error('expected the policy to be rejected');
  expect(result.error.code).toBe('WARDEN_POLICY_INVALID');
  return result.error.message;
}

describe('parsePolicy: the DESIGN.md example', () => {
  const set = load('design-example.yaml');

  it('resolves support-7 through the support-* entry', () => {
    const policy = set.forAgent('support-7');
    expect(policy.matchedRule).toBe('support-*');
    expect(policy.role).toBe('support-tier-1');
    expect(policy.tools).toEqual({ allow: ['customer-lookup', 'ticket-create', 'ticket-update'], deny: ['code-execute'] });
    expect(policy.data).toEqual({ allow: null, deny: ['ssn', 'credit_card', 'password_hash'] });
    expect(policy.targets).toEqual({ allow: ['crm.internal', 'tickets.internal'], deny: [] });
    expect(policy.budget).toEqual({ usdPerHour: 5, usdPerDay: 50, tokensPerSession: 200_000 });
    expect(policy.limits).toEqual({ actionsPerMinute: 30, writesPerHour: 100 });
    expect(policy.minConfidence).toBe(0.8);
    expect(policy.severity).toEqual({
      loop: 'critical',
      spend_spike: 'warning',
      budget_exceeded: 'critical',
      policy_violation: 'critical',
      permission_drift: 'warning',
      suspended_activity: 'critical',
      delivery_failure: 'warning',
    });
    // Settings the entry leaves out come from defaults, including ones the file never names.
    expect(policy.loop).toEqual({ maxIdenticalCalls: 5, maxCycleRepeats: 3, maxSteps: 50, maxDelegationReturns: 2 });
    expect(policy.spend).toEqual({ sensitivity: 4, minUsdPerMinute: 0.05, minTokensPerMinute: 5000, learningMinutes: 30 });
    expect(policy.enforce).toBe(true);
  });

  it('gives an agent no entry matches the defaults', () => {
    const policy = set.forAgent('billing-1');
    expect(policy).toEqual(DEFAULT_AGENT_POLICY);
    expect(policy).toBe(set.defaults);
  });

  it('matches the whole id, case-sensitively', () => {
    expect(set.forAgent('my-support-7').matchedRule).toBeNull();
    expect(set.forAgent('Support-7').matchedRule).toBeNull();
    expect(set.forAgent('support-').matchedRule).toBe('support-*');
  });
});

describe('parsePolicy: overlay', () => {
  const set = load('every-field.yaml');

  it('overlays an entry field by field; lists replace, null removes', () => {
    const batch = set.forAgent('batch-01');
    expect(batch.matchedRule).toBe('batch-??');
    expect(batch.role).toBe('unclassified');
    expect(batch.enforce).toBe(true);
    expect(batch.loop).toEqual({ maxIdenticalCalls: 4, maxCycleRepeats: 2, maxSteps: 500, maxDelegationReturns: 1 });
    expect(batch.budget).toEqual({ usdPerHour: 20, usdPerDay: null, tokensPerSession: 1_000_000 });
    // deny: [] in the entry drops the default denials instead of adding to them.
    expect(batch.tools).toEqual({ allow: ['etl-run'], deny: [] });
    expect(batch.data).toEqual({ allow: null, deny: ['password_hash'] });
  });

  it('applies every defaults field', () => {
    const other = set.forAgent('anything/else.v2');
    expect(other.matchedRule).toBe('*');
    expect(other.role).toBe('everyone-else');
    expect(other.enforce).toBe(false);
    expect(other.actions).toEqual({ critical: 'notify', warning: 'record', info: 'record' });
    expect(other.spend).toEqual({ sensitivity: 5, minUsdPerMinute: 0.1, minTokensPerMinute: 20_000, learningMinutes: 60 });
    expect(other.drift).toEqual({ learningSpans: 1000, divergence: 0.25 });
    expect(other.targets).toEqual({ allow: ['internal.example'], deny: [] });
    expect(other.limits).toEqual({ actionsPerMinute: 120, writesPerHour: 1000 });
    expect(other.minConfidence).toBe(0.5);
    expect(other.severity.budget_exceeded).toBe('warning');
  });

  it('hands out frozen policies', () => {
    const policy = set.forAgent('batch-02');
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.tools.allow)).toBe(true);
    expect(Object.isFrozen(policy.severity)).toBe(true);
  });
});

describe('parsePolicy: empty and built-in', () => {
  it('treats an empty file, a comment-only file and empty sections as defaults only', () => {
    for (const text of ['', '# nothing yet\n', 'defaults:\nagents:\n', 'defaults:\n  loop:\n']) {
      const result = parsePolicy(text, 'policy.yaml');
      expect(result.ok && result.value.forAgent('a')).toEqual(DEFAULT_AGENT_POLICY);
    }
  });

  it('versions by content and describes itself', () => {
    const set = builtInPolicySet();
    expect(set.version).toBe(policyVersion(''));
    expect(set.version).toMatch(/^[0-9a-f]{12}$/);
    expect(set.describe()).toContain('built-in defaults');
    expect(load('design-example.yaml').describe()).toMatch(/^design-example\.yaml \(version [0-9a-f]{12}\): 1 agents entry \(support-\*\), enforcing$/);
  });
});

describe('parsePolicy: errors name file, line, column and field', () => {
  it('wrong type', () => {
    const text = 'agents:\n  - match: "a*"\n    budget:\n      usd_per_hour: five\n';
    expect(errorOf(text)).toBe('policy.yaml:4:21: agents[0].budget.usd_per_hour: expected number, got "five"');
  });

  it('a quoted number is a string, not a number', () => {
    expect(errorOf('defaults:\n  min_confidence: "0.8"\n')).toBe('policy.yaml:2:19: defaults.min_confidence: expected number, got "0.8"');
  });

  it('unknown key, with a suggestion for a typo and the list otherwise', () => {
    expect(errorOf('defaults:\n  loop: { max_step: 10 }\n')).toBe('policy.yaml:2:11: defaults.loop.max_step: unknown field (did you mean "max_steps"?)');
    expect(errorOf('notifications: {}\n')).toBe('policy.yaml:1:1: notifications: unknown field (expected one of defaults, agents)');
  });

  it('bad enum value', () => {
    expect(errorOf('defaults:\n  severity: { loop: high }\n')).toBe('policy.yaml:2:21: defaults.severity.loop: expected one of info, warning, critical, got "high"');
  });

  it('bad YAML syntax', () => {
    expect(errorOf('agents:\n  - match: "a*"\n    tools: { allow: [x, y }\n')).toMatch(/^policy\.yaml:3:\d+: YAML syntax: /);
    expect(errorOf('defaults: 1\ndefaults: 2\n')).toBe('policy.yaml:2:1: YAML syntax: Map keys must be unique');
  });

  it('negative budget and out-of-range numbers', () => {
    expect(errorOf('agents:\n  - match: x\n    budget: { usd_per_hour: -5 }\n')).toBe('policy.yaml:3:29: agents[0].budget.usd_per_hour: must be >= 0, got -5');
    expect(errorOf('defaults:\n  drift: { divergence: 1.5 }\n')).toBe('policy.yaml:2:24: defaults.drift.divergence: must be <= 1, got 1.5');
    expect(errorOf('defaults:\n  budget: { tokens_per_session: 1.5 }\n')).toBe('policy.yaml:2:33: defaults.budget.tokens_per_session: expected an integer, got 1.5');
  });

  it('lists every problem, in file order', () => {
    const text = 'agents:\n  - match: ""\n    enforce: yes\n  - match: b\n    tools: { deny: code-execute }\n';
    expect(errorOf(text).split('\n')).toEqual([
      'policy.yaml:2:12: agents[0].match: must not be empty',
      // YAML 1.2: `yes` is a string, not a boolean.
      'policy.yaml:3:14: agents[0].enforce: expected true or false, got "yes"',
      'policy.yaml:5:20: agents[1].tools.deny: expected a list, got "code-execute"',
    ]);
  });
});
