import { describe, expect, it } from 'vitest';
import { createDetectorSet } from '../../../src/detector/create-detector-set.ts';
import type { Finding } from '../../../src/detector/finding.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import type { AgentPolicy } from '../../../src/policy/agent-policy.ts';
import { agentSpan, defaultPolicy, toolSpan } from './detector-fixtures.ts';

function violations(policy: AgentPolicy, span: AgentSpan): Finding[] {
  return createDetectorSet({ policyFor: () => policy })
    .observe([span])
    .filter((f) => f.kind === 'policy_violation');
}

const support = defaultPolicy({
  matchedRule: 'support-*',
  tools: { allow: ['customer-lookup', 'ticket-create', 'ticket-update'], deny: ['code-execute'] },
  data: { allow: null, deny: ['ssn', 'credit_card'] },
  targets: { allow: ['crm.internal', 'tickets.internal'], deny: [] },
  minConfidence: 0.8,
});

describe('policy_violation', () => {
  it('reports a denied tool with the rule and list it broke', () => {
    const span = toolSpan('code-execute', 'h');
    const [finding, ...rest] = violations(support, span);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: 'policy_violation',
      rule: 'tool_denied:code-execute',
      agentId: 'a1',
      evidence: { span_ids: [span.spanId], tool: 'code-execute', list: 'tools.deny', listed: ['code-execute'], policy_rule: 'support-*' },
    });
  });

  it('reports a tool off the allow list; allowed tools pass', () => {
    expect(violations(support, toolSpan('ssh', 'h')).map((f) => f.rule)).toEqual(['tool_not_allowed:ssh']);
    expect(violations(support, toolSpan('ticket-create', 'h'))).toEqual([]);
    // No lists: everything allowed.
    expect(violations(defaultPolicy(), toolSpan('ssh', 'h'))).toEqual([]);
  });

  it('reports denied data classes and targets off the allow list', () => {
    const span = toolSpan('customer-lookup', 'h', { dataClasses: ['customer_name', 'ssn'], target: 'db.prod' });
    expect(violations(support, span).map((f) => [f.rule, f.evidence['list']])).toEqual([
      ['data_class_denied:ssn', 'data.deny'],
      ['target_not_allowed:db.prod', 'targets.allow'],
    ]);
    const allowOnly = defaultPolicy({ data: { allow: ['customer_name'], deny: [] }, targets: { allow: null, deny: ['prod.db'] } });
    expect(violations(allowOnly, agentSpan({ kind: 'llm', dataClasses: ['email'], target: 'prod.db' })).map((f) => f.rule)).toEqual([
      'data_class_not_allowed:email',
      'target_denied:prod.db',
    ]);
  });

  it('matches long lists through a set', () => {
    const many = Array.from({ length: 50 }, (_, i) => `tool-${i}`);
    const policy = defaultPolicy({ tools: { allow: many, deny: [] } });
    expect(violations(policy, toolSpan('tool-42', 'h'))).toEqual([]);
    expect(violations(policy, toolSpan('tool-50', 'h')).map((f) => f.rule)).toEqual(['tool_not_allowed:tool-50']);
  });

  it('reports blocked-tier actions and gated actions without approval', () => {
    expect(violations(defaultPolicy(), toolSpan('refund', 'h', { actionTier: 'blocked' })).map((f) => f.rule)).toEqual(['blocked_tier:refund']);
    const gated = violations(defaultPolicy(), toolSpan('refund', 'h', { actionTier: 'gated' }));
    expect(gated.map((f) => f.rule)).toEqual(['gated_without_approval:refund']);
    expect(gated[0]?.evidence).toMatchObject({ action: 'refund', tier: 'gated', approval_id: '' });
    expect(violations(defaultPolicy(), toolSpan('refund', 'h', { actionTier: 'gated', approvalId: 'APR-1' }))).toEqual([]);
    expect(violations(defaultPolicy(), toolSpan('refund', 'h', { actionTier: 'autonomous' }))).toEqual([]);
  });

  it('reports supervised and gated actions below the minimum confidence', () => {
    const low = violations(support, toolSpan('ticket-update', 'h', { actionTier: 'supervised', confidence: 0.5 }));
    expect(low.map((f) => f.rule)).toEqual(['low_confidence']);
    expect(low[0]?.evidence).toMatchObject({ confidence: 0.5, min_confidence: 0.8, tier: 'supervised', policy_rule: 'support-*' });
    // Both rules for a gated action without approval taken with low confidence.
    expect(violations(support, toolSpan('ticket-update', 'h', { actionTier: 'gated', confidence: 0.2 })).map((f) => f.rule)).toEqual([
      'gated_without_approval:ticket-update',
      'low_confidence',
    ]);
    expect(violations(support, toolSpan('ticket-update', 'h', { actionTier: 'supervised', confidence: 0.9 }))).toEqual([]);
    // Autonomous actions and unknown confidence are not judged on confidence.
    expect(violations(support, toolSpan('ticket-update', 'h', { actionTier: 'autonomous', confidence: 0.1 }))).toEqual([]);
    expect(violations(support, toolSpan('ticket-update', 'h', { actionTier: 'supervised', confidence: null }))).toEqual([]);
  });

  it('bounds the length of a rule built from a tool name', () => {
    const [finding] = violations(support, toolSpan('x'.repeat(1000), 'h'));
    expect(finding?.rule).toBe(`tool_not_allowed:${'x'.repeat(128)}`);
  });
});
