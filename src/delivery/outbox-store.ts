import type { Result } from '../errors/warden-error.ts';
import type { DeliveryRecord } from './delivery.ts';

/** Where the outbox keeps its rows (ClickHouse in production: src/store/outbox-store.ts). */
export interface OutboxStore {
  /** Resolves once the row is durable; the outbox attempts nothing before that. */
  write(record: DeliveryRecord): Promise<Result<void>>;
  /** The latest version of every delivery still pending and updated since `sinceMs`. */
  loadPending(sinceMs: number): Promise<Result<DeliveryRecord[]>>;
}
