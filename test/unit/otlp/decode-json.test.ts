import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLogsRequestJson, decodeTraceRequestJson } from '../../../src/otlp/decode-json.ts';
import type { LogsRequest, Span, TraceRequest } from '../../../src/otlp/otlp-types.ts';

const FIXTURES = '/work/shared/fixtures';
const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.otlp.json'));

function spansOf(request: TraceRequest): Span[] {
  return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

function decodeTraces(body: Uint8Array | string): TraceRequest {
  const result = decodeTraceRequestJson(body);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function errorOf(result: ReturnType<typeof decodeTraceRequestJson>): string {
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.error.message;
}

function spanWith(fields: Record<string, unknown>): string {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [fields] }] }] });
}

function nestedArray(levels: number): unknown {
  let value: unknown = { stringValue: 'leaf' };
  for (let i = 0; i < levels; i++) value = { arrayValue: { values: [value] } };
  return value;
}

describe('decodeTraceRequestJson on captured fixtures', () => {
  for (const file of fixtureFiles.filter((f) => !f.includes('-logs'))) {
    it(`decodes ${file}`, () => {
      const raw = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
      const request = decodeTraces(readFileSync(join(FIXTURES, file)));
      const rawSpans = raw.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
      const spans = spansOf(request);
      expect(spans.length).toBe(rawSpans.length);
      expect(spans.length).toBeGreaterThan(0);
      spans.forEach((span, i) => {
        expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(span.traceId).toBe(rawSpans[i].traceId.toLowerCase());
        expect(span.startTimeUnixNano).toBe(BigInt(rawSpans[i].startTimeUnixNano));
        expect(span.endTimeUnixNano >= span.startTimeUnixNano).toBe(true);
        expect(Object.keys(span.attributes).length).toBe(new Set(rawSpans[i].attributes.map((a: any) => a.key)).size);
      });
    });
  }

  it('spot-checks one span of otel-openai-genai', () => {
    const request = decodeTraces(readFileSync(join(FIXTURES, 'otel-openai-genai.otlp.json'), 'utf8'));
    const first = request.resourceSpans[0];
    expect(first?.resource['process.pid']).toBe(16088);
    expect(first?.scopeSpans[0]?.scope).toEqual({ name: '@opentelemetry/instrumentation-openai', version: '0.21.0', attributes: {} });
    const span = first?.scopeSpans[0]?.spans[0];
    expect(span).toMatchObject({
      traceId: 'ef16154cd962f84c1366504acc9c780d',
      spanId: '1c35798707563baf',
      parentSpanId: '5974190e103f0bee',
      name: 'chat mock-gpt-1',
      kind: 3,
      startTimeUnixNano: 1795440518512000000n,
      endTimeUnixNano: 1795440518604303872n,
      events: [],
      links: [],
      status: { code: 0, message: '' },
    });
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'server.port': 8787,
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.usage.output_tokens': 15,
    });
  });

  it('has root spans with an empty parent id in the broken OpenLLMetry capture', () => {
    const spans = spansOf(decodeTraces(readFileSync(join(FIXTURES, 'openllmetry-langchain-broken.otlp.json'))));
    expect(spans.every((s) => s.parentSpanId === '')).toBe(true);
  });
});

describe('decodeLogsRequestJson', () => {
  it('decodes the GenAI log capture with kvlist bodies', () => {
    const file = fixtureFiles.find((f) => f.includes('-logs'));
    expect(file).toBeDefined();
    const result = decodeLogsRequestJson(readFileSync(join(FIXTURES, file as string)));
    if (!result.ok) throw new Error(result.error.message);
    const request: LogsRequest = result.value;
    const records = request.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords));
    expect(records.length).toBe(59);
    expect(records[0]).toEqual({
      timeUnixNano: 1795440518513000000n,
      observedTimeUnixNano: 1795440518513000000n,
      severityNumber: 9,
      severityText: '',
      body: { content: 'You are a helpful assistant.' },
      attributes: { 'event.name': 'gen_ai.system.message', 'gen_ai.system': 'openai' },
      traceId: 'ef16154cd962f84c1366504acc9c780d',
      spanId: '1c35798707563baf',
      eventName: '',
    });
    expect(request.resourceLogs[0]?.resource['process.command_args']).toEqual(['/usr/bin/node', '/srv/agents/otel-openai/agent.cjs']);
  });

  it('reads eventName, severity names and a missing body', () => {
    const result = decodeLogsRequestJson(
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ eventName: 'agent.outcome', severityNumber: 'SEVERITY_NUMBER_WARN' }] }] }] }),
    );
    expect(result.ok && result.value.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]).toMatchObject({
      eventName: 'agent.outcome',
      severityNumber: 13,
      body: null,
      traceId: '',
    });
  });
});

describe('OTLP/JSON value rules', () => {
  it('lowercases hex ids and empties malformed ones', () => {
    const span = spansOf(
      decodeTraces(spanWith({ traceId: 'EF16154CD962F84C1366504ACC9C780D', spanId: 'xyz', parentSpanId: '00000000000000000000' })),
    )[0];
    expect(span?.traceId).toBe('ef16154cd962f84c1366504acc9c780d');
    expect(span?.spanId).toBe('');
    expect(span?.parentSpanId).toBe('');
  });

  it('treats an all-zero parent id as a root', () => {
    expect(spansOf(decodeTraces(spanWith({ parentSpanId: '0000000000000000' })))[0]?.parentSpanId).toBe('');
  });

  it('accepts times as strings or numbers and enums as integers or names', () => {
    const span = spansOf(decodeTraces(spanWith({ startTimeUnixNano: 1000, endTimeUnixNano: '2000', kind: 'SPAN_KIND_SERVER', status: { code: 2 } })))[0];
    expect(span?.startTimeUnixNano).toBe(1000n);
    expect(span?.endTimeUnixNano).toBe(2000n);
    expect(span?.kind).toBe(2);
    expect(span?.status.code).toBe(2);
  });

  it('maps an unknown kind to UNSPECIFIED', () => {
    expect(spansOf(decodeTraces(spanWith({ kind: 9 })))[0]?.kind).toBe(0);
  });

  it('decodes every AnyValue type', () => {
    const span = spansOf(
      decodeTraces(
        spanWith({
          attributes: [
            { key: 's', value: { stringValue: 'x' } },
            { key: 'b', value: { boolValue: false } },
            { key: 'i', value: { intValue: '42' } },
            { key: 'big', value: { intValue: '9007199254740993' } },
            { key: 'neg', value: { intValue: -7 } },
            { key: 'd', value: { doubleValue: 1.5 } },
            { key: 'nan', value: { doubleValue: 'NaN' } },
            { key: 'bytes', value: { bytesValue: 'AQID' } },
            { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }, {}] } } },
            { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }, { key: 'none' }] } } },
            { key: 'empty' },
            { key: '__proto__', value: { stringValue: 'own' } },
          ],
        }),
      ),
    )[0];
    expect(span?.attributes).toEqual({
      s: 'x',
      b: false,
      i: 42,
      big: '9007199254740993',
      neg: -7,
      d: 1.5,
      nan: Number.NaN,
      bytes: 'AQID',
      arr: ['a', 1, null],
      kv: { inner: true, none: null },
      empty: null,
      ['__proto__']: 'own',
    });
    expect(Object.getPrototypeOf(span?.attributes)).toBe(Object.prototype);
  });

  it('ignores unknown and snake_case keys', () => {
    const span = spansOf(decodeTraces(spanWith({ name: 'n', start_time_unix_nano: '5', futureField: { x: 1 } })))[0];
    expect(span?.name).toBe('n');
    expect(span?.startTimeUnixNano).toBe(0n);
  });

  it('accepts an empty request', () => {
    expect(decodeTraces('{}')).toEqual({ resourceSpans: [] });
  });

  it('allows 32 nesting levels and refuses 33', () => {
    const ok = decodeTraceRequestJson(spanWith({ attributes: [{ key: 'deep', value: nestedArray(32) }] }));
    expect(ok.ok).toBe(true);
    const message = errorOf(decodeTraceRequestJson(spanWith({ attributes: [{ key: 'deep', value: nestedArray(33) }] })));
    expect(message).toMatch(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\])+\.arrayValue: AnyValue nested deeper than 32 levels$/);
  });

  it('refuses hostile nesting without exhausting the stack', () => {
    const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(5000)}{}${'}]}}'.repeat(5000)}}]}]}]}]}`;
    expect(errorOf(decodeTraceRequestJson(body))).toContain('AnyValue nested deeper than 32 levels');
  });
});

describe('OTLP/JSON errors name the path', () => {
  const cases: [string, string, string][] = [
    ['truncated JSON', '{"resourceSpans":[{"scopeSpans":', 'body is not valid UTF-8 JSON'],
    ['not an object', '[1,2]', '(root): expected object'],
    ['resourceSpans not an array', '{"resourceSpans":{}}', 'resourceSpans: expected array'],
    ['span not an object', '{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]}', 'resourceSpans[0].scopeSpans[0].spans[0]: expected object'],
    ['bad time', spanWith({ startTimeUnixNano: '12a' }), 'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected unsigned 64-bit integer'],
    ['negative time', spanWith({ endTimeUnixNano: -1 }), 'spans[0].endTimeUnixNano: expected unsigned 64-bit integer'],
    ['fractional int', spanWith({ attributes: [{ key: 'k', value: { intValue: 1.5 } }] }), 'spans[0].attributes[0].value.intValue: expected 64-bit integer'],
    ['int64 overflow', spanWith({ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }), 'value.intValue: expected 64-bit integer'],
    ['id not a string', spanWith({ traceId: 12 }), 'spans[0].traceId: expected hex string'],
    ['kind as a bad string', spanWith({ kind: 'server' }), 'spans[0].kind: expected integer enum value'],
    ['status not an object', spanWith({ status: 2 }), 'spans[0].status: expected object'],
    ['name not a string', spanWith({ name: 5 }), 'spans[0].name: expected string'],
    ['bool as string', spanWith({ attributes: [{ key: 'k', value: { boolValue: 'true' } }] }), 'attributes[0].value.boolValue: expected boolean'],
    ['array values not an array', spanWith({ attributes: [{ key: 'k', value: { arrayValue: { values: 'x' } } }] }), 'attributes[0].value.arrayValue.values: expected array'],
    ['event time', spanWith({ events: [{}, { timeUnixNano: true }] }), 'spans[0].events[1].timeUnixNano: expected unsigned 64-bit integer'],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => {
      const result = decodeTraceRequestJson(body);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('WARDEN_OTLP_BAD_JSON');
        expect(result.error.message).toContain(expected);
      }
    });
  }

  it('refuses invalid UTF-8 bytes', () => {
    const result = decodeTraceRequestJson(new Uint8Array([0x7b, 0xff, 0x7d]));
    expect(result.ok).toBe(false);
  });

  it('names the logs path', () => {
    const result = decodeLogsRequestJson(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { intValue: 'x' } }] }] }] }));
    expect(result.ok ? '' : result.error.message).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].body.intValue: expected 64-bit integer');
  });
});
