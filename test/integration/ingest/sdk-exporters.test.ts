import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAgentTurn } from '../../helpers/agent-trace.ts';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

interface StoredSpan {
  span_id: string;
  parent_span_id: string;
  name: string;
  agent_id: string;
  session_id: string;
  kind: string;
  tool_name: string;
  tool_args_hash: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  status: string;
  attributes: Record<string, string>;
}

let warden: TestWarden;

beforeAll(async () => {
  warden = await startTestWarden();
});

afterAll(async () => {
  await warden?.stop();
});

async function storedTrace(traceId: string, expectedSpans: number): Promise<StoredSpan[]> {
  return eventually(async () => {
    const response = await fetch(`${warden.apiUrl}/api/v1/traces/${traceId}`);
    if (response.status !== 200) return undefined;
    const body = (await response.json()) as { spans: StoredSpan[] };
    return body.spans.length >= expectedSpans ? body.spans : undefined;
  }, 15_000, `${expectedSpans} spans of trace ${traceId}`);
}

const exporters: Array<[string, 'batch' | 'simple', () => SpanExporter]> = [
  ['OTLP/gRPC', 'batch', () => new GrpcTraceExporter({ url: warden.grpcUrl })],
  ['OTLP/HTTP protobuf', 'simple', () => new HttpProtoTraceExporter({ url: `${warden.httpUrl}/v1/traces` })],
  ['OTLP/HTTP JSON', 'batch', () => new HttpJsonTraceExporter({ url: `${warden.httpUrl}/v1/traces` })],
];

describe('an agent turn exported by the OpenTelemetry SDK', () => {
  it.each(exporters)('is stored and mapped when sent over %s (%s processor)', async (transport, processor, makeExporter) => {
    const slug = transport.replace(/\W+/g, '-').toLowerCase();
    const agentId = `billing-agent-${slug}`;
    const traceId = await emitAgentTurn(makeExporter(), {
      serviceName: 'billing-service',
      agentName: 'Billing agent',
      agentId,
      conversationId: `conv-${slug}`,
      model: 'gpt-4o-mini',
      inputTokens: 1200,
      outputTokens: 300,
      toolName: 'lookup_invoice',
      toolArguments: '{"invoice": "INV-7", "fields": ["total"]}',
      processor,
    });

    const spans = await storedTrace(traceId, 3);
    expect(spans).toHaveLength(3);
    const byKind = Object.fromEntries(spans.map((span) => [span.kind, span]));
    const agent = byKind['agent'];
    const llm = byKind['llm'];
    const tool = byKind['tool'];
    expect(agent && llm && tool, `kinds: ${spans.map((s) => s.kind).join(',')}`).toBeTruthy();
    // Every span of the turn belongs to the agent, whichever request its parent came in.
    for (const span of spans) expect(span.agent_id).toBe(agentId);
    expect(llm?.parent_span_id).toBe(agent?.span_id);
    expect(tool?.parent_span_id).toBe(agent?.span_id);
    expect(llm?.model).toBe('gpt-4o-mini');
    expect(llm?.input_tokens).toBe(1200);
    expect(llm?.output_tokens).toBe(300);
    // gpt-4o-mini is in the shipped price table, so the chat span has a cost.
    expect(llm?.cost_usd).toBeGreaterThan(0);
    expect(tool?.tool_name).toBe('lookup_invoice');
    expect(tool?.tool_args_hash).toMatch(/^[0-9a-f]{8,}$/);
    expect(tool?.status).toBe('ok');
    expect(agent?.session_id).toBe(`conv-${slug}`);
    expect(tool?.attributes['gen_ai.tool.call.arguments']).toBe('{"invoice": "INV-7", "fields": ["total"]}');

    const agentResponse = await fetch(`${warden.apiUrl}/api/v1/agents/${agentId}`);
    expect(agentResponse.status).toBe(200);
    const agentView = (await agentResponse.json()) as Record<string, unknown>;
    expect(agentView).toMatchObject({ id: agentId, status: 'active', input_tokens_1h: 1200, output_tokens_1h: 300 });
    expect(agentView['spans_1h']).toBe(3);
  });

  it('lists every agent that sent spans', async () => {
    const response = await fetch(`${warden.apiUrl}/api/v1/agents`);
    const body = (await response.json()) as { agents: Array<{ id: string }> };
    const ids = body.agents.map((agent) => agent.id);
    for (const [transport] of exporters) {
      expect(ids).toContain(`billing-agent-${transport.replace(/\W+/g, '-').toLowerCase()}`);
    }
  });
});
