import type { OutcomeSignal } from '../normalizer/agent-span.ts';
import { attributesToMap } from './attribute-map.ts';
import { finiteValue } from './column-values.ts';
import { nanosToDateTime64 } from './datetime64.ts';
import { toJsonLine } from './json-line.ts';

/** One outcomes row as a JSONEachRow line. */
export function outcomeToJsonLine(outcome: OutcomeSignal): string {
  return toJsonLine({
    agent_id: outcome.agentId,
    trace_id: outcome.traceId.toLowerCase(),
    session_id: outcome.sessionId,
    name: outcome.name,
    value: finiteValue(outcome.value),
    success: outcome.success,
    time: nanosToDateTime64(outcome.timeUnixNano),
    source: outcome.source,
    attributes: attributesToMap(outcome.attributes),
  });
}
