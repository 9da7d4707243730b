/**
 * What one outbound attempt came to (STYLE.md principle 4): outbound calls return a value,
 * never throw. `failed` is permanent (retrying the same request cannot help); `retry` is an
 * outage or overload, with the receiver's Retry-After when it sent one.
 */
export type SendResult =
  | { type: 'ok'; status: number }
  | { type: 'failed'; status?: number; message: string }
  | { type: 'retry'; status?: number; afterMs?: number; message: string };
