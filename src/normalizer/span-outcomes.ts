import { EVENT_AGENT_OUTCOME } from '../semconv/agent-attributes.ts';
import type { AgentSpan, OutcomeSignal } from './agent-span.ts';
import { readOutcomeFields } from './outcome-fields.ts';

/** Outcome signals carried as span events named `agent.outcome`, attributed to the span's agent. */
export function outcomesFromSpans(spans: readonly AgentSpan[]): OutcomeSignal[] {
  const outcomes: OutcomeSignal[] = [];
  for (const span of spans) {
    for (const event of span.events) {
      if (event.name !== EVENT_AGENT_OUTCOME) continue;
      const fields = readOutcomeFields(event.attributes);
      if (fields === null) continue;
      outcomes.push({
        agentId: span.agentId,
        traceId: span.traceId,
        sessionId: span.sessionId,
        name: fields.name,
        value: fields.value,
        success: fields.success,
        timeUnixNano: event.timeUnixNano,
        source: 'span_event',
        attributes: event.attributes,
      });
    }
  }
  return outcomes;
}
