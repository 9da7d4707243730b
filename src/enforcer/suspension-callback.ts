import type { Result } from '../errors/warden-error.ts';

/** The body of the suspension callback (DESIGN.md "Suspension callback"). */
export interface SuspensionCallbackBody {
  type: 'agent.suspend' | 'agent.resume';
  /** The action id; also the idempotency key, the same on every retry. */
  id: string;
  agent_id: string;
  reason: string;
  alert: { id: string; kind: string; severity: string; summary: string; trace_id: string; evidence: unknown } | null;
  /** RFC 3339 time of the decision. */
  at: string;
}

/**
 * Where the enforcer hands callbacks: a durable outbox that signs, sends and retries them.
 * Resolves once the callback is queued durably, not when it is delivered. `recorded` is the
 * action's own append to the actions log, written side by side with the callback's row: the
 * callback is attempted only once it resolved true, and never sent when it resolved false
 * (an action not in the log has no effect).
 */
export interface SuspensionCallbackQueue {
  enqueue(body: SuspensionCallbackBody, recorded: Promise<boolean>): Promise<Result<void>>;
}
