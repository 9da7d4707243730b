export type { AgentIdSource, AgentSpan, AgentSpanKind, AgentSpanStatus, OutcomeSignal } from './agent-span.ts';
export { createNormalizer, type Normalizer, type NormalizerOptions } from './create-normalizer.ts';
export { createPriceTable, DEFAULT_PRICES, type ModelPrice, type PriceOverrides, type PriceTable } from './price-table.ts';
export { canonicalToolArgs, hashToolArgs } from './tool-args-hash.ts';
export { MAPPERS } from './mapper-registry.ts';
export type { AttributeMapper } from './attribute-mapper.ts';
