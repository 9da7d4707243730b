import { describe, expect, it } from 'vitest';
import { createMappedFields } from '../../../src/normalizer/mapped-fields.ts';
import { openLlmetryMapper } from '../../../src/normalizer/mappers/openllmetry-mapper.ts';
import type { Attributes } from '../../../src/otlp/otlp-types.ts';
import { makeSpan } from './span-builder.ts';

function map(attributes: Attributes, presetKind: '' | 'tool' = '') {
  const out = createMappedFields();
  out.kind = presetKind;
  openLlmetryMapper.map(makeSpan({ attributes }), out);
  return out;
}

describe('OpenLLMetry mapper (traceloop.*)', () => {
  it.each([
    ['workflow', 'agent'],
    ['agent', 'agent'],
    ['tool', 'tool'],
    ['task', ''],
  ])('traceloop.span.kind %s is kind %s', (spanKind, kind) => {
    expect(map({ 'traceloop.span.kind': spanKind }).kind).toBe(kind);
  });

  it('falls back to the older llm.request.type for LLM spans', () => {
    expect(map({ 'llm.request.type': 'chat' }).kind).toBe('llm');
    expect(map({ 'llm.request.type': 'rerank' }).kind).toBe('');
  });

  it('names an agent entity as an agent, a workflow span as a container, and the propagated workflow name as ambient', () => {
    const agent = map({ 'traceloop.span.kind': 'agent', 'traceloop.entity.name': 'planner', 'traceloop.workflow.name': 'trip' });
    expect([agent.agentId, agent.containerName, agent.ambientName]).toEqual(['planner', '', 'trip']);
    const workflow = map({ 'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'trip', 'traceloop.workflow.name': 'trip' });
    expect([workflow.agentId, workflow.containerName]).toEqual(['', 'trip']);
    const task = map({ 'traceloop.span.kind': 'task', 'traceloop.entity.name': 'summarize', 'traceloop.workflow.name': 'trip' });
    expect([task.agentId, task.containerName, task.ambientName]).toEqual(['', '', 'trip']);
  });

  it('reads the tool name and call record on tool spans, and on tasks another convention marked as tools', () => {
    const tool = map({ 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'search', 'traceloop.entity.input': '{"args":[],"kwargs":{"q":1}}' });
    expect([tool.toolName, tool.toolArgsFormat]).toEqual(['search', 'traceloop-entity']);
    const task = map({ 'traceloop.span.kind': 'task', 'traceloop.entity.name': 'Lookup', 'traceloop.entity.input': '{}' }, 'tool');
    expect(task.toolName).toBe('Lookup');
    const plainTask = map({ 'traceloop.span.kind': 'task', 'traceloop.entity.name': 'summarize', 'traceloop.entity.input': '{}' });
    expect([plainTask.toolName, plainTask.toolArgs]).toEqual(['', undefined]);
  });

  it('takes the session from association properties and reads the older llm.usage names', () => {
    const out = map({
      'traceloop.association.properties.session_id': 'sess',
      'llm.usage.prompt_tokens': 9,
      'llm.usage.completion_tokens': 4,
    });
    expect([out.sessionId, out.inputTokens, out.outputTokens]).toEqual(['sess', 9, 4]);
  });
});
