// Small pieces of AnyValue decoding that both wire formats must do identically.
import type { AttributeValue } from './otlp-types.ts';

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An int64 as a number when exact, else its decimal string (otlp-types.ts promises no rounding). */
export function int64ToAttribute(value: bigint): AttributeValue {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
}

/** Sets one attribute. Attribute keys come from the sender, so `__proto__` must become an own
 *  property instead of replacing the object's prototype. */
export function setAttribute(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Enums on the wire are open (proto3): a kind or status code we do not know becomes UNSPECIFIED
 *  rather than a value outside the decoded type. */
export function clampEnum<T extends number>(value: number, max: T): T | 0 {
  return Number.isInteger(value) && value >= 0 && value <= max ? (value as T) : 0;
}
