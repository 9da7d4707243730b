// What every capture must map to (fixtures/README.md): a weather-agent that calls get_weather
// twice with different arguments and convert_units once, and a looping-agent that calls
// search_docs four times with identical arguments.
import { expect } from 'vitest';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';

export const WEATHER = 'weather-agent';
export const LOOPING = 'looping-agent';

export function toolsOf(spans: readonly AgentSpan[], agentId: string): AgentSpan[] {
  return spans.filter((s) => s.kind === 'tool' && s.agentId === agentId);
}

/** Agents named by a span or inherited from one, not the resource or service.name fallback. */
export function namedAgents(spans: readonly AgentSpan[]): string[] {
  return [...new Set(spans.filter((s) => s.agentIdSource === 'span' || s.agentIdSource === 'ancestor').map((s) => s.agentId))].sort();
}

/** The agents that did the work: those of the LLM and tool spans. */
export function workingAgents(spans: readonly AgentSpan[]): string[] {
  return [...new Set(spans.filter((s) => s.kind === 'llm' || s.kind === 'tool').map((s) => s.agentId))].sort();
}

export function expectWeatherAndLoopingTools(spans: readonly AgentSpan[], names = { weather: 'get_weather', convert: 'convert_units', search: 'search_docs' }): void {
  const weather = toolsOf(spans, WEATHER);
  const weatherCalls = weather.filter((s) => s.toolName === names.weather);
  expect(weatherCalls).toHaveLength(2);
  expect(weatherCalls[0]?.toolArgsHash).toMatch(/^[0-9a-f]{16}$/);
  expect(weatherCalls[0]?.toolArgsHash).not.toBe(weatherCalls[1]?.toolArgsHash);
  expect(weather.filter((s) => s.toolName === names.convert)).toHaveLength(1);
  expect(weather).toHaveLength(3);

  const looping = toolsOf(spans, LOOPING);
  expect(looping).toHaveLength(4);
  expect(new Set(looping.map((s) => s.toolName))).toEqual(new Set([names.search]));
  const hashes = new Set(looping.map((s) => s.toolArgsHash));
  expect(hashes.size).toBe(1);
  expect([...hashes][0]).toMatch(/^[0-9a-f]{16}$/);
}

export function llmTotals(spans: readonly AgentSpan[]): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const span of spans) {
    if (span.kind !== 'llm') continue;
    input += span.inputTokens;
    output += span.outputTokens;
  }
  return { input, output };
}

/** Spans that are neither tools nor carry tool fields: toolName and hash stay empty. */
export function expectToolFieldsOnlyOnTools(spans: readonly AgentSpan[]): void {
  for (const span of spans) {
    if (span.kind !== 'tool') {
      expect(span.toolName).toBe('');
      expect(span.toolArgsHash).toBe('');
    }
  }
}
