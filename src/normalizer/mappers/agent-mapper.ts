// Warden's own agent.* attributes (semconv/registry.yaml): the highest priority, because the
// agent or its platform states them deliberately.
import {
  ATTR_AGENT_ACTION_TIER,
  ATTR_AGENT_APPROVAL_ID,
  ATTR_AGENT_CONFIDENCE,
  ATTR_AGENT_COST_USD,
  ATTR_AGENT_DATA_ACCESS,
  ATTR_AGENT_DATA_CLASSES,
  ATTR_AGENT_DELEGATION_FROM,
  ATTR_AGENT_ID,
  ATTR_AGENT_INTENT,
  ATTR_AGENT_NAME,
  ATTR_AGENT_ROLE,
  ATTR_AGENT_SESSION_ID,
  ATTR_AGENT_TARGET,
  ATTR_AGENT_TASK_ID,
  ATTR_AGENT_TOOL_ARGS_HASH,
  ATTR_AGENT_TOOL_NAME,
} from '../../semconv/agent-attributes.ts';
import type { AttributeMapper } from '../attribute-mapper.ts';
import { readNumber, readString, readStringList } from '../attribute-readers.ts';

export const agentMapper: AttributeMapper = {
  name: 'agent',
  map(span, out) {
    const a = span.attributes;
    if (out.agentId === '') out.agentId = readString(a, ATTR_AGENT_ID);
    if (out.agentName === '') out.agentName = readString(a, ATTR_AGENT_NAME);
    if (out.agentRole === '') out.agentRole = readString(a, ATTR_AGENT_ROLE);
    if (out.sessionId === '') out.sessionId = readString(a, ATTR_AGENT_SESSION_ID);
    if (out.taskId === '') out.taskId = readString(a, ATTR_AGENT_TASK_ID);
    if (out.toolName === '') {
      out.toolName = readString(a, ATTR_AGENT_TOOL_NAME);
      // Naming the tool invoked is what makes a span a tool call, whatever else it carries.
      if (out.toolName !== '' && out.kind === '') out.kind = 'tool';
    }
    if (out.toolArgsHash === '') out.toolArgsHash = readString(a, ATTR_AGENT_TOOL_ARGS_HASH);
    if (out.dataClasses.length === 0) out.dataClasses = readStringList(a, ATTR_AGENT_DATA_CLASSES);
    if (out.dataAccess === '') out.dataAccess = readString(a, ATTR_AGENT_DATA_ACCESS).toLowerCase();
    if (out.target === '') out.target = readString(a, ATTR_AGENT_TARGET);
    if (out.delegationFrom === '') out.delegationFrom = readString(a, ATTR_AGENT_DELEGATION_FROM);
    if (out.actionTier === '') out.actionTier = readString(a, ATTR_AGENT_ACTION_TIER).toLowerCase();
    if (out.approvalId === '') out.approvalId = readString(a, ATTR_AGENT_APPROVAL_ID);
    if (out.intent === '') out.intent = readString(a, ATTR_AGENT_INTENT);
    if (out.confidence === null) {
      const confidence = readNumber(a, ATTR_AGENT_CONFIDENCE);
      // Outside 0..1 it is not a confidence (a percentage, a logit): treat as not stated.
      if (confidence !== null && confidence >= 0 && confidence <= 1) out.confidence = confidence;
    }
    if (out.costUsd < 0) {
      const cost = readNumber(a, ATTR_AGENT_COST_USD);
      if (cost !== null && cost >= 0) out.costUsd = cost;
    }
  },
};
