import type { Logger } from 'pino';
import { ok, type Result } from '../errors/warden-error.ts';
import type { StoredSuspension } from '../store/queries/action-queries.ts';
import type { ActionRecord } from './action.ts';

export type AgentStatus = 'active' | 'suspended';

export interface AgentSuspension {
  /** The suspend action's id: the callback's idempotency key. */
  actionId: string;
  /** Unix ms of the decision: the agent is suspended in Warden's view from then on. */
  sinceMs: number;
  reason: string;
  /** Unix ms the suspend callback was delivered, null until it was. `suspended_activity`
   *  counts spans after this, not after the decision: the agent cannot stop before it is told. */
  deliveredAtMs: number | null;
}

/** What changes a status: an action as appended (or about to be; see apply). */
export type StatusEvent = Pick<ActionRecord, 'type' | 'agentId' | 'id' | 'atMs' | 'reason' | 'payload'>;

export interface AgentStatusRegistry {
  /** Loads the suspended agents from the actions table. Events applied before it finished win. */
  start(): Promise<Result<void>>;
  /**
   * Synchronous: the enforcer calls it at the moment of decision, before the action's row is
   * written, so a span arriving meanwhile already sees the agent suspended. suspend and resume
   * change the status; callback_delivered (payload.action_id = the suspend's id) marks the
   * suspension delivered; other types are ignored.
   */
  apply(event: StatusEvent): void;
  statusOf(agentId: string): AgentStatus;
  /** Unix ms of the current suspension, undefined when active. */
  suspendedSince(agentId: string): number | undefined;
  suspension(agentId: string): AgentSuspension | undefined;
  /** Suspended agents held. */
  size(): number;
  /** Their ids, longest suspended first. */
  suspendedAgents(): string[];
}

export interface AgentStatusDeps {
  /** The suspended agents, newest first, at most `limit` (src/store/queries/action-queries.ts). */
  load(limit: number): Promise<Result<StoredSuspension[]>>;
  logger: Logger;
  /** Suspended agents held in memory. Default 10 000 (about 3 MB). */
  maxSuspended?: number;
}

/**
 * Agent status derived from the actions log. Only suspended agents are held (every other agent
 * is active), so memory follows the number of suspensions, not the fleet. Past maxSuspended the
 * longest-suspended agent is dropped from memory with an error log (the table still has it,
 * and a restart loads the newest maxSuspended): a fleet with that many agents suspended has a
 * bigger problem than this bound, and refusing the newest suspension would be worse.
 */
export function createAgentStatusRegistry(deps: AgentStatusDeps): AgentStatusRegistry {
  const maxSuspended = deps.maxSuspended ?? 10_000;
  const logger = deps.logger.child({ component: 'agent-status' });
  // Insertion order = suspension order, so the first key is the longest suspended.
  const suspended = new Map<string, AgentSuspension>();
  // Agents whose status changed since start() began: the loaded state is older for them.
  const changed = new Set<string>();
  let loading = false;

  function hold(agentId: string, suspension: AgentSuspension): void {
    suspended.delete(agentId);
    suspended.set(agentId, suspension);
    if (suspended.size <= maxSuspended) return;
    const [oldest] = suspended.keys();
    if (oldest === undefined) return;
    suspended.delete(oldest);
    logger.error({ agentId: oldest, maxSuspended }, 'too many suspended agents held; the longest-suspended one now reads as active in memory (the actions table still records it)');
  }

  return {
    async start() {
      loading = true;
      changed.clear();
      try {
        const loaded = await deps.load(maxSuspended);
        if (!loaded.ok) return loaded;
        // Oldest first, so the map's order stays suspension order.
        for (const row of [...loaded.value].reverse()) {
          if (changed.has(row.agentId)) continue;
          hold(row.agentId, { actionId: row.actionId, sinceMs: row.sinceMs, reason: row.reason, deliveredAtMs: row.deliveredAtMs });
        }
        logger.info({ suspended: suspended.size }, 'agent status restored');
        return ok(undefined);
      } finally {
        loading = false;
        changed.clear();
      }
    },

    apply(event) {
      if (event.type === 'suspend') {
        if (loading) changed.add(event.agentId);
        hold(event.agentId, { actionId: event.id, sinceMs: event.atMs, reason: event.reason, deliveredAtMs: null });
      } else if (event.type === 'resume') {
        if (loading) changed.add(event.agentId);
        suspended.delete(event.agentId);
      } else if (event.type === 'callback_delivered') {
        const current = suspended.get(event.agentId);
        if (current !== undefined && current.deliveredAtMs === null && event.payload['action_id'] === current.actionId) {
          current.deliveredAtMs = event.atMs;
        }
      }
    },

    statusOf: (agentId) => (suspended.has(agentId) ? 'suspended' : 'active'),
    suspendedSince: (agentId) => suspended.get(agentId)?.sinceMs,
    suspension(agentId) {
      const current = suspended.get(agentId);
      return current === undefined ? undefined : { ...current };
    },
    size: () => suspended.size,
    suspendedAgents: () => [...suspended.keys()],
  };
}
