// The alerter as the evaluation runs it: the real dedup and lifecycle (fingerprint, quiet
// period), an AlertStore that keeps nothing (the evaluation reads alerts from the sink), and a
// sink that remembers every alert opened with its highest severity.
import type { AlertSink } from '../alerter/alert-sink.ts';
import type { AlertStore } from '../alerter/alert-store.ts';
import { ok } from '../errors/warden-error.ts';
import type { FindingKind, Severity } from '../policy/agent-policy.ts';

export interface CapturedAlert {
  /** Position in AlertCapture.alerts. */
  index: number;
  id: string;
  fingerprint: string;
  kind: FindingKind;
  rule: string;
  agentId: string;
  severity: Severity;
  openedAtMs: number;
  /** Indexes of the findings folded into it (filled by the runner). */
  findings: number[];
}

export interface AlertCapture {
  sink: AlertSink;
  readonly alerts: CapturedAlert[];
  /** The open alert of a fingerprint, if any. */
  openAlert(fingerprint: string): CapturedAlert | undefined;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export function createAlertCapture(): AlertCapture {
  const alerts: CapturedAlert[] = [];
  const open = new Map<string, CapturedAlert>();
  const byId = new Map<string, CapturedAlert>();
  return {
    alerts,
    openAlert: (fingerprint) => open.get(fingerprint),
    sink: {
      onAlertChange({ type, alert }) {
        if (type === 'opened') {
          const captured: CapturedAlert = {
            index: alerts.length,
            id: alert.id,
            fingerprint: alert.fingerprint,
            kind: alert.kind,
            rule: alert.rule,
            agentId: alert.agent_id,
            severity: alert.severity,
            openedAtMs: Date.parse(alert.first_seen),
            findings: [],
          };
          alerts.push(captured);
          open.set(alert.fingerprint, captured);
          byId.set(alert.id, captured);
          return;
        }
        const captured = byId.get(alert.id);
        if (captured === undefined) return;
        if (RANK[alert.severity] > RANK[captured.severity]) captured.severity = alert.severity;
        if (type === 'resolved') {
          byId.delete(alert.id);
          if (open.get(alert.fingerprint) === captured) open.delete(alert.fingerprint);
        }
      },
    },
  };
}

/** An AlertStore that accepts every write and keeps nothing: the evaluation reads the sink. */
export function createDiscardingAlertStore(): AlertStore {
  return {
    write: () => true,
    loadFiring: async () => ok([]),
    get: async () => ok(null),
    flush: async () => {},
  };
}
