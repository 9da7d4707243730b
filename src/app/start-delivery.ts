import type { Logger } from 'pino';
import type { AlertSink } from '../alerter/alert-sink.ts';
import type { WardenConfig } from '../config/config-schema.ts';
import { createDeliverySink, noticeDestinations, type DeliveryRoutes } from '../delivery/create-delivery-sink.ts';
import { createOutbox, type Outbox } from '../delivery/create-outbox.ts';
import type { DeliveryRecord } from '../delivery/delivery.ts';
import type { DestinationHealth } from '../delivery/destination-health.ts';
import type { DestinationOptions } from '../delivery/outbox-options.ts';
import type { SuspensionCallbackQueue } from '../enforcer/suspension-callback.ts';
import { recordedActionIds } from '../store/action-log-store.ts';
import { ok } from '../errors/warden-error.ts';
import { createOutboxStore } from '../store/outbox-store.ts';
import type { OpenedStore } from '../store/open-store.ts';

/** The outbox destination name of the suspension callback. */
export const SUSPEND_DESTINATION = 'suspend';

export interface Delivery {
  outbox: Outbox;
  /** Notifications to Slack / PagerDuty / the webhook; null when none is configured. */
  notifications: AlertSink | null;
  /** The suspension callback queue; null when WARDEN_SUSPEND_URL is unset. */
  callbacks: SuspensionCallbackQueue | null;
}

export interface DeliveryHooks {
  /** A suspension callback was delivered or permanently refused. */
  onCallbackSettled(record: DeliveryRecord): void;
  onDestinationUnhealthy(destination: string, health: DestinationHealth): void;
}

/**
 * One durable outbox for everything Warden sends: notifications and the signed suspension
 * callback. Pending deliveries from before a restart resume when it starts.
 */
export async function startDelivery(config: Readonly<WardenConfig>, store: OpenedStore, hooks: DeliveryHooks, logger: Logger): Promise<Delivery> {
  const routes: DeliveryRoutes = {
    ...(config.slackWebhookUrl ? { slack: { url: config.slackWebhookUrl, minSeverity: config.slackMinSeverity } } : {}),
    ...(config.pagerduty.routingKey
      ? { pagerduty: { routingKey: config.pagerduty.routingKey, url: config.pagerduty.url, minSeverity: config.pagerduty.minSeverity } }
      : {}),
    ...(config.webhookUrl ? { webhook: { url: config.webhookUrl, minSeverity: config.webhookMinSeverity } } : {}),
    ...(config.signingSecret ? { signingSecret: config.signingSecret } : {}),
  };
  const destinations: Record<string, DestinationOptions> = { ...noticeDestinations(routes) };
  if (config.suspendUrl) {
    // No maxAge: a kill switch is retried until delivered or refused, never given up on.
    destinations[SUSPEND_DESTINATION] = { url: config.suspendUrl, ...(config.signingSecret ? { signingSecret: config.signingSecret } : {}) };
  }
  const outboxStore = createOutboxStore(store.client, store.database, config.instanceId);
  if (!outboxStore.ok) throw Object.assign(new Error(outboxStore.error.message), { code: outboxStore.error.code });
  const outbox = createOutbox({
    store: outboxStore.value,
    destinations,
    logger: logger.child({ component: 'outbox' }),
    onSettled: (record) => {
      if (record.destination === SUSPEND_DESTINATION) hooks.onCallbackSettled(record);
    },
    onDestinationUnhealthy: (destination, health) => hooks.onDestinationUnhealthy(destination, health),
    // A callback's row is written side by side with its action's: one left pending by a crash
    // goes out only if its action made it into the log.
    vetResumed: async (records) => {
      const callbacks = records.filter((record) => record.destination === SUSPEND_DESTINATION);
      const recorded = await recordedActionIds(store.client, store.database, callbacks.map(actionIdOf));
      if (!recorded.ok) return recorded;
      return ok(new Set(records.filter((record) => record.destination !== SUSPEND_DESTINATION || recorded.value.has(actionIdOf(record))).map((record) => record.id)));
    },
  });
  const started = await outbox.start();
  if (!started.ok) throw Object.assign(new Error(started.error.message), { code: started.error.code });

  const hasNotifications = routes.slack !== undefined || routes.pagerduty !== undefined || routes.webhook !== undefined;
  const publicUrl = config.publicUrl ?? `http://${config.api.addr.host.includes(':') ? `[${config.api.addr.host}]` : config.api.addr.host}:${config.api.addr.port}`;
  return {
    outbox,
    notifications: hasNotifications ? createDeliverySink({ outbox, routes, links: { publicUrl }, logger: logger.child({ component: 'notifications' }) }) : null,
    callbacks: config.suspendUrl
      ? {
          enqueue: (body, recorded) =>
            outbox.enqueue(
              {
                destination: SUSPEND_DESTINATION,
                payload: JSON.stringify(body),
                idempotencyKey: body.id,
                // A resume never overtakes the suspend before it.
                orderKey: body.agent_id,
                meta: { action_id: body.id, type: body.type, agent_id: body.agent_id },
              },
              recorded,
            ),
        }
      : null,
  };
}

const actionIdOf = (record: DeliveryRecord): string => record.meta['action_id'] ?? record.idempotencyKey;
