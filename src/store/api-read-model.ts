import type { AgentView, AlertReadModel, ApiReadModel, OutcomeView } from '../api/read-model.ts';
import type { Result } from '../errors/warden-error.ts';
import type { ClickHouseAlertStore } from './alert-store.ts';
import type { AgentUsageRow } from './queries/agent-usage.ts';
import type { StoreReader } from './queries/store-reader.ts';

/**
 * The API's read model over the store. The API expects failures thrown (its error handler
 * answers 503), so a failed Result becomes an Error carrying the WardenError code.
 */
export function createApiReadModel(reader: StoreReader): ApiReadModel {
  async function withOpenAlerts(agents: AgentUsageRow[]): Promise<AgentView[]> {
    const open = unwrap(await reader.countOpenAlerts());
    // 'active' until the enforcer records suspensions; it owns that state.
    return agents.map((agent) => ({ ...agent, status: 'active', open_alerts: open.get(agent.id) ?? 0 }));
  }
  return {
    getTrace: async (traceId) => unwrap(await reader.getTrace(traceId)),
    listAgents: async (now) => withOpenAlerts(unwrap(await reader.listAgents(now.getTime()))),
    getAgent: async (id, now) => {
      const agent = unwrap(await reader.getAgent(id, now.getTime()));
      return agent === null ? null : ((await withOpenAlerts([agent]))[0] ?? null);
    },
    listOutcomes: async (query): Promise<OutcomeView[]> =>
      unwrap(await reader.listOutcomes({ agentId: query.agentId, traceId: query.traceId, limit: query.limit })).map((row) => ({
        agent_id: row.agent_id,
        trace_id: row.trace_id,
        session_id: row.session_id,
        name: row.name,
        value: row.value,
        success: row.success,
        ts: row.ts,
        source: row.source,
      })),
  };
}

/** The API's alert reads over the alerts table (latest version of each alert). */
export function createAlertReadModel(alerts: Pick<ClickHouseAlertStore, 'list' | 'get'>): AlertReadModel {
  return {
    listAlerts: async (query) =>
      unwrap(await alerts.list({ status: query.status, agentId: query.agentId, kind: query.kind, severity: query.severity, limit: query.limit })).map(
        (version) => version.alert,
      ),
    getAlert: async (id) => unwrap(await alerts.get(id))?.alert ?? null,
  };
}

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw Object.assign(new Error(result.error.message), { code: result.error.code });
}
