import { createHash, randomBytes } from 'node:crypto';

/**
 * What repeats of one problem share: the kind, the agent and the rule within the kind. NUL
 * separates the parts because none of them can contain it unambiguously otherwise
 * ("a" + "bc" vs "ab" + "c"). 128 bits of the digest: collisions are out of reach for any
 * number of alerts a Warden holds.
 */
export function alertFingerprint(kind: string, agentId: string, rule: string): string {
  return createHash('sha256').update(`${kind}\0${agentId}\0${rule}`).digest('hex').slice(0, 32);
}

/**
 * A UUIDv7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, then random bits, so ids sort
 * by opening time. node:crypto has only randomUUID (v4).
 */
export function newAlertId(nowMs: number): string {
  const bytes = randomBytes(16);
  const ms = BigInt(Math.max(0, Math.trunc(nowMs)));
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
