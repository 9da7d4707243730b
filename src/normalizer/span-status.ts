// Span status and error classification, per semantic-conventions docs/general/recording-errors.md:
// only status ERROR is a failure; error.type names it, else the recorded exception's type, else
// the convention's fallback `_OTHER`.
import {
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_TYPE,
  ERROR_TYPE_VALUE_OTHER,
  EVENT_EXCEPTION,
} from '../semconv/general-attributes.ts';
import type { Span } from '../otlp/otlp-types.ts';
import type { AgentSpanStatus } from './agent-span.ts';
import { readString } from './attribute-readers.ts';

export function statusOf(span: Span): AgentSpanStatus {
  if (span.status.code === 2) return 'error';
  return span.status.code === 1 ? 'ok' : 'unset';
}

/** '' unless the span failed. */
export function errorTypeOf(span: Span): string {
  if (span.status.code !== 2) return '';
  const declared = readString(span.attributes, ATTR_ERROR_TYPE);
  if (declared !== '') return declared;
  for (const event of span.events) {
    if (event.name !== EVENT_EXCEPTION) continue;
    const type = readString(event.attributes, ATTR_EXCEPTION_TYPE);
    if (type !== '') return type;
  }
  return ERROR_TYPE_VALUE_OTHER;
}
