import { alterColumnsDdl } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { TABLES } from '../table-names.ts';

/**
 * What the alerter records beyond the first alerts schema: the rule within the kind (part of
 * the fingerprint), the session of the latest finding, the ack's reason, when it resolved, and
 * which alert it was folded into when its agent was re-attributed. Empty strings stand for
 * "none" where the column is not Nullable.
 */
export function alertColumnsDdl(ctx: DdlContext): string[] {
  return alterColumnsDdl(
    ctx,
    TABLES.alerts,
    `ADD COLUMN IF NOT EXISTS rule String AFTER kind,
    ADD COLUMN IF NOT EXISTS session_id String AFTER trace_id,
    ADD COLUMN IF NOT EXISTS ack_reason String AFTER acked_by,
    ADD COLUMN IF NOT EXISTS resolved_at Nullable(DateTime64(3)) AFTER ack_reason,
    ADD COLUMN IF NOT EXISTS merged_into String AFTER resolved_at`,
  );
}
