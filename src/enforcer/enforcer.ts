import type { Logger } from 'pino';
import type { Alert } from '../alerter/alert.ts';
import { newAlertId } from '../alerter/alert-identity.ts';
import type { AlertChangeEvent, AlertSink } from '../alerter/alert-sink.ts';
import { ok, type Result } from '../errors/warden-error.ts';
import type { ActionRecord } from './action.ts';
import type { ActionLog } from './action-log.ts';
import type { AgentStatus, AgentStatusRegistry } from './agent-status-registry.ts';
import type { SuspensionCallbackBody, SuspensionCallbackQueue } from './suspension-callback.ts';

export interface ManualAction {
  agentId: string;
  /** Who asked: `warden` for policy decisions, `api` (or the caller's name) for manual ones. */
  actor: string;
  reason: string;
}

export interface Enforcer extends AlertSink {
  /** Suspends now (status first, then the action row, then the callback); null = already suspended. */
  suspend(action: ManualAction & { alert?: Alert | null }): Promise<Result<ActionRecord | null>>;
  /** Resumes and sends `agent.resume`; null = the agent was not suspended. */
  resume(action: ManualAction): Promise<Result<ActionRecord | null>>;
  statusOf(agentId: string): AgentStatus;
  /** Resolves when every decision taken so far is recorded and its callback queued. */
  settled(): Promise<void>;
}

/**
 * The enforcer stage: policy said `suspend` (or `would_suspend` in shadow mode) for an alert, so
 * the agent is suspended in Warden's view at once, the decision is appended to the hash-chained
 * actions log, and the signed callback is queued durably. Decisions are serialized so the log's
 * order is the order they were taken in.
 */
export function createEnforcer(deps: {
  actionLog: ActionLog;
  status: AgentStatusRegistry;
  /** null when WARDEN_SUSPEND_URL is unset: suspensions are recorded, nobody is called. */
  callbacks: SuspensionCallbackQueue | null;
  logger: Logger;
  clock?: () => number;
}): Enforcer {
  const clock = deps.clock ?? Date.now;
  let chain: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  async function record(type: 'suspend' | 'resume' | 'would_suspend', action: ManualAction, alert: Alert | null, id: string, atMs: number): Promise<Result<ActionRecord>> {
    const appended = await deps.actionLog.append({
      id,
      atMs,
      type,
      agentId: action.agentId,
      actor: action.actor,
      reason: action.reason,
      ...(alert ? { alertId: alert.id } : {}),
      payload: alert ? { alert_kind: alert.kind, alert_rule: alert.rule, severity: alert.severity, fingerprint: alert.fingerprint } : {},
    });
    if (!appended.ok) deps.logger.error({ code: appended.error.code, agentId: action.agentId, type }, `action not recorded: ${appended.error.message}`);
    return appended;
  }

  async function call(type: SuspensionCallbackBody['type'], action: ManualAction, alert: Alert | null, id: string, atMs: number): Promise<void> {
    if (deps.callbacks === null) return;
    const queued = await deps.callbacks.enqueue({
      type,
      id,
      agent_id: action.agentId,
      reason: action.reason,
      alert: alert ? { id: alert.id, kind: alert.kind, severity: alert.severity, summary: alert.summary, trace_id: alert.trace_id, evidence: alert.evidence } : null,
      at: new Date(atMs).toISOString(),
    });
    if (!queued.ok) deps.logger.error({ code: queued.error.code, agentId: action.agentId, type }, `callback not queued: ${queued.error.message}`);
  }

  function suspend(action: ManualAction & { alert?: Alert | null }): Promise<Result<ActionRecord | null>> {
    if (deps.status.statusOf(action.agentId) === 'suspended') return Promise.resolve(ok(null));
    const id = newAlertId(clock());
    const atMs = clock();
    // Suspended from the moment of decision: spans arriving while the row is written see it.
    deps.status.apply({ type: 'suspend', agentId: action.agentId, id, atMs, reason: action.reason, payload: {} });
    deps.logger.warn({ agentId: action.agentId, actor: action.actor, actionId: id }, `agent suspended: ${action.reason}`);
    const alert = action.alert ?? null;
    return serialize(async () => {
      const recorded = await record('suspend', action, alert, id, atMs);
      await call('agent.suspend', action, alert, id, atMs);
      return recorded;
    });
  }

  function resume(action: ManualAction): Promise<Result<ActionRecord | null>> {
    if (deps.status.statusOf(action.agentId) !== 'suspended') return Promise.resolve(ok(null));
    const id = newAlertId(clock());
    const atMs = clock();
    deps.status.apply({ type: 'resume', agentId: action.agentId, id, atMs, reason: action.reason, payload: {} });
    deps.logger.info({ agentId: action.agentId, actor: action.actor, actionId: id }, `agent resumed: ${action.reason}`);
    return serialize(async () => {
      const recorded = await record('resume', action, null, id, atMs);
      await call('agent.resume', action, null, id, atMs);
      return recorded;
    });
  }

  return {
    onAlertChange(event: AlertChangeEvent) {
      if (event.type !== 'opened' && event.type !== 'updated') return;
      const { alert, previous } = event;
      // Alerts about Warden itself (agent id '') have no agent to suspend.
      if (alert.agent_id === '' || previous?.action === alert.action) return;
      const reason = `${alert.kind} (${alert.severity}): ${alert.summary}`;
      if (alert.action === 'suspend') {
        void suspend({ agentId: alert.agent_id, actor: 'warden', reason, alert });
      } else if (alert.action === 'would_suspend') {
        const id = newAlertId(clock());
        const atMs = clock();
        void serialize(() => record('would_suspend', { agentId: alert.agent_id, actor: 'warden', reason }, alert, id, atMs));
      }
    },
    suspend,
    resume,
    statusOf: (agentId) => deps.status.statusOf(agentId),
    settled: () => chain.then(() => undefined),
  };
}
