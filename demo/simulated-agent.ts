// A scripted agent that reports what it does through the real OpenTelemetry SDK, as an
// instrumented agent would: one trace per session, an LLM span per model call and a span per
// tool call, with the gen_ai.* attributes Warden reads.
import { setTimeout as sleep } from 'node:timers/promises';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export type AgentStep =
  | { readonly chat: { readonly model: string; readonly inputTokens: number; readonly outputTokens: number } }
  | { readonly tool: { readonly name: string; readonly args: Record<string, unknown> } };

export interface AgentScript {
  readonly id: string;
  /** What the demo expects of it, shown in the summary. */
  readonly role: 'well-behaved' | 'loops' | 'overspends' | 'uses a denied tool';
  readonly steps: readonly AgentStep[];
}

export interface RunOptions {
  readonly otlpUrl: string;
  readonly stepMs: number;
  /** True once the runtime was told to stop this agent (the suspension callback arrived). */
  readonly stopped: (agentId: string) => boolean;
  /** The session the run reports; default `<id>-session-1`. A long-running fleet uses one per run,
   *  as a real agent starts a session per task (loop and token budgets count per session). */
  readonly sessionId?: string;
  /** Aborted = the host is shutting down: the run ends its trace and flushes, like a clean exit. */
  readonly signal?: AbortSignal;
}

export interface AgentRun {
  readonly steps: number;
  readonly traceId: string;
  readonly sessionId: string;
  /** The runtime stopped it (suspension callback) before its script ended. */
  readonly stopped: boolean;
}

/** Runs the script to its end or until the agent is stopped. */
export async function runAgent(script: AgentScript, options: RunOptions): Promise<AgentRun> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `${script.id}-service` }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpUrl}/v1/traces` }))],
  });
  const tracer = provider.getTracer('warden-demo');
  const sessionId = options.sessionId ?? `${script.id}-session-1`;
  const base = { 'agent.id': script.id, 'agent.session.id': sessionId };
  const root = tracer.startSpan(`invoke_agent ${script.id}`, { attributes: { ...base, 'gen_ai.operation.name': 'invoke_agent' } });
  const parent = trace.setSpan(context.active(), root);
  let taken = 0;
  let killed = false;
  try {
    for (const step of script.steps) {
      killed = options.stopped(script.id);
      if (killed || options.signal?.aborted === true) break;
      emitStep(tracer, parent, base, step);
      // Flushed per step so Warden sees actions as they happen, not in one batch at the end.
      await provider.forceFlush();
      taken++;
      // An abort cuts the pause short; the loop then ends the run.
      await sleep(options.stepMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
    }
  } finally {
    // A stopped agent reports nothing more, not even its own end: any span after the callback
    // would rightly raise suspended_activity. The callback may also land during the last pause.
    killed ||= options.stopped(script.id);
    if (!killed) root.end();
    await provider.shutdown();
  }
  return { steps: taken, traceId: root.spanContext().traceId, sessionId, stopped: killed };
}

function emitStep(tracer: Tracer, parent: ReturnType<typeof context.active>, base: Record<string, string>, step: AgentStep): void {
  if ('chat' in step) {
    const { model, inputTokens, outputTokens } = step.chat;
    tracer
      .startSpan(`chat ${model}`, {
        attributes: {
          ...base,
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': model,
          'gen_ai.usage.input_tokens': inputTokens,
          'gen_ai.usage.output_tokens': outputTokens,
        },
      }, parent)
      .end();
    return;
  }
  const { name, args } = step.tool;
  tracer
    .startSpan(`execute_tool ${name}`, {
      attributes: {
        ...base,
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': name,
        'gen_ai.tool.call.arguments': JSON.stringify(args),
      },
    }, parent)
    .end();
}
