import type { Admission } from '../store/admission.ts';
import type { Alert, AlertStatus } from '../alerter/alert.ts';
import type { Result } from '../errors/warden-error.ts';
import type { OutcomeSignal } from '../normalizer/agent-span.ts';
import type { FindingKind, Severity } from '../policy/agent-policy.ts';

/** One stored span as the API returns it (DESIGN.md, GET /api/v1/traces/{traceId}). */
export interface TraceSpanView {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  start: string;
  duration_ns: number;
  service_name: string;
  agent_id: string;
  agent_name: string;
  session_id: string;
  kind: string;
  tool_name: string;
  tool_args_hash: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  status: string;
  error_type: string;
  attributes: Record<string, string>;
  resource_attributes: Record<string, string>;
}

/** An agent as the API returns it (DESIGN.md, GET /api/v1/agents). */
export interface AgentView {
  id: string;
  name: string;
  role: string;
  status: 'active' | 'suspended';
  last_seen: string;
  spans_1h: number;
  input_tokens_1h: number;
  output_tokens_1h: number;
  cost_usd_1h: number;
  open_alerts: number;
}

/** A stored outcome signal (GET /api/v1/outcomes). */
export interface OutcomeView {
  agent_id: string;
  trace_id: string;
  session_id: string;
  name: string;
  value: number;
  success: boolean | null;
  ts: string;
  source: string;
}

export interface OutcomeQuery {
  agentId?: string;
  traceId?: string;
  limit: number;
}

/** What the API reads; the store implements it, the API knows nothing of SQL. */
export interface ApiReadModel {
  getTrace(traceId: string): Promise<TraceSpanView[]>;
  listAgents(now: Date): Promise<AgentView[]>;
  getAgent(id: string, now: Date): Promise<AgentView | null>;
  listOutcomes(query: OutcomeQuery): Promise<OutcomeView[]>;
}

/** Where POST /api/v1/outcomes goes. */
export interface OutcomeSink {
  /** Refused when full; else durable once `durable` resolves (see store/admission.ts). */
  writeOutcomes(outcomes: OutcomeSignal[]): Admission;
}

/** An alert as the API returns it (DESIGN.md, GET /api/v1/alerts): the alerter's Alert. */
export type AlertView = Alert;

export interface AlertQuery {
  status?: AlertStatus;
  agentId?: string;
  kind?: FindingKind;
  severity?: Severity;
  limit: number;
}

/** Alerts as stored (GET /api/v1/alerts); failures thrown, like ApiReadModel. */
export interface AlertReadModel {
  /** Newest first. */
  listAlerts(query: AlertQuery): Promise<AlertView[]>;
  getAlert(id: string): Promise<AlertView | null>;
}

/** Where POST /api/v1/alerts/{id}/ack goes (the alerter): null for an unknown id. */
export interface AlertAcknowledger {
  ack(id: string, actor: string, reason?: string): Promise<Result<AlertView | null>>;
}

/** Manual suspension and the live agent status (the enforcer). */
export interface AgentControl {
  statusOf(agentId: string): 'active' | 'suspended';
  /** Every suspended agent, so the list shows those suspended before they sent a span. */
  suspendedAgents?(): string[];
  suspend(action: { agentId: string; actor: string; reason: string }): Promise<Result<{ id: string; type: string; atMs: number; actor: string; reason: string } | null>>;
  resume(action: { agentId: string; actor: string; reason: string }): Promise<Result<{ id: string; type: string; atMs: number; actor: string; reason: string } | null>>;
}
