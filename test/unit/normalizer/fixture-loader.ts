// Reads the captures in /work/shared/fixtures: decoded through Warden's OTLP/JSON decoder, and
// raw (plain JSON) so expectations are computed independently of the code under test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeTraceRequestJson } from '../../../src/otlp/decode-json.ts';
import type { TraceRequest } from '../../../src/otlp/otlp-types.ts';

export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../../../../shared/fixtures');

export function readFixture(file: string): string {
  return readFileSync(path.join(FIXTURES_DIR, file), 'utf8');
}

export function loadTraceFixture(file: string): TraceRequest {
  const decoded = decodeTraceRequestJson(readFixture(file));
  if (!decoded.ok) throw new Error(`${file}: ${decoded.error.message}`);
  return decoded.value;
}

export interface RawSpan {
  name: string;
  attributes: Record<string, unknown>;
}

interface RawAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

/** Every span of a capture with its scalar attributes, straight from the JSON. */
export function rawSpans(file: string): RawSpan[] {
  const json = JSON.parse(readFixture(file)) as {
    resourceSpans: { scopeSpans: { spans: { name: string; attributes?: { key: string; value: RawAnyValue }[] }[] }[] }[];
  };
  const spans: RawSpan[] = [];
  for (const rs of json.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const attributes: Record<string, unknown> = {};
        for (const { key, value } of span.attributes ?? []) {
          attributes[key] = value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue;
        }
        spans.push({ name: span.name, attributes });
      }
    }
  }
  return spans;
}

/** Sum of two raw attributes over the spans `isLlm` selects, e.g. the prompt and completion counts. */
export function rawTokenTotals(
  file: string,
  isLlm: (span: RawSpan) => boolean,
  inputKey: string,
  outputKey: string,
): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const span of rawSpans(file)) {
    if (!isLlm(span)) continue;
    input += Number(span.attributes[inputKey] ?? 0);
    output += Number(span.attributes[outputKey] ?? 0);
  }
  return { input, output };
}
