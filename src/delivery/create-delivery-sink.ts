import type { Logger } from 'pino';
import type { AlertChangeEvent, AlertSink } from '../alerter/alert-sink.ts';
import type { Severity } from '../policy/agent-policy.ts';
import type { NoticeLinks } from './alert-notice.ts';
import { alertmanagerMessage } from './alertmanager-webhook.ts';
import type { Outbox } from './create-outbox.ts';
import { routeNotices } from './notice-routing.ts';
import type { MinSeverities, RoutedNotice } from './notice-routing.ts';
import type { DestinationOptions } from './outbox-options.ts';
import { pagerDutyEvent } from './pagerduty-event.ts';
import { slackMessage } from './slack-message.ts';

export interface DeliveryRoutes {
  slack?: { url: string; minSeverity?: Severity };
  pagerduty?: { routingKey: string; url: string; minSeverity?: Severity };
  webhook?: { url: string; minSeverity?: Severity };
  /** Signs webhook requests (the x-warden-* headers); Slack and PagerDuty are not signed. */
  signingSecret?: string;
}

export interface DeliverySinkOptions {
  outbox: Pick<Outbox, 'enqueue'>;
  routes: DeliveryRoutes;
  /** Trace links in messages; unset = none. */
  links?: NoticeLinks;
  /** The Alertmanager `receiver` name. Default 'warden'. */
  receiver?: string;
  logger: Logger;
}

/** A notification a day late is noise: give up after 24 h (the callback has no such limit). */
export const NOTICE_MAX_AGE_MS = 24 * 3_600_000;

/** The outbox destinations for the configured routes, named as the sink enqueues them. */
export function noticeDestinations(routes: DeliveryRoutes): Record<string, DestinationOptions> {
  const destinations: Record<string, DestinationOptions> = {};
  if (routes.slack !== undefined) destinations['slack'] = { url: routes.slack.url, sendIdempotencyKey: false, maxAgeMs: NOTICE_MAX_AGE_MS };
  // PagerDuty allows about 120 events a minute per routing key: one at a time is plenty.
  if (routes.pagerduty !== undefined) {
    destinations['pagerduty'] = { url: routes.pagerduty.url, concurrency: 1, sendIdempotencyKey: false, maxAgeMs: NOTICE_MAX_AGE_MS };
  }
  if (routes.webhook !== undefined) {
    destinations['webhook'] = {
      url: routes.webhook.url,
      maxAgeMs: NOTICE_MAX_AGE_MS,
      ...(routes.signingSecret === undefined ? {} : { signingSecret: routes.signingSecret }),
    };
  }
  return destinations;
}

/**
 * The alerter's sink for people: turns alert changes into Slack, PagerDuty and webhook
 * deliveries in the outbox. Synchronous as AlertSink requires; the enqueue finishes in the
 * background and a refusal is logged (the alert itself is stored either way).
 */
export function createDeliverySink(options: DeliverySinkOptions): AlertSink {
  const { routes, logger } = options;
  const links = options.links ?? {};
  const destinations = (['slack', 'pagerduty', 'webhook'] as const).filter((d) => routes[d] !== undefined);
  const minimums: MinSeverities = {};
  for (const destination of destinations) {
    const minimum = routes[destination]?.minSeverity;
    if (minimum !== undefined) minimums[destination] = minimum;
  }

  function payloadOf(routed: RoutedNotice): string {
    switch (routed.destination) {
      case 'slack':
        return JSON.stringify(slackMessage(routed.alert, routed.notice, links));
      case 'pagerduty':
        return JSON.stringify(pagerDutyEvent(routed.alert, routed.notice, routes.pagerduty?.routingKey ?? '', links));
      case 'webhook':
        return JSON.stringify(alertmanagerMessage(routed.alert, links, options.receiver));
    }
  }

  function enqueue(routed: RoutedNotice): void {
    const { alert, notice, destination } = routed;
    const delivery = {
      destination,
      payload: payloadOf(routed),
      // One key per notice: the same on every retry, distinct for the next change.
      idempotencyKey: `${alert.id}:${alert.fingerprint.slice(0, 8)}:${notice}:${alert.severity}`,
      // A resolve must not overtake its trigger at the receiver.
      orderKey: alert.fingerprint,
      meta: { alert_id: alert.id, agent_id: alert.agent_id, notice },
    };
    options.outbox.enqueue(delivery).then(
      (result) => {
        if (!result.ok) logger.warn({ destination, alertId: alert.id, notice, err: result.error }, 'notification not queued');
      },
      (error: unknown) => logger.error({ destination, alertId: alert.id, notice, err: error }, 'notification not queued'),
    );
  }

  return {
    onAlertChange(event: AlertChangeEvent) {
      for (const routed of routeNotices(event, destinations, minimums)) enqueue(routed);
    },
  };
}
