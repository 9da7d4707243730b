import { expect } from 'vitest';

// OTLP/JSON traces for seeding the dashboards' test fleet, sent the way an exporter sends them.
type Attribute = { key: string; value: { stringValue: string } | { intValue: string } };

export const str = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });
export const int = (key: string, value: number): Attribute => ({ key, value: { intValue: String(value) } });

export interface SeedSpan {
  name: string;
  /** Index of the parent in the same trace. */
  parent?: number;
  attributes: Attribute[];
}

let counter = 0;
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** Posts one trace whose spans start `agoMs` before now, 1 ms apart. Returns its trace id. */
export async function sendTrace(httpUrl: string, service: string, spans: SeedSpan[], agoMs: number): Promise<string> {
  const traceId = hex(++counter, 32);
  const spanIds = spans.map(() => hex(++counter, 16));
  const base = BigInt(Date.now() - agoMs) * 1_000_000n;
  const otlp = spans.map((span, i) => ({
    traceId,
    spanId: spanIds[i],
    ...(span.parent !== undefined ? { parentSpanId: spanIds[span.parent] } : {}),
    name: span.name,
    kind: 1,
    startTimeUnixNano: String(base + BigInt(i) * 1_000_000n),
    endTimeUnixNano: String(base + BigInt(i) * 1_000_000n + 900_000n),
    attributes: span.attributes,
    status: { code: 1 },
  }));
  const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [str('service.name', service)] }, scopeSpans: [{ scope: { name: 'seed' }, spans: otlp }] }] });
  const response = await fetch(`${httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(response.status).toBe(200);
  return traceId;
}

/** One turn of a support agent: invoke_agent -> chat (gpt-4o usage) and two tools with distinct arguments. */
export function supportTurn(agentId: string, turn: number): SeedSpan[] {
  const op = (name: string): Attribute => str('gen_ai.operation.name', name);
  const agent = str('gen_ai.agent.id', agentId);
  return [
    { name: `invoke_agent ${agentId}`, attributes: [op('invoke_agent'), agent, str('gen_ai.agent.name', 'Support bot'), str('gen_ai.conversation.id', `conv-${turn}`)] },
    { name: 'chat gpt-4o', parent: 0, attributes: [op('chat'), agent, str('gen_ai.provider.name', 'openai'), str('gen_ai.request.model', 'gpt-4o'), int('gen_ai.usage.input_tokens', 1200 + turn), int('gen_ai.usage.output_tokens', 300)] },
    { name: 'execute_tool search_kb', parent: 0, attributes: [op('execute_tool'), agent, str('gen_ai.tool.name', 'search_kb'), str('gen_ai.tool.call.arguments', JSON.stringify({ q: `question ${turn}` }))] },
    { name: 'execute_tool second', parent: 0, attributes: [op('execute_tool'), agent, str('gen_ai.tool.name', turn % 2 === 0 ? 'create_ticket' : 'lookup_order'), str('gen_ai.tool.call.arguments', JSON.stringify({ id: turn }))] },
  ];
}

/** A looping agent: the same tool with the same arguments, `calls` times in one trace. */
export function loopingCalls(agentId: string, calls: number): SeedSpan[] {
  return Array.from({ length: calls }, () => ({
    name: 'execute_tool search',
    attributes: [str('agent.id', agentId), str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', 'search'), str('gen_ai.tool.call.arguments', '{"q":"same"}')],
  }));
}
