import type { Logger } from 'pino';
import { createActionLog } from '../enforcer/action-log.ts';
import { createAgentStatusRegistry, type AgentStatusRegistry } from '../enforcer/agent-status-registry.ts';
import { createEnforcer, type Enforcer } from '../enforcer/enforcer.ts';
import { createActionLogStore } from '../store/action-log-store.ts';
import type { OpenedStore } from '../store/open-store.ts';

export interface Enforcement {
  enforcer: Enforcer;
  status: AgentStatusRegistry;
  /** Waits for decisions in progress to be recorded, then closes the log. */
  shutdown(): Promise<void>;
}

/**
 * The actions log (continuing its hash chain), the agent status rebuilt from it, and the
 * enforcer over both. Warden does not start without its audit log: an enforcement decision it
 * cannot record must not be taken.
 */
export async function startEnforcement(store: OpenedStore, logger: Logger): Promise<Enforcement> {
  const actionStore = createActionLogStore(store.client, store.database);
  if (!actionStore.ok) throw Object.assign(new Error(actionStore.error.message), { code: actionStore.error.code });
  const actionLog = createActionLog({
    client: store.client,
    database: store.database,
    logger: logger.child({ component: 'actions' }),
    store: actionStore.value,
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
  const enforcer = createEnforcer({ actionLog, status, callbacks: null, logger: logger.child({ component: 'enforcer' }) });
  return {
    enforcer,
    status,
    async shutdown() {
      await enforcer.settled();
      await actionLog.shutdown();
    },
  };
}
