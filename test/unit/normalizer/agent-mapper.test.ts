import { describe, expect, it } from 'vitest';
import { createMappedFields } from '../../../src/normalizer/mapped-fields.ts';
import { agentMapper } from '../../../src/normalizer/mappers/agent-mapper.ts';
import { makeSpan } from './span-builder.ts';

function map(attributes: Record<string, unknown>) {
  const out = createMappedFields();
  agentMapper.map(makeSpan({ attributes: attributes as never }), out);
  return out;
}

describe('agent mapper (agent.*)', () => {
  it('reads every Warden attribute', () => {
    const out = map({
      'agent.id': 'support-7',
      'agent.name': 'Support bot',
      'agent.role': 'support-tier-1',
      'agent.session.id': 's1',
      'agent.task.id': 'TICKET-1',
      'agent.intent': 'find the order',
      'agent.confidence': 0.75,
      'agent.tool.name': 'customer-lookup',
      'agent.tool.args_hash': 'abc123',
      'agent.data.classes': ['customer_name', 'ssn'],
      'agent.data.access': 'WRITE',
      'agent.target': 'crm.internal',
      'agent.delegation.from': 'triage',
      'agent.action.tier': 'gated',
      'agent.approval.id': 'APR-1',
      'agent.cost.usd': 0.02,
    });
    expect(out).toMatchObject({
      agentId: 'support-7',
      agentName: 'Support bot',
      agentRole: 'support-tier-1',
      sessionId: 's1',
      taskId: 'TICKET-1',
      intent: 'find the order',
      confidence: 0.75,
      kind: 'tool',
      toolName: 'customer-lookup',
      toolArgsHash: 'abc123',
      dataClasses: ['customer_name', 'ssn'],
      dataAccess: 'write',
      target: 'crm.internal',
      delegationFrom: 'triage',
      actionTier: 'gated',
      approvalId: 'APR-1',
      costUsd: 0.02,
    });
  });

  it('accepts data classes as a comma-separated string', () => {
    expect(map({ 'agent.data.classes': 'email, ssn,' }).dataClasses).toEqual(['email', 'ssn']);
  });

  it('ignores a confidence outside 0..1 and a negative cost', () => {
    const out = map({ 'agent.confidence': 85, 'agent.cost.usd': -1 });
    expect(out.confidence).toBeNull();
    expect(out.costUsd).toBe(-1);
  });

  it('does not overwrite what a higher-priority mapper set', () => {
    const out = createMappedFields();
    out.agentId = 'first';
    agentMapper.map(makeSpan({ attributes: { 'agent.id': 'second' } }), out);
    expect(out.agentId).toBe('first');
  });
});
