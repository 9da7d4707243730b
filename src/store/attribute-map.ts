import type { AttributeValue, Attributes } from '../otlp/otlp-types.ts';

/** A Map(LowCardinality(String), String) column value. Null prototype, so an attribute named
 *  `__proto__` stays an ordinary key. */
export type StringMap = Record<string, string>;

/**
 * Attributes as the Collector's ClickHouse exporter stores them: strings as they are, numbers
 * and booleans in their text form, arrays and key-value lists as JSON, an empty value as ''.
 */
export function attributesToMap(attributes: Attributes): StringMap {
  const map: StringMap = Object.create(null) as StringMap;
  for (const key of Object.keys(attributes)) {
    map[key] = attributeText(attributes[key] ?? null);
  }
  return map;
}

export function attributeText(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  // String(), not JSON: NaN and Infinity are valid OTLP doubles and JSON would turn them into null.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
