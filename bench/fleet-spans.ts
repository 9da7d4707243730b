// Agent sessions as an instrumented fleet exports them (OpenTelemetry GenAI conventions): one
// trace per session, chat spans with model and token counts, execute_tool spans with the tool's
// name and JSON arguments, and the invoke_agent root last (an SDK exports a span when it ends).
// The spans are plain ReadableSpan-shaped objects so the SDK's own serializer can encode them.
import type { HrTime } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Prng } from '../src/eval/prng.ts';
import { SESSION_MARKER, TRACE_MARKER_HEX } from './replay-markers.ts';

export interface FleetOptions {
  /** Distinct agent ids (agent-00000 ...). */
  agents: number;
  /** Services (resources) the agents are spread over. */
  services: number;
}

const MODELS = [
  { provider: 'openai', model: 'gpt-4o' },
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  { provider: 'anthropic', model: 'claude-haiku-4-5' },
] as const;

// No tool the bench policy denies: background traffic must not raise policy alerts.
const TOOLS = [
  'customer-lookup', 'ticket-create', 'ticket-update', 'kb-search', 'web-search', 'fetch-url', 'sql-query',
  'file-read', 'file-write', 'send-email', 'calendar-read', 'crm-update', 'code-search', 'run-tests',
  'summarize-doc', 'translate', 'invoice-read', 'order-status', 'refund-check', 'slack-post',
] as const;

const WORDS = (
  'refund order account billing invoice shipping delay customer premium plan upgrade cancel renew ' +
  'password reset login error timeout database latency report summary quarterly revenue forecast ' +
  'contract renewal escalation priority ticket status pending resolved weekly metrics dashboard'
).split(' ');

interface AgentProfile {
  id: string;
  name: string;
  service: number;
  model: (typeof MODELS)[number];
  tools: string[];
}

/** The fleet: agents with a model and their own few tools, spread over services. */
export interface Fleet {
  readonly agents: readonly AgentProfile[];
  readonly resources: readonly Resource[];
  readonly scope: { name: string; version: string };
}

export function createFleet(options: FleetOptions, prng: Prng): Fleet {
  const resources = Array.from({ length: options.services }, (_, i) =>
    resourceFromAttributes({
      'service.name': `fleet-svc-${String(i).padStart(3, '0')}`,
      'service.version': `1.${i % 7}.0`,
      'deployment.environment.name': 'bench',
      'host.name': `worker-${i % 13}`,
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.version': '2.12.1',
    }),
  );
  const agents: AgentProfile[] = [];
  for (let i = 0; i < options.agents; i++) {
    const tools = new Set<string>();
    const count = 3 + prng.int(4);
    while (tools.size < count) tools.add(TOOLS[prng.int(TOOLS.length)]!);
    agents.push({
      id: `agent-${String(i).padStart(5, '0')}`,
      name: `assistant-${i % 97}`,
      service: i % options.services,
      model: MODELS[prng.int(MODELS.length)]!,
      tools: [...tools],
    });
  }
  return { agents, resources, scope: { name: 'bench-agent-sdk', version: '0.9.0' } };
}

function words(prng: Prng, chars: number): string {
  let text = '';
  while (text.length < chars) text += `${WORDS[prng.int(WORDS.length)]} `;
  return text.slice(0, chars);
}

// Attribute sizes vary the way real agents' do: mostly short arguments, some long prompts.
function sizeOf(prng: Prng, median: number, longChance: number, longSize: number): number {
  return prng.chance(longChance) ? Math.round(longSize * prng.between(0.5, 1.5)) : Math.max(8, Math.round(prng.logNormal(median, 0.7)));
}

function hrTime(ns: bigint): HrTime {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** What every finished span of the bench has alike: no links or events, nothing dropped. */
const ENDED_SPAN: Pick<ReadableSpan, 'links' | 'events' | 'ended' | 'droppedAttributesCount' | 'droppedEventsCount' | 'droppedLinksCount'> = {
  links: [],
  events: [],
  ended: true,
  droppedAttributesCount: 0,
  droppedEventsCount: 0,
  droppedLinksCount: 0,
};

/**
 * One session of an agent as one trace: chat and tool spans, then the root. The trace id ends
 * in the replay marker and a zero counter, the session id in SESSION_MARKER and eight zero
 * hex digits, so a replay of the encoded bytes can make both unique (payload-patch.ts).
 */
export function sessionSpans(fleet: Fleet, agentIndex: number, startNs: bigint, prng: Prng): ReadableSpan[] {
  const agent = fleet.agents[agentIndex]!;
  const resource = fleet.resources[agent.service]!;
  const traceId = `${prng.hex(16)}${TRACE_MARKER_HEX}00000000`;
  const rootId = prng.hex(16);
  const sessionId = `sess-${agent.id}-${prng.hex(8)}${SESSION_MARKER}00000000`;
  const rootContext = { traceId, spanId: rootId, traceFlags: 1 };
  const spans: ReadableSpan[] = [];
  let clock = startNs + BigInt(prng.int(5_000_000));
  const child = (name: string, attributes: ReadableSpan['attributes'], durationNs: bigint, error = false): ReadableSpan => {
    const start = clock;
    clock += durationNs;
    const spanId = prng.hex(16);
    const span: ReadableSpan = {
      name,
      kind: 2, // CLIENT
      spanContext: () => ({ traceId, spanId, traceFlags: 1 }),
      parentSpanContext: rootContext,
      startTime: hrTime(start),
      endTime: hrTime(clock),
      duration: hrTime(durationNs),
      status: { code: error ? 2 : 1 },
      attributes,
      resource,
      instrumentationScope: fleet.scope,
      ...ENDED_SPAN,
    };
    clock += BigInt(prng.int(3_000_000));
    return span;
  };

  const turns = 2 + prng.int(4);
  for (let turn = 0; turn < turns; turn++) {
    const input = 400 + prng.int(6000) + turn * 1500;
    const chat: Record<string, string | number | string[]> = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': agent.model.provider,
      'gen_ai.request.model': agent.model.model,
      'gen_ai.response.model': agent.model.model,
      'gen_ai.response.id': `chatcmpl-${prng.hex(24)}`,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': 20 + prng.int(800),
      'gen_ai.response.finish_reasons': [turn < turns - 1 ? 'tool_calls' : 'stop'],
      'gen_ai.request.temperature': 0.2,
    };
    if (prng.chance(0.3)) {
      chat['gen_ai.input.messages'] = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: words(prng, sizeOf(prng, 300, 0.1, 3000)) }] }]);
    }
    spans.push(child(`chat ${agent.model.model}`, chat, BigInt(300 + prng.int(2500)) * 1_000_000n));
    // Tool arguments carry a request id, so no two calls are identical: background traffic
    // must not look like a loop.
    const calls = turn < turns - 1 ? 1 + prng.int(2) : 0;
    for (let c = 0; c < calls; c++) {
      const tool = agent.tools[prng.int(agent.tools.length)]!;
      const args = JSON.stringify({ query: words(prng, sizeOf(prng, 60, 0.05, 2000)), request_id: prng.hex(12), limit: 1 + prng.int(50) });
      const attributes: Record<string, string> = {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': tool,
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.id': `call_${prng.hex(16)}`,
        'gen_ai.tool.call.arguments': args,
      };
      if (prng.chance(0.2)) attributes['gen_ai.tool.call.result'] = words(prng, sizeOf(prng, 200, 0.05, 2500));
      spans.push(child(`execute_tool ${tool}`, attributes, BigInt(20 + prng.int(800)) * 1_000_000n, prng.chance(0.02)));
    }
  }
  spans.push({
    name: `invoke_agent ${agent.name}`,
    kind: 0, // INTERNAL
    spanContext: () => rootContext,
    startTime: hrTime(startNs),
    endTime: hrTime(clock),
    duration: hrTime(clock - startNs),
    status: { code: 1 },
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': agent.model.provider,
      'gen_ai.agent.id': agent.id,
      'gen_ai.agent.name': agent.name,
      'gen_ai.conversation.id': sessionId,
    },
    resource,
    instrumentationScope: fleet.scope,
    ...ENDED_SPAN,
  });
  return spans;
}
