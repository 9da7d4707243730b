import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { makeLogRecord, makeLogsRequest, makeRequest, makeSpan, sid, TRACE_A } from './span-builder.ts';

const outcomeEvent = {
  timeUnixNano: 7_000_000_000n,
  name: 'agent.outcome',
  attributes: { 'agent.outcome.name': 'ticket_resolved', 'agent.outcome.value': 1, 'agent.outcome.success': true },
};

describe('outcome signals', () => {
  it('come from span events named agent.outcome, attributed to the span agent and session', () => {
    const normalizer = createNormalizer();
    const span = makeSpan({
      attributes: { 'agent.id': 'support', 'agent.session.id': 's1' },
      events: [outcomeEvent, { timeUnixNano: 1n, name: 'exception', attributes: {} }, { ...outcomeEvent, attributes: { 'agent.outcome.value': 3 } }],
    });
    const outcomes = normalizer.outcomesFromSpans(normalizer.normalizeTraces(makeRequest([span])));
    expect(outcomes).toEqual([
      {
        agentId: 'support',
        traceId: TRACE_A,
        sessionId: 's1',
        name: 'ticket_resolved',
        value: 1,
        success: true,
        timeUnixNano: 7_000_000_000n,
        source: 'span_event',
        attributes: outcomeEvent.attributes,
      },
    ]); // the nameless one is dropped
  });

  it('come from log records whose event name is agent.outcome (field or event.name attribute)', () => {
    const normalizer = createNormalizer();
    const byField = makeLogRecord({ eventName: 'agent.outcome', attributes: { 'agent.id': 'a1', 'agent.outcome.name': 'refund', 'agent.outcome.value': '42.5' } });
    const byAttribute = makeLogRecord({
      attributes: { 'event.name': 'agent.outcome', 'agent.outcome.name': 'csat', 'agent.outcome.success': 'false', 'gen_ai.conversation.id': 'c1' },
      timeUnixNano: 0n,
    });
    const other = makeLogRecord({ eventName: 'gen_ai.user.message', attributes: { 'agent.outcome.name': 'x' } });
    const outcomes = normalizer.normalizeLogs(makeLogsRequest([byField, byAttribute, other], { 'service.name': 'svc' }));
    expect(outcomes.map((o) => [o.agentId, o.name, o.value, o.success, o.sessionId, o.source, o.timeUnixNano])).toEqual([
      ['a1', 'refund', 42.5, null, '', 'log', 5_000_000_000n],
      ['svc', 'csat', 0, false, 'c1', 'log', 6_000_000_000n],
    ]);
  });

  it('take agent and session from the span a log record was written in, when that span is known', () => {
    const normalizer = createNormalizer();
    normalizer.normalizeTraces(makeRequest([makeSpan({ spanId: sid(5), attributes: { 'gen_ai.agent.name': 'support', 'gen_ai.conversation.id': 'c9' } })]));
    const record = makeLogRecord({ eventName: 'agent.outcome', traceId: TRACE_A, spanId: sid(5), attributes: { 'agent.outcome.name': 'resolved' } });
    const [outcome] = normalizer.normalizeLogs(makeLogsRequest([record]));
    expect([outcome?.agentId, outcome?.sessionId, outcome?.traceId]).toEqual(['support', 'c9', TRACE_A]);
  });

  it('read the fields from a map body when the attributes lack them', () => {
    const record = makeLogRecord({ eventName: 'agent.outcome', body: { 'agent.outcome.name': 'sale', 'agent.outcome.value': 10 } });
    const [outcome] = createNormalizer().normalizeLogs(makeLogsRequest([record]));
    expect([outcome?.name, outcome?.value]).toEqual(['sale', 10]);
  });
});
