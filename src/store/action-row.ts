import type { ChainRow } from '../enforcer/action.ts';
import { millisToDateTime64 } from './datetime64.ts';
import { toJsonLine } from './json-line.ts';
import { numberOf } from './queries/query-json.ts';

/** One actions row as a JSONEachRow line. */
export function actionRowToJsonLine(row: ChainRow): string {
  return toJsonLine({
    chain: row.chain,
    seq: row.seq,
    id: row.id,
    at: millisToDateTime64(row.atMs),
    type: row.type,
    agent_id: row.agentId,
    actor: row.actor,
    reason: row.reason,
    alert_id: row.alertId,
    payload: row.payloadJson,
    prev_hash: row.prevHash,
    hash: row.hash,
  });
}

/** The columns rawToChainRow reads. `at` as Unix ms text: exact whatever the time zone. Aliases
 *  differ from column names: ClickHouse would otherwise use the text in WHERE and ORDER BY. */
export const ACTION_COLUMNS = `chain, toString(seq) AS seq_text, id, toString(toUnixTimestamp64Milli(at)) AS at_ms, type, agent_id,
  actor, reason, alert_id, payload, prev_hash, hash`;

export interface RawActionRow {
  chain: string;
  seq_text: string;
  id: string;
  at_ms: string | number;
  type: string;
  agent_id: string;
  actor: string;
  reason: string;
  alert_id: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export function rawToChainRow(raw: RawActionRow): ChainRow {
  return {
    chain: raw.chain,
    seq: numberOf(raw.seq_text),
    id: raw.id,
    atMs: numberOf(raw.at_ms),
    type: raw.type,
    agentId: raw.agent_id,
    actor: raw.actor,
    reason: raw.reason,
    alertId: raw.alert_id,
    payloadJson: raw.payload,
    prevHash: raw.prev_hash,
    hash: raw.hash,
  };
}
