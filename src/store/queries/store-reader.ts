import type { ClickHouseClient } from '@clickhouse/client';
import { ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { validateIdentifier } from '../identifiers.ts';
import { getAgent, listAgents } from './agent-usage.ts';
import type { AgentUsageRow } from './agent-usage.ts';
import { getTrace } from './get-trace.ts';
import type { TraceSpanRow } from './get-trace.ts';
import { listOutcomes } from './list-outcomes.ts';
import { countOpenAlerts } from './open-alerts.ts';
import type { OutcomeFilter, OutcomeRow } from './list-outcomes.ts';

/** The reads the API needs. A failed query is WARDEN_STORE_UNAVAILABLE (answer 503). */
export interface StoreReader {
  /** The spans of a trace, oldest first; [] for an unknown or malformed id. */
  getTrace(traceId: string): Promise<Result<TraceSpanRow[]>>;
  listAgents(nowMs: number): Promise<Result<AgentUsageRow[]>>;
  getAgent(id: string, nowMs: number): Promise<Result<AgentUsageRow | null>>;
  listOutcomes(filter?: OutcomeFilter): Promise<Result<OutcomeRow[]>>;
  /** Firing alerts per agent id. */
  countOpenAlerts(): Promise<Result<Map<string, number>>>;
}

export function createStoreReader(client: ClickHouseClient, options: { database: string }): Result<StoreReader> {
  const database = validateIdentifier(options.database, 'storage.database');
  if (!database.ok) return database;
  const context = { client, database: database.value };
  return ok({
    getTrace: (traceId) => getTrace(context, traceId),
    listAgents: (nowMs) => listAgents(context, nowMs),
    getAgent: (id, nowMs) => getAgent(context, id, nowMs),
    listOutcomes: (filter) => listOutcomes(context, filter),
    countOpenAlerts: () => countOpenAlerts(context),
  });
}
