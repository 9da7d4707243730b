import { describe, expect, it } from 'vitest';
import { attributesToMap } from '../../../src/store/attribute-map.ts';
import { outcomeToJsonLine } from '../../../src/store/outcome-row.ts';
import { spanToJsonLine } from '../../../src/store/span-row.ts';
import { agentSpan, outcome } from '../../integration/store/fixtures/agent-span-fixture.ts';

interface ParsedRow {
  SpanKind: string;
  StatusCode: string;
  Timestamp: string;
  Duration: string;
  TraceId: string;
  SpanId: string;
  SpanName: string;
  SpanAttributes: Record<string, string>;
  'Events.Timestamp': string[];
}

const parse = (line: string) => JSON.parse(line) as ParsedRow;

describe('spanToJsonLine', () => {
  it('writes span kind and status code as the exporter does', () => {
    const names = [0, 1, 2, 3, 4, 5].map((spanKind) => parse(spanToJsonLine(agentSpan({ spanKind: spanKind as 0 }))).SpanKind);
    expect(names).toEqual(['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer']);
    const codes = [0, 1, 2].map((statusCode) => parse(spanToJsonLine(agentSpan({ statusCode: statusCode as 0 }))).StatusCode);
    expect(codes).toEqual(['Unset', 'Ok', 'Error']);
  });

  it('writes timestamps as seconds.nanoseconds and durations as exact decimal strings', () => {
    const row = parse(
      spanToJsonLine(
        agentSpan({
          startTimeUnixNano: 1_700_000_000_000_000_001n,
          durationNs: 18_446_744_073_709_551_615n,
          events: [{ timeUnixNano: 5n, name: 'e', attributes: {} }],
        }),
      ),
    );
    expect(row.Timestamp).toBe('1700000000.000000001');
    expect(row.Duration).toBe('18446744073709551615');
    expect(row['Events.Timestamp']).toEqual(['0.000000005']);
  });

  it('lowercases ids', () => {
    const row = parse(spanToJsonLine(agentSpan({ traceId: 'ABCDEF00ABCDEF00ABCDEF00ABCDEF00', spanId: 'ABCDEF00ABCDEF00' })));
    expect(row.TraceId).toBe('abcdef00abcdef00abcdef00abcdef00');
    expect(row.SpanId).toBe('abcdef00abcdef00');
  });

  it('turns numbers a column cannot hold into safe values instead of failing the batch', () => {
    const row = parse(spanToJsonLine(agentSpan({ inputTokens: -5, outputTokens: Number.NaN, costUsd: Number.POSITIVE_INFINITY, confidence: Number.NaN })));
    expect(row).toMatchObject({ InputTokens: 0, OutputTokens: 0, CostUsd: 0, Confidence: null });
    expect(parse(spanToJsonLine(agentSpan({ inputTokens: 12.7, confidence: 0.5 })))).toMatchObject({ InputTokens: 12, Confidence: 0.5 });
  });

  it('replaces lone surrogates so ClickHouse accepts the line', () => {
    const line = spanToJsonLine(agentSpan({ name: 'a\ud800b', attributes: { ['k\udc00']: 'v\ud83d' } }));
    expect(line).not.toMatch(/\\ud[89a-f]/);
    const row = parse(line);
    expect(row.SpanName).toBe('a\ufffdb');
    expect(row.SpanAttributes).toEqual({ 'k\ufffd': 'v\ufffd' });
  });

  it('keeps a literal backslash-u sequence as text', () => {
    const row = parse(spanToJsonLine(agentSpan({ name: '\\ud800 is not a surrogate' })));
    expect(row.SpanName).toBe('\\ud800 is not a surrogate');
  });

  it('keeps well-formed surrogate pairs', () => {
    expect(parse(spanToJsonLine(agentSpan({ name: '😀' }))).SpanName).toBe('😀');
  });

  it('is one line whatever the strings hold', () => {
    expect(spanToJsonLine(agentSpan({ name: 'a\nb\r\n', statusMessage: '\u2028' }))).not.toMatch(/[\n\r]/);
  });
});

describe('attributesToMap', () => {
  it('keeps strings, and writes other values as text', () => {
    expect(
      attributesToMap({ s: 'x', i: 3, d: 1.5, nan: Number.NaN, b: false, n: null, a: [1, 'two'], o: { k: [true] } }),
    ).toEqual({ s: 'x', i: '3', d: '1.5', nan: 'NaN', b: 'false', n: '', a: '[1,"two"]', o: '{"k":[true]}' });
  });

  it('keeps an attribute named __proto__ as an ordinary key', () => {
    const attributes: Record<string, string> = {};
    Object.defineProperty(attributes, '__proto__', { value: 'x', enumerable: true });
    expect(JSON.parse(JSON.stringify(attributesToMap(attributes)))).toEqual(JSON.parse('{"__proto__":"x"}'));
  });
});

describe('outcomeToJsonLine', () => {
  it('writes an outcome row', () => {
    const row = parse(
      outcomeToJsonLine(outcome({ traceId: 'ABC', success: null, value: Number.NaN, timeUnixNano: 1_000_000_000_123n, attributes: { k: 1 } })),
    );
    expect(row).toEqual({
      agent_id: 'support-1',
      trace_id: 'abc',
      session_id: '',
      name: 'ticket_resolved',
      value: 0,
      success: null,
      time: '1000.000000123',
      source: 'api',
      attributes: { k: '1' },
    });
  });
});
