import { decodeTraceRequestProto } from '../src/otlp/decode-proto.ts';
import type { EncodedPayload } from './encoded-payload.ts';
import { timedLoop } from './timed-loop.ts';

/** Limit (a): Warden's OTLP/protobuf decoder alone over the bench payloads, one core. */
export function measureDecodeLimit(payloads: readonly EncodedPayload[], durationMs: number): number {
  let next = 0;
  const step = (): number => {
    const payload = payloads[next++ % payloads.length]!;
    const decoded = decodeTraceRequestProto(payload.bytes);
    if (!decoded.ok) throw new Error(decoded.error.message);
    return payload.spans;
  };
  return timedLoop(step, durationMs, Math.min(1000, durationMs / 3)).perSecond;
}
