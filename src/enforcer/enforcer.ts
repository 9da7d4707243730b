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
  /** Suspends now (status first, then the action row and the callback's row side by side; the
   *  callback is attempted once the action is recorded); null = already suspended. */
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
 * actions log, and the signed callback is queued durably. Both writes start at the decision, side
 * by side: the log keeps the order decisions were taken in (appends are written one at a time, in
 * call order), the outbox keeps per-agent order (enqueue order), and the callback is attempted
 * only once its action is recorded, never for one that is not. A decision does not wait for the
 * one before it to be written.
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
  const inProgress = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inProgress.add(work);
    const done = (): void => {
      inProgress.delete(work);
    };
    work.then(done, done);
    return work;
  };

  function record(type: 'suspend' | 'resume' | 'would_suspend', action: ManualAction, alert: Alert | null, id: string, atMs: number): Promise<Result<ActionRecord>> {
    // append() is called before this returns: the log's order is the order of decisions.
    return deps.actionLog
      .append({
        id,
        atMs,
        type,
        agentId: action.agentId,
        actor: action.actor,
        reason: action.reason,
        ...(alert ? { alertId: alert.id } : {}),
        payload: alert ? { alert_kind: alert.kind, alert_rule: alert.rule, severity: alert.severity, fingerprint: alert.fingerprint } : {},
      })
      .then((appended) => {
        if (!appended.ok) deps.logger.error({ code: appended.error.code, agentId: action.agentId, type }, `action not recorded: ${appended.error.message}`);
        return appended;
      });
  }

  async function call(type: SuspensionCallbackBody['type'], action: ManualAction, alert: Alert | null, id: string, atMs: number, recorded: Promise<boolean>): Promise<void> {
    if (deps.callbacks === null) return;
    const queued = await deps.callbacks.enqueue(
      {
        type,
        id,
        agent_id: action.agentId,
        reason: action.reason,
        alert: alert ? { id: alert.id, kind: alert.kind, severity: alert.severity, summary: alert.summary, trace_id: alert.trace_id, evidence: alert.evidence } : null,
        at: new Date(atMs).toISOString(),
      },
      recorded,
    );
    if (!queued.ok) deps.logger.error({ code: queued.error.code, agentId: action.agentId, type }, `callback not queued: ${queued.error.message}`);
  }

  /** The action row and the callback row, written side by side; resolves with the action. */
  function decide(type: 'suspend' | 'resume', action: ManualAction, alert: Alert | null, id: string, atMs: number): Promise<Result<ActionRecord>> {
    const recorded = record(type, action, alert, id, atMs);
    const queued = call(type === 'suspend' ? 'agent.suspend' : 'agent.resume', action, alert, id, atMs, recorded.then((appended) => appended.ok));
    return track(Promise.all([recorded, queued]).then(([appended]) => appended));
  }

  function suspend(action: ManualAction & { alert?: Alert | null }): Promise<Result<ActionRecord | null>> {
    if (deps.status.statusOf(action.agentId) === 'suspended') return Promise.resolve(ok(null));
    const id = newAlertId(clock());
    const atMs = clock();
    // Suspended from the moment of decision: spans arriving while the row is written see it.
    deps.status.apply({ type: 'suspend', agentId: action.agentId, id, atMs, reason: action.reason, payload: {} });
    deps.logger.warn({ agentId: action.agentId, actor: action.actor, actionId: id }, `agent suspended: ${action.reason}`);
    return decide('suspend', action, action.alert ?? null, id, atMs);
  }

  function resume(action: ManualAction): Promise<Result<ActionRecord | null>> {
    if (deps.status.statusOf(action.agentId) !== 'suspended') return Promise.resolve(ok(null));
    const id = newAlertId(clock());
    const atMs = clock();
    deps.status.apply({ type: 'resume', agentId: action.agentId, id, atMs, reason: action.reason, payload: {} });
    deps.logger.info({ agentId: action.agentId, actor: action.actor, actionId: id }, `agent resumed: ${action.reason}`);
    return decide('resume', action, null, id, atMs);
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
        void track(record('would_suspend', { agentId: alert.agent_id, actor: 'warden', reason }, alert, id, atMs));
      }
    },
    suspend,
    resume,
    statusOf: (agentId) => deps.status.statusOf(agentId),
    async settled() {
      while (inProgress.size > 0) await Promise.allSettled([...inProgress]);
    },
  };
}
