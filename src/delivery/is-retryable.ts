import type { SendResult } from './send-result.ts';

/**
 * The one place that decides whether a delivery attempt may be retried (DESIGN.md,
 * "Suspension callback"): network errors, timeouts, 408, 429 and 5xx are retried; other 4xx
 * are permanent. Redirects are not followed (a signed POST must reach the configured URL),
 * so a 3xx is permanent too: configure the final URL.
 */
export function classifyStatus(status: number, retryAfter: string | null, detail: string, nowMs: number): SendResult {
  if (status >= 200 && status < 300) return { type: 'ok', status };
  const message = detail === '' ? `HTTP ${status}` : `HTTP ${status}: ${detail}`;
  if (status === 408 || status === 429 || status >= 500) {
    const afterMs = parseRetryAfter(retryAfter, nowMs);
    return afterMs === undefined ? { type: 'retry', status, message } : { type: 'retry', status, afterMs, message };
  }
  return { type: 'failed', status, message };
}

/** A fetch that threw: timeouts and network errors are retryable; nothing else reaches here. */
export function classifyError(error: unknown): SendResult {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { type: 'retry', message: 'timed out' };
  }
  return { type: 'retry', message: `network error: ${describeError(error)}` };
}

/**
 * Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP date. Unparseable values
 * are ignored (the backoff applies); a date in the past means "now".
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month; Date.parse alone would take "-3" for a year.
  const dateMs = /[A-Za-z]/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

// fetch wraps the socket error (ECONNREFUSED, ENOTFOUND, ...) in `cause`: that is the useful part.
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
