import type { Alert } from '../../../src/alerter/alert.ts';

/** A complete firing alert; tests override what they look at. */
export function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    fingerprint: '5f0c2a9e7b1d4c3a8e6f0b2d4a6c8e0f',
    kind: 'loop',
    rule: 'identical_calls',
    severity: 'critical',
    status: 'firing',
    agent_id: 'support-1',
    trace_id: 'a'.repeat(32),
    session_id: 'session-1',
    summary: 'ticket-create called 5 times with the same arguments',
    evidence: { span_ids: ['01', '02', '03', '04', '05'], tool: 'ticket-create', args_hash: 'abc123', count: 5, limit: 5, trace_ids: ['a'.repeat(32)] },
    first_seen: '2025-06-01T12:00:00.000Z',
    last_seen: '2025-06-01T12:00:04.000Z',
    count: 1,
    action: 'suspend',
    acked_at: null,
    acked_by: null,
    ack_reason: null,
    resolved_at: null,
    merged_into: null,
    ...overrides,
  };
}
