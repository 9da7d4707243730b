import { Gauge, type Registry } from 'prom-client';
import type { Outbox } from '../delivery/create-outbox.ts';

/**
 * Outbox gauges per destination, read from its stats at scrape time. Destination names come
 * from configuration (slack, pagerduty, webhook, suspend), a bounded set.
 */
export function registerDeliveryMetrics(registry: Registry, outbox: Pick<Outbox, 'stats'>): void {
  const gauge = (name: string, help: string, read: (stats: ReturnType<Outbox['stats']>[string]) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['destination'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [destination, stats] of Object.entries(outbox.stats())) this.set({ destination }, read(stats));
      },
    });
  };
  gauge('warden_delivery_pending', 'Deliveries waiting to be sent or retried', (s) => s.pending);
  gauge('warden_delivery_delivered', 'Deliveries acknowledged by the destination since start', (s) => s.delivered);
  gauge('warden_delivery_failed', 'Deliveries permanently refused since start', (s) => s.failed);
  gauge('warden_delivery_consecutive_failures', 'Failed attempts in a row; 0 after a success', (s) => s.consecutiveFailures);
  gauge('warden_delivery_unhealthy', '1 while the destination keeps failing', (s) => (s.unhealthy ? 1 : 0));
}
