import type { Span } from '../otlp/otlp-types.ts';
import type { AttributeMapper } from './attribute-mapper.ts';
import { createMappedFields, type MappedFields } from './mapped-fields.ts';
import { agentMapper } from './mappers/agent-mapper.ts';
import { genAiMapper } from './mappers/gen-ai-mapper.ts';
import { openInferenceMapper } from './mappers/openinference-mapper.ts';
import { openLlmetryMapper } from './mappers/openllmetry-mapper.ts';
import { vercelAiMapper } from './mappers/vercel-ai-mapper.ts';

/**
 * Priority order (DESIGN.md, Semantic conventions): what the agent states about itself, then the
 * OpenTelemetry standard, then framework conventions. Each field takes the first non-empty value.
 * Add a framework by writing a mapper and placing it here.
 */
export const MAPPERS: readonly AttributeMapper[] = [
  agentMapper,
  genAiMapper,
  vercelAiMapper,
  openInferenceMapper,
  openLlmetryMapper,
];

/** Runs every mapper over one span. */
export function mapSpan(span: Span, mappers: readonly AttributeMapper[] = MAPPERS): MappedFields {
  const out = createMappedFields();
  for (const mapper of mappers) mapper.map(span, out);
  return out;
}
