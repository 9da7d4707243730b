// The identity of a tool call's arguments, so the loop detector can see "the same call again"
// however the arguments were spelled: JSON strings are parsed, object keys sorted, whitespace
// and key order never matter. sha256 of the canonical JSON, first 16 hex digits (64 bits): a
// collision between two different calls of one agent's session is not a practical concern.
import { hash } from 'node:crypto';
import type { AttributeValue } from '../otlp/otlp-types.ts';
import type { ToolArgsFormat } from './mapped-fields.ts';

export const ARGS_HASH_HEX_DIGITS = 16;
/** Deeper than this is not a tool call's arguments; the rest is hashed as one marker. */
const MAX_DEPTH = 64;
/** A JSON value wrapped in a JSON string (double encoding) is unwrapped this many times. */
const MAX_DECODES = 2;
/** Stands for what lies deeper than MAX_DEPTH. */
const ELIDED = '\u2026';

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

/** What sortedCopy returns for a value JSON.stringify could not be trusted to order. */
const UNORDERABLE = Symbol('unorderable');

/**
 * The value with every object's keys inserted in sorted order, so one native JSON.stringify
 * writes the canonical text (much cheaper than writing it piece by piece; this runs for every
 * tool span). Property order is insertion order except for array-index keys, which V8 lists
 * first in numeric order, and `__proto__` cannot be set as a plain property: an object with a
 * key starting with a digit or named `__proto__` makes the copy UNORDERABLE and `write` is used.
 */
function sortedCopy(value: Json, depth: number): Json | typeof UNORDERABLE {
  if (depth > MAX_DEPTH) return ELIDED;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<Json>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i] ?? null, depth + 1);
      if (item === UNORDERABLE) return UNORDERABLE;
      out[i] = item;
    }
    return out;
  }
  const keys = Object.keys(value).sort();
  const out: { [key: string]: Json } = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const first = key.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39) || key === '__proto__') return UNORDERABLE;
    const item = sortedCopy(value[key] ?? null, depth + 1);
    if (item === UNORDERABLE) return UNORDERABLE;
    out[key] = item;
  }
  return out;
}

/** The canonical text written piece by piece: for values sortedCopy cannot order. */
function write(value: Json, depth: number): string {
  if (depth > MAX_DEPTH) return JSON.stringify(ELIDED);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      text += write(value[i] ?? null, depth + 1);
    }
    return `${text}]`;
  }
  if (isObject(value)) {
    let text = '{';
    const keys = Object.keys(value).sort();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (i > 0) text += ',';
      text += `${JSON.stringify(key)}:${write(value[key] ?? null, depth + 1)}`;
    }
    return `${text}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The canonical JSON text that is hashed; exported for tests and for debugging a mismatch. */
export function canonicalToolArgs(raw: AttributeValue, format: ToolArgsFormat): string {
  let value = decode(raw);
  if (format === 'traceloop-entity') value = unwrapTraceloopCall(value);
  const ordered = sortedCopy(value, 0);
  return ordered === UNORDERABLE ? write(value, 0) : (JSON.stringify(ordered) ?? 'null');
}

export function hashToolArgs(raw: AttributeValue, format: ToolArgsFormat): string {
  // One-shot: no Hash object per call.
  return hash('sha256', canonicalToolArgs(raw, format), 'hex').slice(0, ARGS_HASH_HEX_DIGITS);
}
