import type { Span } from '../otlp/otlp-types.ts';
import type { MappedFields } from './mapped-fields.ts';

/**
 * One convention's reading of a span. Mappers are module-level singletons (no per-span
 * allocation) and run in priority order; each fills only the fields of `out` still empty.
 * Map by what the convention means, never by names seen in a particular capture.
 */
export interface AttributeMapper {
  /** The convention, for diagnostics and tests. */
  readonly name: string;
  map(span: Span, out: MappedFields): void;
}
