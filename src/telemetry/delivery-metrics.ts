import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Outbox } from '../delivery/create-outbox.ts';

/**
 * Outbox gauges per destination, read from its stats at scrape time. Destination names come
 * from configuration (slack, pagerduty, webhook, suspend), a bounded set.
 */
export function registerDeliveryMetrics(registry: Registry, outbox: Pick<Outbox, 'stats' | 'takeFirstAttemptWaits'>): void {
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
  // A withdrawn suspension callback is an enforcement that did not happen, and with ClickHouse
  // failing no alert about it can be recorded: this gauge is where it shows.
  gauge('warden_delivery_withdrawn', 'Deliveries withdrawn unsent since start because what they carry out could not be recorded', (s) => s.withdrawn);
  gauge('warden_delivery_unhealthy', '1 while the destination keeps failing', (s) => (s.unhealthy ? 1 : 0));
  // How long a notice or a callback waited before it went out: its durable write, and for the
  // suspension callback its action's append to the actions log. The part of alert latency
  // Warden adds after detection.
  new Histogram({
    name: 'warden_delivery_first_attempt_seconds',
    help: 'Seconds from a delivery being queued (alert change or enforcement decision) to its first attempt being sent',
    labelNames: ['destination'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
    collect() {
      for (const { destination, seconds } of outbox.takeFirstAttemptWaits()) this.observe({ destination }, seconds);
    },
  });
}
