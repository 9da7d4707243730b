// The fallback identity of a resource, for spans no ancestor names: agent attributes on the
// resource (a process that runs one agent says so once), else the service.
import { ATTR_AGENT_ID, ATTR_AGENT_NAME, ATTR_AGENT_ROLE } from '../semconv/agent-attributes.ts';
import { ATTR_GEN_AI_AGENT_ID, ATTR_GEN_AI_AGENT_NAME } from '../semconv/gen-ai-attributes.ts';
import { ATTR_SERVICE_NAME } from '../semconv/general-attributes.ts';
import type { Attributes } from '../otlp/otlp-types.ts';
import type { AgentIdSource } from './agent-span.ts';
import { readString } from './attribute-readers.ts';

export interface ResourceIdentity {
  serviceName: string;
  agentId: string;
  agentName: string;
  agentRole: string;
  source: AgentIdSource;
}

export function resourceIdentity(resource: Attributes): ResourceIdentity {
  const serviceName = readString(resource, ATTR_SERVICE_NAME);
  const agentId =
    readString(resource, ATTR_AGENT_ID) ||
    readString(resource, ATTR_GEN_AI_AGENT_ID) ||
    readString(resource, ATTR_GEN_AI_AGENT_NAME) ||
    readString(resource, ATTR_AGENT_NAME);
  if (agentId !== '') {
    return {
      serviceName,
      agentId,
      agentName: readString(resource, ATTR_AGENT_NAME) || readString(resource, ATTR_GEN_AI_AGENT_NAME) || agentId,
      agentRole: readString(resource, ATTR_AGENT_ROLE),
      source: 'resource',
    };
  }
  return {
    serviceName,
    agentId: serviceName,
    agentName: serviceName,
    agentRole: readString(resource, ATTR_AGENT_ROLE),
    source: serviceName === '' ? 'none' : 'service',
  };
}
