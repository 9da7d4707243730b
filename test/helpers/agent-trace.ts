import { SpanKind, SpanStatusCode, trace as traceApi, context, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface AgentTraceShape {
  serviceName: string;
  agentName: string;
  agentId: string;
  conversationId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  toolName: string;
  toolArguments: string;
  /** 'batch' (the SDK default: the whole turn in one request, root last) or 'simple' (one
   *  request per span, children before their parent). */
  processor: 'batch' | 'simple';
}

/**
 * Emits one agent turn the way a GenAI-instrumented agent does (OpenTelemetry GenAI
 * conventions): invoke_agent -> chat -> execute_tool, through a real SDK and exporter.
 * Returns the trace id once the exporter has delivered everything.
 */
export async function emitAgentTurn(exporter: SpanExporter, shape: AgentTraceShape): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': shape.serviceName }),
    spanProcessors: [shape.processor === 'batch' ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
  });
  const tracer: Tracer = provider.getTracer('warden-test-agent', '1.0.0');
  let traceId = '';
  await tracer.startActiveSpan(
    `invoke_agent ${shape.agentName}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': 'openai',
        'gen_ai.agent.name': shape.agentName,
        'gen_ai.agent.id': shape.agentId,
        'gen_ai.conversation.id': shape.conversationId,
      },
    },
    async (agentSpan) => {
      traceId = agentSpan.spanContext().traceId;
      const ctx = traceApi.setSpan(context.active(), agentSpan);
      const chat = tracer.startSpan(
        `chat ${shape.model}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': shape.model,
            'gen_ai.usage.input_tokens': shape.inputTokens,
            'gen_ai.usage.output_tokens': shape.outputTokens,
          },
        },
        ctx,
      );
      chat.end();
      const tool = tracer.startSpan(
        `execute_tool ${shape.toolName}`,
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': shape.toolName,
            'gen_ai.tool.call.arguments': shape.toolArguments,
          },
        },
        ctx,
      );
      tool.setStatus({ code: SpanStatusCode.OK });
      tool.end();
      agentSpan.end();
    },
  );
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}
