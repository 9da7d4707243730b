// Real OpenTelemetry JS SDK spans and log records, serialized by the SDK's own OTLP serializers,
// so the decoders are tested against what actual clients send.
import { context, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes as ApiAttributes } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export const RESOURCE_ATTRIBUTES = {
  'service.name': 'round-trip',
  'process.pid': 4242,
  'host.load': 0.75,
  'feature.on': true,
  'process.command_args': ['node', 'agent.js'],
};

/** Values the SDK's span API refuses (maps, bytes) but its serializers encode: set on a view. */
export const STRUCTURED_ATTRIBUTES = {
  'gen_ai.input.messages': { role: 'user', parts: [{ type: 'text', content: 'hi' }, 7, 2.5, false] },
  'payload.bytes': new Uint8Array([0, 1, 2, 250, 255]),
  'nested.empty': {},
};

export interface SdkTraces {
  spans: ReadableSpan[];
  protobuf: Uint8Array;
  json: Uint8Array;
}

export async function sdkTraces(): Promise<SdkTraces> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('warden-round-trip', '1.2.3');
  const root = tracer.startSpan('invoke_agent weather', { kind: SpanKind.SERVER, startTime: [1_795_440_518, 512_000_001] });
  const linked = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    traceState: undefined,
  };
  const child = tracer.startSpan(
    'execute_tool get_weather',
    {
      kind: SpanKind.CLIENT,
      startTime: [1_795_440_518, 600_000_000],
      attributes: {
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.request.temperature': 0.25,
        'gen_ai.request.stream': false,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        'agent.scores': [1, 2, 3],
        'agent.flags': [true, false],
        'agent.empty': '',
      },
      links: [{ context: linked, attributes: { 'link.reason': 'retry-of' } }],
    },
    trace.setSpan(context.active(), root),
  );
  child.addEvent('gen_ai.choice', { 'gen_ai.choice.index': 0, finish: 'stop' }, [1_795_440_518, 650_000_000]);
  child.addEvent('no-attributes', [1_795_440_518, 660_000_000]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'tool failed' });
  child.end([1_795_440_518, 700_000_000]);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end([1_795_440_519, 0]);
  await provider.forceFlush();
  const [first, second] = exporter.getFinishedSpans();
  if (first === undefined || second === undefined) throw new Error('expected two finished spans');
  // Object.create keeps the span's prototype (spanContext() and friends) while overriding attributes.
  const structured = Object.create(first, {
    attributes: { value: { ...first.attributes, ...STRUCTURED_ATTRIBUTES } as unknown as ApiAttributes },
  }) as ReadableSpan;
  const spans = [structured, second];
  await provider.shutdown();
  return { spans, protobuf: serialize(ProtobufTraceSerializer.serializeRequest(spans)), json: serialize(JsonTraceSerializer.serializeRequest(spans)) };
}

export interface SdkLogs {
  records: ReadableLogRecord[];
  traceId: string;
  spanId: string;
  protobuf: Uint8Array;
  json: Uint8Array;
}

export async function sdkLogs(): Promise<SdkLogs> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'round-trip-logs' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('warden-logs', '0.0.1');
  const span = new BasicTracerProvider().getTracer('t').startSpan('s');
  const spanContext = trace.setSpan(context.active(), span);
  logger.emit({
    eventName: 'gen_ai.user.message',
    timestamp: [1_795_440_518, 513_000_000],
    observedTimestamp: [1_795_440_518, 515_000_000],
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: { content: 'Compare the weather', tool_calls: [{ id: 'call_1', args: { city: 'Paris' } }], raw: new Uint8Array([9, 8]) },
    attributes: { 'gen_ai.system': 'openai', 'event.count': 3, 'nested.map': { a: [1, 'b'] } },
    context: spanContext,
  });
  logger.emit({ body: 'plain text body', severityNumber: SeverityNumber.WARN, timestamp: [1_795_440_520, 0] });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return {
    records,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    protobuf: serialize(ProtobufLogsSerializer.serializeRequest(records)),
    json: serialize(JsonLogsSerializer.serializeRequest(records)),
  };
}

function serialize(bytes: Uint8Array | undefined): Uint8Array {
  if (bytes === undefined) throw new Error('serializer returned nothing');
  return bytes;
}
