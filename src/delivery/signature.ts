import { createHmac } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-warden-timestamp';
export const SIGNATURE_HEADER = 'x-warden-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * DESIGN.md "Suspension callback": `x-warden-signature: sha256=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>` with the unix-seconds timestamp in `x-warden-timestamp`. The
 * timestamp is signed so a receiver can refuse replays older than its tolerance.
 */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `sha256=${signatureOf(secret, timestamp, body)}` };
}

export function signatureOf(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
