import { classifyError, classifyStatus } from './is-retryable.ts';
import type { SendResult } from './send-result.ts';
import { IDEMPOTENCY_HEADER, signatureHeaders } from './signature.ts';

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
// A receiver's error text is quoted in logs and the outbox's last_error: a line, not a page.
const MAX_DETAIL_BYTES = 512;

export interface SignedRequest {
  url: string;
  /** The JSON text, sent and signed byte for byte as given. */
  body: string;
  /** Sent as `idempotency-key`; the same on every retry of one delivery. */
  idempotencyKey?: string;
  /** When set, the body is signed (see signature.ts). */
  signingSecret?: string;
  /** Whole request including the response head, ms. Default 10 000. */
  timeoutMs?: number;
}

export interface SendDeps {
  now?: () => number;
  fetch?: typeof fetch;
}

/** POSTs JSON once and classifies the outcome; never throws. */
export async function sendSigned(request: SignedRequest, deps: SendDeps = {}): Promise<SendResult> {
  const now = deps.now ?? Date.now;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'warden' };
  if (request.idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = request.idempotencyKey;
  if (request.signingSecret !== undefined) Object.assign(headers, signatureHeaders(request.signingSecret, request.body, now()));
  const signal = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS);
  try {
    const response = await (deps.fetch ?? fetch)(request.url, { method: 'POST', headers, body: request.body, signal, redirect: 'manual' });
    const detail = response.ok ? (await discard(response), '') : await readDetail(response);
    return classifyStatus(response.status, response.headers.get('retry-after'), detail, now());
  } catch (error) {
    return classifyError(error);
  }
}

// The body must be consumed or cancelled, or the connection is not reused.
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

async function readDetail(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_DETAIL_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still leaves the status to classify on.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8', 0, Math.min(size, MAX_DETAIL_BYTES));
  return text.replace(/\s+/g, ' ').trim();
}
