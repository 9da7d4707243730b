// Typed reads of decoded OTLP attributes. Senders disagree on types (an id as an int, a count
// as a string when it overflowed int64's safe range, a list as a comma-separated string), so
// each reader accepts the spellings that mean the same thing and returns a sentinel otherwise.
import type { Attributes } from '../otlp/otlp-types.ts';

/** A string attribute, or a number rendered as one (ids are sometimes ints); '' otherwise. */
export function readString(attributes: Attributes, key: string): string {
  const value = attributes[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** A finite number from a number or a numeric string; null otherwise. */
export function readNumber(attributes: Attributes, key: string): number | null {
  const value = attributes[key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/**
 * A token count: a non-negative number, or -1 when absent or not a count. Capped at 2^53: a
 * larger count is not a real one, and priced it would overflow the cost to Infinity.
 */
export function readCount(attributes: Attributes, key: string): number {
  const value = readNumber(attributes, key);
  return value !== null && value >= 0 ? Math.min(value, Number.MAX_SAFE_INTEGER) : -1;
}

/** A boolean, also from the strings `true` / `false`; null otherwise. */
export function readBoolean(attributes: Attributes, key: string): boolean | null {
  const value = attributes[key];
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** A string[] attribute, or a comma-separated string; empty entries dropped. */
export function readStringList(attributes: Attributes, key: string): string[] {
  const value = attributes[key];
  const list: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'string' && item !== '') list.push(item);
  } else if (typeof value === 'string' && value !== '') {
    for (const item of value.split(',')) {
      const trimmed = item.trim();
      if (trimmed !== '') list.push(trimmed);
    }
  }
  return list;
}

/** The first non-empty string among `keys`; '' when none. */
export function readFirstString(attributes: Attributes, keys: readonly string[]): string {
  for (const key of keys) {
    const value = readString(attributes, key);
    if (value !== '') return value;
  }
  return '';
}
