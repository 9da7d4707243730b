import type { Result } from '../errors/warden-error.ts';

/**
 * The store's answer to a write: refused (the queues or the journal are full: push back), or
 * accepted, with `durable` resolving once the rows would survive a crash (journaled and
 * fdatasync'ed, or at once without a journal). Acknowledge the client only after `durable`.
 */
export type Admission = { ok: false } | { ok: true; durable: Promise<Result<void>> };

export const REFUSED: Admission = { ok: false };
export const ACCEPTED_IN_MEMORY: Admission = { ok: true, durable: Promise.resolve({ ok: true, value: undefined }) };
