// Watches Warden through its public REST API, as an operator's dashboard would: new alerts and
// agent status changes are printed as they appear.
import { paint, say, severityColour } from './demo-output.ts';

export interface AlertSeen {
  readonly id: string;
  readonly kind: string;
  readonly rule: string;
  readonly agent_id: string;
  readonly severity: string;
  readonly action: string;
  readonly first_seen: string;
}

export interface AgentSeen {
  readonly id: string;
  readonly status: string;
}

export interface Watch {
  readonly alerts: ReadonlyMap<string, AlertSeen>;
  readonly statuses: ReadonlyMap<string, string>;
  /** One more look, so nothing that happened before the stop is missed; then stops polling. */
  stop(): Promise<void>;
}

export function watchWarden(apiUrl: string, intervalMs = 300): Watch {
  const alerts = new Map<string, AlertSeen>();
  const statuses = new Map<string, string>();

  async function poll(): Promise<void> {
    const alertList = (await (await fetch(`${apiUrl}/api/v1/alerts?limit=1000`)).json()) as { alerts: AlertSeen[] };
    // Oldest first, so the lines read in the order things happened.
    for (const alert of [...alertList.alerts].sort((a, b) => a.first_seen.localeCompare(b.first_seen))) {
      if (alerts.has(alert.id)) continue;
      alerts.set(alert.id, alert);
      const time = alert.first_seen.slice(11, 23);
      say('ALERT', severityColour(alert.severity), `${time}  ${alert.kind} (${alert.rule})  agent=${alert.agent_id}  severity=${alert.severity}  action=${alert.action}`);
    }
    const agentList = (await (await fetch(`${apiUrl}/api/v1/agents`)).json()) as { agents: AgentSeen[] };
    for (const agent of agentList.agents) {
      const before = statuses.get(agent.id);
      if (before === agent.status) continue;
      statuses.set(agent.id, agent.status);
      if (agent.status === 'suspended') say('SUSPENDED', 'magenta', `${paint('bold', agent.id)} is suspended${before ? ` (was ${before})` : ''}`);
      else if (before) say('STATUS', 'blue', `${agent.id}: ${before} -> ${agent.status}`);
    }
  }

  let stopped = false;
  // One poll at a time: a slow answer must not stack requests.
  const loop = (async () => {
    while (!stopped) {
      await poll().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  return {
    alerts,
    statuses,
    async stop() {
      stopped = true;
      await loop;
      await poll().catch(() => undefined);
    },
  };
}
