import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as HttpLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

interface StoredOutcome {
  agent_id: string;
  trace_id: string;
  session_id: string;
  name: string;
  value: number;
  success: boolean | null;
  source: string;
}

let warden: TestWarden;

beforeAll(async () => {
  warden = await startTestWarden();
});

afterAll(async () => {
  await warden?.stop();
});

async function outcomesOf(agentId: string, expected: number): Promise<StoredOutcome[]> {
  return eventually(async () => {
    const response = await fetch(`${warden.apiUrl}/api/v1/outcomes?agent=${encodeURIComponent(agentId)}`);
    if (response.status !== 200) return undefined;
    const body = (await response.json()) as { outcomes: StoredOutcome[] };
    return body.outcomes.length >= expected ? body.outcomes : undefined;
  }, 10_000, `${expected} outcomes of ${agentId}`);
}

async function emitOutcomeLog(exporter: LogRecordExporter, agentId: string): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'claims-service', 'agent.id': agentId }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('outcomes');
  logger.emit({
    eventName: 'agent.outcome',
    attributes: { 'agent.outcome.name': 'claim_resolved', 'agent.outcome.value': 120.5, 'agent.outcome.success': true },
  });
  // A log record that is not an outcome is acknowledged and not stored.
  logger.emit({ body: 'an ordinary log line', attributes: { 'agent.id': agentId } });
  await provider.forceFlush();
  await provider.shutdown();
}

describe('outcome signals', () => {
  it.each([
    ['OTLP/gRPC', (w: TestWarden) => new GrpcLogExporter({ url: w.grpcUrl })],
    ['OTLP/HTTP JSON', (w: TestWarden) => new HttpLogExporter({ url: `${w.httpUrl}/v1/logs` })],
  ])('arrive as log records named agent.outcome over %s', async (transport, makeExporter) => {
    const agentId = `claims-agent-${transport.replace(/\W+/g, '-').toLowerCase()}`;
    await emitOutcomeLog(makeExporter(warden), agentId);
    const outcomes = await outcomesOf(agentId, 1);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ agent_id: agentId, name: 'claim_resolved', value: 120.5, success: true, source: 'log' });
  });

  it('arrive as span events named agent.outcome, tied to the trace', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'claims-service' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${warden.httpUrl}/v1/traces` }))],
    });
    const span = provider.getTracer('t').startSpan('invoke_agent claims', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'agent.id': 'claims-agent-events', 'agent.session.id': 'case-77' },
    });
    span.addEvent('agent.outcome', { 'agent.outcome.name': 'refund_issued', 'agent.outcome.value': 42, 'agent.outcome.success': false });
    span.end();
    await provider.shutdown();
    const [outcome] = await outcomesOf('claims-agent-events', 1);
    expect(outcome).toMatchObject({
      name: 'refund_issued',
      value: 42,
      success: false,
      source: 'span_event',
      trace_id: span.spanContext().traceId,
      session_id: 'case-77',
    });
  });

  it('arrive through POST /api/v1/outcomes, with clear errors for bad bodies', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const accepted = await fetch(`${warden.apiUrl}/api/v1/outcomes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { agent_id: 'api-agent', trace_id: traceId, name: 'ticket_closed', value: 1, success: true },
        { agent_id: 'api-agent', name: 'csat', value: 4.5, ts: '2026-11-01T10:00:00Z' },
      ]),
    });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ accepted: 2 });
    const stored = await outcomesOf('api-agent', 2);
    expect(stored.map((o) => o.name).sort()).toEqual(['csat', 'ticket_closed']);
    expect(stored.find((o) => o.name === 'ticket_closed')).toMatchObject({ trace_id: traceId, success: true, source: 'api' });

    const invalid = await fetch(`${warden.apiUrl}/api/v1/outcomes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ agent_id: 'api-agent', name: 'x', trace_id: 'zz' }]),
    });
    expect(invalid.status).toBe(400);
    const error = (await invalid.json()) as { code: string; message: string };
    expect(error.code).toBe('WARDEN_API_BAD_REQUEST');
    expect(error.message).toContain('[0].trace_id');
  });
});
