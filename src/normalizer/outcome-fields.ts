// The agent.outcome.* fields, shared by span events and log records named `agent.outcome`.
import {
  ATTR_AGENT_OUTCOME_NAME,
  ATTR_AGENT_OUTCOME_SUCCESS,
  ATTR_AGENT_OUTCOME_VALUE,
} from '../semconv/agent-attributes.ts';
import type { Attributes } from '../otlp/otlp-types.ts';
import { readBoolean, readNumber, readString } from './attribute-readers.ts';

export interface OutcomeFields {
  name: string;
  value: number;
  success: boolean | null;
}

/**
 * null when the outcome has no name (nothing to aggregate it under). A missing or non-numeric
 * value is 0: an outcome may be only a success or failure, which `success` carries.
 */
export function readOutcomeFields(attributes: Attributes): OutcomeFields | null {
  const name = readString(attributes, ATTR_AGENT_OUTCOME_NAME);
  if (name === '') return null;
  return {
    name,
    value: readNumber(attributes, ATTR_AGENT_OUTCOME_VALUE) ?? 0,
    success: readBoolean(attributes, ATTR_AGENT_OUTCOME_SUCCESS),
  };
}
