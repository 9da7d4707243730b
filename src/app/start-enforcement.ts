import type { Logger } from 'pino';
import { createActionLog } from '../enforcer/action-log.ts';
import { createAgentStatusRegistry, type AgentStatusRegistry } from '../enforcer/agent-status-registry.ts';
import { createEnforcer, type Enforcer } from '../enforcer/enforcer.ts';
import { createPeerStatusSync } from '../enforcer/peer-status-sync.ts';
import { createActionLogStore } from '../store/action-log-store.ts';
import type { OpenedStore } from '../store/open-store.ts';
import type { DeliveryRecord } from '../delivery/delivery.ts';
import type { Finding } from '../detector/finding.ts';
import type { SuspensionCallbackQueue } from '../enforcer/suspension-callback.ts';

export interface Enforcement {
  enforcer: Enforcer;
  status: AgentStatusRegistry;
  /**
   * The outcome of a suspension callback: delivered marks the suspension effective (spans after
   * it are suspended_activity); refused is recorded and reported as a critical finding, because
   * the kill switch did not work.
   */
  callbackSettled(record: DeliveryRecord, report: (finding: Finding) => void): void;
  /** Waits for decisions in progress to be recorded, then closes the log. */
  shutdown(): Promise<void>;
}

/**
 * The actions log (continuing its hash chain), the agent status rebuilt from it, and the
 * enforcer over both. Warden does not start without its audit log: an enforcement decision it
 * cannot record must not be taken.
 */
export async function startEnforcement(
  store: OpenedStore,
  callbacks: SuspensionCallbackQueue | null,
  instanceId: string,
  logger: Logger,
): Promise<Enforcement> {
  const actionStore = createActionLogStore(store.client, store.database);
  if (!actionStore.ok) throw Object.assign(new Error(actionStore.error.message), { code: actionStore.error.code });
  const actionLog = createActionLog({
    client: store.client,
    database: store.database,
    logger: logger.child({ component: 'actions' }),
    store: actionStore.value,
    chain: instanceId,
  });
  const started = await actionLog.start();
  if (!started.ok) throw Object.assign(new Error(started.error.message), { code: started.error.code });
  const status = createAgentStatusRegistry({
    load: (limit) => actionStore.value.suspensions(limit),
    logger,
  });
  const loaded = await status.start();
  if (!loaded.ok) throw Object.assign(new Error(loaded.error.message), { code: loaded.error.code });
  if (status.size() > 0) logger.info({ suspended: status.size() }, 'suspended agents restored');
  const peers = createPeerStatusSync({ ownChain: instanceId, load: actionStore.value.peerStatusActions, status, logger });
  peers.start();
  const enforcer = createEnforcer({ actionLog, status, callbacks, logger: logger.child({ component: 'enforcer' }) });
  return {
    enforcer,
    status,
    callbackSettled(record, report) {
      const actionId = record.meta['action_id'] ?? record.idempotencyKey;
      const agentId = record.meta['agent_id'] ?? '';
      const type = record.meta['type'] ?? '';
      const delivered = record.status === 'delivered';
      const event = {
        type: delivered ? ('callback_delivered' as const) : ('callback_failed' as const),
        agentId,
        actor: 'warden',
        reason: delivered ? `${type} callback delivered` : `${type} callback refused: ${record.lastError}`,
        payload: { action_id: actionId, callback_type: type, attempts: record.attempts },
      };
      void actionLog.append(event).then((appended) => {
        if (appended.ok) status.apply(appended.value);
        else logger.error({ code: appended.error.code, agentId }, `callback outcome not recorded: ${appended.error.message}`);
      });
      if (!delivered && type === 'agent.suspend') {
        report({
          kind: 'suspended_activity',
          rule: 'kill_switch_failed',
          agentId,
          traceId: '',
          sessionId: '',
          summary: `the suspension callback for ${agentId} was permanently refused: the kill switch did not work (${record.lastError})`,
          evidence: { span_ids: [], action_id: actionId, attempts: record.attempts, last_error: record.lastError },
          observedAtMs: record.updatedAtMs,
        });
      }
    },
    async shutdown() {
      await peers.shutdown();
      await enforcer.settled();
      await actionLog.shutdown();
    },
  };
}
