// The identity of a tool call's arguments, so the loop detector can see "the same call again"
// however the arguments were spelled: JSON strings are parsed, object keys sorted, whitespace
// and key order never matter. sha256 of the canonical JSON, first 16 hex digits (64 bits): a
// collision between two different calls of one agent's session is not a practical concern.
import { createHash } from 'node:crypto';
import type { AttributeValue } from '../otlp/otlp-types.ts';
import type { ToolArgsFormat } from './mapped-fields.ts';

export const ARGS_HASH_HEX_DIGITS = 16;
/** Deeper than this is not a tool call's arguments; the rest is hashed as one marker. */
const MAX_DEPTH = 64;
/** A JSON value wrapped in a JSON string (double encoding) is unwrapped this many times. */
const MAX_DECODES = 2;

type Json = AttributeValue;

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses strings that hold JSON objects, arrays or strings; plain text stays text (trimmed). */
function decode(value: Json): Json {
  let current = value;
  for (let i = 0; i < MAX_DECODES && typeof current === 'string'; i++) {
    const text = current.trim();
    const first = text.charCodeAt(0);
    if (first !== 0x7b /* { */ && first !== 0x5b /* [ */ && first !== 0x22 /* " */) return text;
    try {
      current = JSON.parse(text) as Json;
    } catch {
      return text;
    }
  }
  return typeof current === 'string' ? current.trim() : current;
}

/**
 * Traceloop records a call as {"args": [...], "kwargs": {...}}: keyword arguments alone are the
 * arguments; a single positional argument is the arguments (often itself a JSON string).
 */
function unwrapTraceloopCall(value: Json): Json {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.some((key) => key !== 'args' && key !== 'kwargs')) return value;
  const args = value['args'];
  const kwargs = value['kwargs'];
  const positional = Array.isArray(args) ? args : [];
  const keyword = isObject(kwargs ?? null) ? (kwargs as { [key: string]: Json }) : {};
  const hasKeyword = Object.keys(keyword).length > 0;
  if (positional.length === 0) return keyword;
  if (positional.length === 1 && !hasKeyword) return decode(positional[0] ?? null);
  return value;
}

function write(value: Json, depth: number, parts: string[]): void {
  if (depth > MAX_DEPTH) {
    parts.push('"\u2026"');
  } else if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      write(value[i] ?? null, depth + 1, parts);
    }
    parts.push(']');
  } else if (isObject(value)) {
    parts.push('{');
    const keys = Object.keys(value).sort();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (i > 0) parts.push(',');
      parts.push(JSON.stringify(key), ':');
      write(value[key] ?? null, depth + 1, parts);
    }
    parts.push('}');
  } else {
    parts.push(JSON.stringify(value) ?? 'null');
  }
}

/** The canonical JSON text that is hashed; exported for tests and for debugging a mismatch. */
export function canonicalToolArgs(raw: AttributeValue, format: ToolArgsFormat): string {
  let value = decode(raw);
  if (format === 'traceloop-entity') value = unwrapTraceloopCall(value);
  const parts: string[] = [];
  write(value, 0, parts);
  return parts.join('');
}

export function hashToolArgs(raw: AttributeValue, format: ToolArgsFormat): string {
  return createHash('sha256').update(canonicalToolArgs(raw, format)).digest('hex').slice(0, ARGS_HASH_HEX_DIGITS);
}
