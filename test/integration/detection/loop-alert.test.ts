import { context, trace as traceApi } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

interface AlertView {
  id: string;
  kind: string;
  rule: string;
  severity: string;
  status: string;
  agent_id: string;
  trace_id: string;
  count: number;
  action: string;
  summary: string;
  evidence: { span_ids: string[]; tool?: string; count?: number };
}

let warden: TestWarden;

beforeAll(async () => {
  warden = await startTestWarden();
});

afterAll(async () => {
  await warden?.stop();
});

async function loopAlerts(): Promise<AlertView[]> {
  const response = await fetch(`${warden.apiUrl}/api/v1/alerts?kind=loop`);
  return ((await response.json()) as { alerts: AlertView[] }).alerts;
}

describe('loop detection, end to end', () => {
  it('raises a loop alert within one second of the 5th identical tool call, then moves it to the agent', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'research-service' }),
      // One export per span, as soon as it ends: the tool calls reach Warden before the
      // invoke_agent span that names the agent, as in a real long-running session.
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${warden.httpUrl}/v1/traces` }))],
    });
    const tracer = provider.getTracer('research-agent');
    const root = tracer.startSpan('invoke_agent researcher', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'researcher-7', 'gen_ai.conversation.id': 'conv-loop' },
    });
    const ctx = traceApi.setSpan(context.active(), root);

    const callSearch = async (query: string): Promise<void> => {
      tracer
        .startSpan(
          'execute_tool search_docs',
          { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search_docs', 'gen_ai.tool.call.arguments': JSON.stringify({ query }) } },
          ctx,
        )
        .end();
      await provider.forceFlush();
    };
    // Legitimate repetition of a tool with other arguments is not a loop.
    await callSearch('shipping policy');
    for (let identical = 1; identical <= 4; identical++) await callSearch('refund policy');
    expect(await loopAlerts()).toEqual([]);
    await callSearch('refund policy');
    const fifthExportedAt = Date.now();

    const [alert] = await eventually(async () => {
      const alerts = await loopAlerts();
      return alerts.length > 0 ? alerts : undefined;
    }, 5_000, 'a loop alert');
    const latencyMs = Date.now() - fifthExportedAt;
    expect(latencyMs).toBeLessThan(1000);
    expect(alert).toMatchObject({ kind: 'loop', status: 'firing', trace_id: root.spanContext().traceId });
    expect(alert?.evidence.span_ids.length).toBeGreaterThanOrEqual(5);
    expect(alert?.summary).toContain('search_docs');

    // The invoke_agent span ends last and names the agent: the alert moves to it.
    root.end();
    await provider.shutdown();
    const moved = await eventually(async () => {
      const alerts = await loopAlerts();
      return alerts.find((a) => a.agent_id === 'researcher-7' && a.status === 'firing');
    }, 5_000, 'the loop alert attributed to researcher-7');
    expect(moved.summary).not.toContain('research-service');

    const agent = (await (await fetch(`${warden.apiUrl}/api/v1/agents/researcher-7`)).json()) as { open_alerts: number };
    expect(agent.open_alerts).toBeGreaterThanOrEqual(1);
  });
});
