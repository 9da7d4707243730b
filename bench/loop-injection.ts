import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Prng } from '../src/eval/prng.ts';

/** One injected loop: an agent calling the same tool with the same arguments five times. */
export interface LoopInjection {
  agentId: string;
  /** The first four identical calls, in one request. */
  lead: Buffer;
  /** The fifth call alone: the request whose send time starts the clock. */
  trigger: Buffer;
}

type SdkSpans = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0];

const resource = resourceFromAttributes({ 'service.name': 'bench-looping-agents' });

function toolCall(agentId: string, sessionId: string, traceId: string, spanId: string, atNs: bigint): ReadableSpan {
  const start: [number, number] = [Number(atNs / 1_000_000_000n), Number(atNs % 1_000_000_000n)];
  const end: [number, number] = [start[0], start[1] + 1000];
  return {
    name: 'execute_tool kb-search',
    kind: 2,
    spanContext: () => ({ traceId, spanId, traceFlags: 1 }),
    startTime: start,
    endTime: end,
    duration: [0, 1000],
    status: { code: 1 },
    attributes: {
      'agent.id': agentId,
      'agent.session.id': sessionId,
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'kb-search',
      'gen_ai.tool.call.arguments': '{"query":"how do I reset my password","limit":5}',
    },
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationScope: { name: 'bench-looping-agent', version: '1.0.0' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/**
 * Encoded before the phase starts. Each injection is its own agent (so its own alert and
 * suspension) and session; the calls carry agent.id, so the alert names the agent at once.
 */
export function buildLoopInjections(count: number, runId: string, prng: Prng, spacingMs: number): LoopInjection[] {
  const startNs = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: count }, (_, k) => {
    const agentId = `bench-loop-${runId}-${String(k).padStart(3, '0')}`;
    const sessionId = `${agentId}-session`;
    const traceId = prng.hex(32);
    const atNs = startNs + BigInt(k * spacingMs) * 1_000_000n;
    const calls = Array.from({ length: 5 }, (_, i) => toolCall(agentId, sessionId, traceId, prng.hex(16), atNs + BigInt(i) * 1_000_000n));
    const encode = (spans: ReadableSpan[]): Buffer => Buffer.from(ProtobufTraceSerializer.serializeRequest(spans as unknown as SdkSpans)!);
    return { agentId, lead: encode(calls.slice(0, 4)), trigger: encode(calls.slice(4)) };
  });
}
