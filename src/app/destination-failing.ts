import type { Finding } from '../detector/finding.ts';
import { SUSPEND_DESTINATION } from './start-delivery.ts';

/**
 * The finding for a delivery destination that keeps failing: about Warden itself (agent id ''),
 * so nobody is suspended for it. The suspension callback's destination is the kill switch, so it
 * is reported as critical suspended_activity; a notification destination as delivery_failure.
 */
export function destinationFailing(destination: string, lastError: string, failures: number, nowMs: number): Finding {
  const killSwitch = destination === SUSPEND_DESTINATION;
  return {
    kind: killSwitch ? 'suspended_activity' : 'delivery_failure',
    rule: killSwitch ? 'kill_switch_unreachable' : `destination_unhealthy:${destination}`,
    agentId: '',
    traceId: '',
    sessionId: '',
    summary: killSwitch
      ? `the suspension callback endpoint keeps failing (${failures} attempts in a row: ${lastError}); suspensions are not reaching the agents' runtime`
      : `${destination} deliveries keep failing (${failures} attempts in a row: ${lastError}); retrying with backoff`,
    evidence: { span_ids: [], destination, consecutive_failures: failures, last_error: lastError },
    observedAtMs: nowMs,
  };
}
