import type { DeliveryRecord } from '../../../src/delivery/delivery.ts';
import type { OutboxStore } from '../../../src/delivery/outbox-store.ts';
import { fail, ok } from '../../../src/errors/warden-error.ts';

/** The outbox table in memory: every version kept; writes can be refused. */
export function memoryOutboxStore(initial: DeliveryRecord[] = []) {
  const versions: DeliveryRecord[] = [...initial];
  const control = { refuseWrites: false };
  const store: OutboxStore = {
    async write(record) {
      await Promise.resolve();
      if (control.refuseWrites) return fail('WARDEN_STORE_UNAVAILABLE', 'store down');
      versions.push(record);
      return ok(undefined);
    },
    async loadPending(sinceMs) {
      const latest = new Map<string, DeliveryRecord>();
      for (const v of versions) if ((latest.get(v.id)?.version ?? -1) < v.version) latest.set(v.id, v);
      return ok([...latest.values()].filter((r) => r.status === 'pending' && r.updatedAtMs >= sinceMs).sort((a, b) => a.sequence - b.sequence));
    },
  };
  return { store, versions, control };
}
