import type { EncodedPayload } from './encoded-payload.ts';

/**
 * Makes the next send of a payload a new set of traces and sessions: the send counter goes into
 * every trace id and session id (so detectors and the store see fresh sessions, never a replayed
 * loop), and the timestamps move by shiftNs (so the span clock follows the wall clock).
 * A few thousand byte writes: microseconds, against the milliseconds Warden spends on it.
 */
export function patchPayload(payload: EncodedPayload, shiftNs: bigint): void {
  const counter = payload.sends++;
  const { bytes, pristine } = payload;
  for (const at of payload.traceCounters) bytes.writeUInt32BE(counter >>> 0, at);
  const hex = (counter >>> 0).toString(16).padStart(8, '0');
  for (const at of payload.sessionCounters) bytes.write(hex, at, 8, 'latin1');
  for (const at of payload.times) bytes.writeBigUInt64LE(pristine.readBigUInt64LE(at) + shiftNs, at);
}

/** The shift that puts a payload generated around baseNs at the current wall clock. */
export function shiftToNow(payload: EncodedPayload): bigint {
  return BigInt(Date.now()) * 1_000_000n - payload.baseNs;
}
