import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Transport = 'grpc' | 'http';
export type Signal = 'traces' | 'logs';

/**
 * Warden's own Prometheus metrics. Every label comes from a bounded set (transport, signal,
 * outcome code, table); agent-supplied text never becomes a label.
 */
export interface WardenMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'transport' | 'signal' | 'outcome'>;
  readonly itemsAccepted: Counter<'signal'>;
  readonly itemsRejected: Counter<'signal'>;
  readonly queueDepth: Gauge<'table'>;
  readonly queueCapacity: Gauge<'table'>;
  readonly rowsWritten: Counter<'table'>;
  readonly flushFailures: Counter<'table'>;
  readonly flushSeconds: Histogram<'table'>;
}

export function createMetrics(): WardenMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'warden_process_' });
  return {
    registry,
    requests: new Counter({
      name: 'warden_ingest_requests_total',
      help: 'OTLP export requests by transport, signal and outcome (ok, partial, or the error code)',
      labelNames: ['transport', 'signal', 'outcome'],
      registers: [registry],
    }),
    itemsAccepted: new Counter({
      name: 'warden_ingest_items_accepted_total',
      help: 'Spans or outcome log records accepted for storage',
      labelNames: ['signal'],
      registers: [registry],
    }),
    itemsRejected: new Counter({
      name: 'warden_ingest_items_rejected_total',
      help: 'Spans or log records refused through OTLP partial success',
      labelNames: ['signal'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'warden_store_queue_rows',
      help: 'Rows accepted and waiting to be written to ClickHouse',
      labelNames: ['table'],
      registers: [registry],
    }),
    queueCapacity: new Gauge({
      name: 'warden_store_queue_capacity_rows',
      help: 'Rows the write queue holds before receivers push back',
      labelNames: ['table'],
      registers: [registry],
    }),
    rowsWritten: new Counter({
      name: 'warden_store_rows_written_total',
      help: 'Rows written to ClickHouse',
      labelNames: ['table'],
      registers: [registry],
    }),
    flushFailures: new Counter({
      name: 'warden_store_flush_failures_total',
      help: 'Inserts that failed and were retried',
      labelNames: ['table'],
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: 'warden_store_flush_seconds',
      help: 'Time to write one batch to ClickHouse',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
