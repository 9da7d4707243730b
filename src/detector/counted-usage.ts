import type { AgentSpan } from '../normalizer/agent-span.ts';

/** What a usage rule remembers about one agent or session. */
export interface UsageSource {
  /** An LLM span with usage was seen: from now on agent spans' usage is a rollup of it. */
  sawLlmUsage: boolean;
}

/**
 * Whether the span's tokens and cost count, so usage is counted once. LLM spans carry the usage;
 * an agent span (Vercel AI SDK's invoke_agent, ai.generateText) usually reports the sum of its
 * children, and counts only for an agent (or session) that has not reported usage on an LLM span,
 * i.e. a framework that puts usage on the agent span alone. Spans arrive children first, so the
 * LLM children of an agent span have normally been counted before the rollup arrives.
 *
 * The store decides the same per trace (src/store/queries/agent-usage.ts); the detectors decide
 * per agent or session to stay O(1) per span, which differs only for an agent that mixes both.
 * Tool and other spans never count.
 */
export function countsUsage(span: AgentSpan, source: UsageSource): boolean {
  if (!hasUsage(span)) return false;
  if (span.kind === 'llm') {
    source.sawLlmUsage = true;
    return true;
  }
  return span.kind === 'agent' && !source.sawLlmUsage;
}

export function hasUsage(span: AgentSpan): boolean {
  return span.inputTokens > 0 || span.outputTokens > 0 || span.costUsd > 0;
}
