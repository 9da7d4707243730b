// Outcome signals sent as log records. A record is an outcome when its event name (the OTLP
// LogRecord field, or the older `event.name` attribute) is `agent.outcome`; every other record
// (GenAI message events, application logs) is not Warden's business and is skipped, not refused.
import { ATTR_AGENT_ID, ATTR_AGENT_SESSION_ID, EVENT_AGENT_OUTCOME } from '../semconv/agent-attributes.ts';
import { ATTR_GEN_AI_AGENT_ID, ATTR_GEN_AI_AGENT_NAME, ATTR_GEN_AI_CONVERSATION_ID } from '../semconv/gen-ai-attributes.ts';
import { ATTR_EVENT_NAME } from '../semconv/general-attributes.ts';
import type { Attributes, LogRecord, LogsRequest } from '../otlp/otlp-types.ts';
import type { OutcomeSignal } from './agent-span.ts';
import { readString } from './attribute-readers.ts';
import { spanKey, type IdentityCache } from './identity-cache.ts';
import { readOutcomeFields } from './outcome-fields.ts';
import { resourceIdentity } from './resource-identity.ts';

export function isOutcomeRecord(record: LogRecord): boolean {
  return record.eventName === EVENT_AGENT_OUTCOME || record.attributes[ATTR_EVENT_NAME] === EVENT_AGENT_OUTCOME;
}

function bodyAttributes(record: LogRecord): Attributes | null {
  const body = record.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? body : null;
}

/**
 * Agent: the record's own agent attributes, else the agent of the span it was logged in (when
 * that span's identity is known), else the resource's agent or service.
 */
export function outcomesFromLogs(request: LogsRequest, cache: IdentityCache): OutcomeSignal[] {
  const outcomes: OutcomeSignal[] = [];
  for (const resourceLogs of request.resourceLogs) {
    let fallback: ReturnType<typeof resourceIdentity> | null = null;
    for (const scopeLogs of resourceLogs.scopeLogs) {
      for (const record of scopeLogs.logRecords) {
        if (!isOutcomeRecord(record)) continue;
        const a = record.attributes;
        const body = bodyAttributes(record);
        const fields = readOutcomeFields(a) ?? (body === null ? null : readOutcomeFields(body));
        if (fields === null) continue;
        const context = record.traceId !== '' && record.spanId !== '' ? cache.get(spanKey(record.traceId, record.spanId)) : undefined;
        let agentId = readString(a, ATTR_AGENT_ID) || readString(a, ATTR_GEN_AI_AGENT_ID) || readString(a, ATTR_GEN_AI_AGENT_NAME);
        if (agentId === '' && context !== undefined) agentId = context.agentId;
        if (agentId === '') {
          fallback ??= resourceIdentity(resourceLogs.resource);
          agentId = fallback.agentId;
        }
        outcomes.push({
          agentId,
          traceId: record.traceId,
          sessionId: readString(a, ATTR_AGENT_SESSION_ID) || readString(a, ATTR_GEN_AI_CONVERSATION_ID) || (context?.sessionId ?? ''),
          name: fields.name,
          value: fields.value,
          success: fields.success,
          timeUnixNano: record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano,
          source: 'log',
          attributes: a,
        });
      }
    }
  }
  return outcomes;
}
