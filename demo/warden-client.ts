// The REST calls the demo fleet makes, as a business system and an operator would: post outcomes,
// resume agents, read agents and alerts. Writes carry the API token. Never throws: a failed call
// is a result the fleet logs, so a Warden restart does not end a long-running demo.

export type ApiReply = { readonly ok: true; readonly status: number; readonly body: unknown } | { readonly ok: false; readonly message: string };

export interface OutcomePost {
  readonly agent_id: string;
  readonly trace_id: string;
  readonly session_id: string;
  readonly name: string;
  readonly value: number;
  readonly success: boolean;
}

export interface AgentSeen {
  readonly id: string;
  readonly status: string;
}

export interface AlertSeen {
  readonly id: string;
  readonly kind: string;
  readonly action: string;
}

export interface WardenClient {
  healthy(): Promise<boolean>;
  postOutcome(outcome: OutcomePost): Promise<ApiReply>;
  /** 202 with the resume action, or 200 with `action: null` when the agent already was active. */
  resume(agentId: string, reason: string): Promise<ApiReply>;
  agents(): Promise<AgentSeen[] | null>;
  /** Firing alerts of an agent; null when Warden could not be asked. */
  firingAlerts(agentId: string): Promise<AlertSeen[] | null>;
}

/** Per request: Warden answers in milliseconds; a hung connection must not stall a round. */
const TIMEOUT_MS = 10_000;

export function createWardenClient(apiUrl: string, token: string | undefined): WardenClient {
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined && method === 'POST') headers['authorization'] = `Bearer ${token}`;
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await response.text();
      const parsed: unknown = (response.headers.get('content-type') ?? '').includes('json') && text !== '' ? JSON.parse(text) : text;
      if (response.ok) return { ok: true, status: response.status, body: parsed };
      const message = typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : text;
      return { ok: false, message: `${method} ${path}: ${response.status} ${message}` };
    } catch (error) {
      return { ok: false, message: `${method} ${path}: ${(error as Error).message}` };
    }
  }

  const listOf = <T>(reply: ApiReply, key: string): T[] | null => {
    if (!reply.ok || typeof reply.body !== 'object' || reply.body === null) return null;
    const list = (reply.body as Record<string, unknown>)[key];
    return Array.isArray(list) ? (list as T[]) : null;
  };

  return {
    async healthy() {
      return (await call('GET', '/healthz')).ok;
    },
    postOutcome: (outcome) => call('POST', '/api/v1/outcomes', [outcome]),
    resume: (agentId, reason) => call('POST', `/api/v1/agents/${encodeURIComponent(agentId)}/resume`, { reason, by: 'demo-fleet' }),
    async agents() {
      return listOf<AgentSeen>(await call('GET', '/api/v1/agents'), 'agents');
    },
    async firingAlerts(agentId) {
      return listOf<AlertSeen>(await call('GET', `/api/v1/alerts?status=firing&agent=${encodeURIComponent(agentId)}&limit=1000`), 'alerts');
    },
  };
}
