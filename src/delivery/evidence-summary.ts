export interface EvidenceSummary {
  /** A few scalar facts (tool, count, limit, ...) as display strings, in evidence order. */
  fields: Array<[key: string, value: string]>;
  /** How many spans show it (the evidence keeps the last 50). */
  spanCount: number;
}

// The id lists are counted, not listed: people follow the trace link for them.
const ID_LISTS = new Set(['span_ids', 'trace_ids']);
const MAX_VALUE_CHARS = 80;
const MAX_LIST_ITEMS = 5;

/**
 * The part of an alert's evidence worth a line in a chat message or an incident: scalar facts
 * and short lists; nested objects are left to the API. Evidence comes from detectors (tool
 * names, counts, limits, data classes), never prompt text.
 */
export function summarizeEvidence(evidence: Readonly<Record<string, unknown>>, maxFields = 6): EvidenceSummary {
  const spanIds = evidence['span_ids'];
  const fields: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(evidence)) {
    if (fields.length >= maxFields) break;
    if (ID_LISTS.has(key)) continue;
    const text = display(value);
    if (text !== undefined) fields.push([key, text]);
  }
  return { fields, spanCount: Array.isArray(spanIds) ? spanIds.length : 0 };
}

function display(value: unknown): string | undefined {
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => ['string', 'number', 'boolean'].includes(typeof item))) {
    const shown = value.slice(0, MAX_LIST_ITEMS).map(String).join(', ');
    return clip(value.length > MAX_LIST_ITEMS ? `${shown}, … (${value.length})` : shown);
  }
  return undefined;
}

function clip(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}
