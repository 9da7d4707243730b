import { context, trace as traceApi } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

const CARD = '4111 1111 1111 1111';
let warden: TestWarden;

beforeAll(async () => {
  warden = await startTestWarden({
    WARDEN_REDACT_PROMPTS: 'true',
    WARDEN_REDACT_KEYS: 'enduser.*',
    WARDEN_REDACT_PATTERNS: 'card_number,email',
  });
});
afterAll(async () => {
  await warden?.stop();
});

describe('redaction before storage (real SDK exporter, real engine)', () => {
  it('stores no prompt text, listed keys or card numbers, and still catches a loop over the redacted arguments', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'billing-service', 'enduser.id': 'customer-88' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${warden.httpUrl}/v1/traces` }))],
    });
    const tracer = provider.getTracer('billing-agent');
    const root = tracer.startSpan('invoke_agent billing', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'billing-3' } });
    const ctx = traceApi.setSpan(context.active(), root);
    const traceId = root.spanContext().traceId;
    tracer
      .startSpan('chat gpt-4o', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `refund my card ${CARD}` }] }]),
          'gen_ai.usage.input_tokens': 900,
          'app.note': `customer wrote from dana@example.com about ${CARD}`,
        },
      }, ctx)
      .end();
    for (let call = 0; call < 5; call++) {
      tracer
        .startSpan('execute_tool refund', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'refund', 'gen_ai.tool.call.arguments': JSON.stringify({ card: CARD, amount: 40 }) } }, ctx)
        .end();
    }
    root.end();
    await provider.shutdown();

    const alert = await eventually(async () => {
      const response = await fetch(`${warden.apiUrl}/api/v1/alerts?kind=loop`);
      const { alerts } = (await response.json()) as { alerts: Array<{ agent_id: string; evidence: unknown; summary: string }> };
      return alerts[0];
    }, 10_000, 'a loop alert over redacted arguments');
    expect(alert.agent_id).toBe('billing-3');

    const trace = await eventually(async () => {
      const response = await fetch(`${warden.apiUrl}/api/v1/traces/${traceId}`);
      if (response.status !== 200) return undefined;
      const body = (await response.json()) as { spans: Array<{ name: string; attributes: Record<string, unknown>; resource_attributes?: Record<string, unknown> }> };
      return body.spans.length === 7 ? body : undefined;
    }, 10_000, 'the stored trace');
    const stored = JSON.stringify(trace);
    expect(stored).not.toContain('4111');
    expect(stored).not.toContain('dana@example.com');
    expect(stored).not.toContain('customer-88');
    expect(stored).not.toContain('refund my card');
    const chat = trace.spans.find((s) => s.name === 'chat gpt-4o')!;
    expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(chat.attributes['warden.redacted']).toBe('["gen_ai.input.messages"]');
    expect(chat.attributes['app.note']).toBe('customer wrote from [redacted:email] about [redacted:card_number]');
    expect(chat.attributes['gen_ai.usage.input_tokens']).toBe('900');
    // Alert evidence and summaries are built from the redacted span too.
    expect(JSON.stringify(alert)).not.toContain('4111');
    expect(trace.spans.find((s) => s.name === 'invoke_agent billing')!.resource_attributes?.['enduser.id']).toBeUndefined();
  });
});
