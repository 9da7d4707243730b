import { createHash } from 'node:crypto';
import type { ChainFields } from './action.ts';

/** prev_hash of the first row of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Names the encoding; a future change of it gets a new tag, and verify can tell them apart. */
export const HASH_ENCODING = 'warden.action.v1';

/**
 * The bytes a row's hash is computed over: the UTF-8 of the JSON array
 *   ["warden.action.v1", chain, seq, id, at, type, agent_id, actor, reason, alert_id,
 *    payload, prev_hash]
 * as JSON.stringify writes it (no whitespace), where seq and at (Unix milliseconds) are
 * decimal integer strings, alert_id is '' when absent, and payload is the canonical JSON text
 * of the payload (canonical-json.ts) as stored in the row, so verify hashes the stored text
 * without re-parsing it. A JSON array of strings cannot be read two ways ("ab" + "c" vs
 * "a" + "bc"), and every field is covered, so changing any of them changes the hash.
 * hash = lowercase hex SHA-256 of those bytes.
 */
export function actionHashInput(fields: ChainFields): string {
  return JSON.stringify([
    HASH_ENCODING,
    fields.chain,
    String(fields.seq),
    fields.id,
    String(fields.atMs),
    fields.type,
    fields.agentId,
    fields.actor,
    fields.reason,
    fields.alertId,
    fields.payloadJson,
    fields.prevHash,
  ]);
}

export function actionHash(fields: ChainFields): string {
  return createHash('sha256').update(actionHashInput(fields), 'utf8').digest('hex');
}
