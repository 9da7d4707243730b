// A scripted agent that reports what it does through the real OpenTelemetry SDK, as an
// instrumented agent would: one trace per session, an LLM span per model call and a span per
// tool call, with the gen_ai.* attributes Warden reads.
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
}

/** Runs the script to its end or until the agent is stopped; returns the steps taken. */
export async function runAgent(script: AgentScript, options: RunOptions): Promise<number> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `${script.id}-service` }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpUrl}/v1/traces` }))],
  });
  const tracer = provider.getTracer('warden-demo');
  const base = { 'agent.id': script.id, 'agent.session.id': `${script.id}-session-1` };
  const root = tracer.startSpan(`invoke_agent ${script.id}`, { attributes: { ...base, 'gen_ai.operation.name': 'invoke_agent' } });
  const parent = trace.setSpan(context.active(), root);
  let taken = 0;
  let killed = false;
  try {
    for (const step of script.steps) {
      killed = options.stopped(script.id);
      if (killed) break;
      emitStep(tracer, parent, base, step);
      // Flushed per step so Warden sees actions as they happen, not in one batch at the end.
      await provider.forceFlush();
      taken++;
      await new Promise((resolve) => setTimeout(resolve, options.stepMs));
    }
  } finally {
    // A stopped agent reports nothing more, not even its own end: any span after the callback
    // would rightly raise suspended_activity.
    if (!killed) root.end();
    await provider.shutdown();
  }
  return taken;
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
