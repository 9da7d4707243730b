import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalizer/create-normalizer.ts';
import { makeRequest, makeSpan, sid } from './span-builder.ts';

describe('createNormalizer', () => {
  it('maps status and error type: error.type, else the exception event, else _OTHER', () => {
    const spans = createNormalizer().normalizeTraces(
      makeRequest([
        makeSpan({ spanId: sid(1), status: { code: 2, message: 'boom' }, attributes: { 'error.type': 'rate_limited' } }),
        makeSpan({ spanId: sid(2), status: { code: 2, message: '' }, events: [{ timeUnixNano: 1n, name: 'exception', attributes: { 'exception.type': 'TimeoutError' } }] }),
        makeSpan({ spanId: sid(3), status: { code: 2, message: '' } }),
        makeSpan({ spanId: sid(4), status: { code: 1, message: '' }, attributes: { 'error.type': 'ignored' } }),
        makeSpan({ spanId: sid(5) }),
      ]),
    );
    expect(spans.map((s) => [s.status, s.errorType])).toEqual([
      ['error', 'rate_limited'],
      ['error', 'TimeoutError'],
      ['error', '_OTHER'],
      ['ok', ''],
      ['unset', ''],
    ]);
  });

  it('prices tokens with the table and configured overrides, and prefers a reported cost', () => {
    const normalizer = createNormalizer({ prices: { 'my-model': { input: 10, output: 20 } } });
    const [priced, reported, rollup] = normalizer.normalizeTraces(
      makeRequest([
        makeSpan({ spanId: sid(1), attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.response.model': 'my-model-2025', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500 } }),
        makeSpan({ spanId: sid(2), attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 1000, 'agent.cost.usd': 0.5 } }),
        makeSpan({ spanId: sid(3), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 1_000_000 } }),
      ]),
    );
    expect(priced?.costUsd).toBeCloseTo(0.01 + 0.01, 10);
    expect(reported?.costUsd).toBe(0.5);
    // Reported per span as is; counting a rollup once is the store's job.
    expect(rollup?.costUsd).toBeCloseTo(2.5, 10);
  });

  it('names a tool span without a tool name after its execute_tool span name; only tool spans carry tool fields', () => {
    const [unnamed, llm] = createNormalizer().normalizeTraces(
      makeRequest([
        makeSpan({ spanId: sid(1), name: 'execute_tool lookup', attributes: { 'gen_ai.operation.name': 'execute_tool' } }),
        makeSpan({ spanId: sid(2), attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.tool.name': 'x', 'agent.tool.args_hash': 'h' } }),
      ]),
    );
    expect([unnamed?.toolName, unnamed?.toolArgsHash]).toEqual(['lookup', '']);
    expect([llm?.kind, llm?.toolName, llm?.toolArgsHash]).toEqual(['llm', '', '']);
  });

  it('uses agent.tool.args_hash as sent, and a tool span server as its target', () => {
    const [span] = createNormalizer().normalizeTraces(
      makeRequest([
        makeSpan({
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'gh', 'agent.tool.args_hash': 'given', 'gen_ai.tool.call.arguments': '{}', 'server.address': 'mcp.github.internal' },
        }),
      ]),
    );
    expect([span?.toolArgsHash, span?.target]).toEqual(['given', 'mcp.github.internal']);
  });

  it('keeps the OTLP fields of the span', () => {
    const input = makeSpan({ kind: 3, traceState: 'k=v', startTimeUnixNano: 10n, endTimeUnixNano: 25n, status: { code: 1, message: 'fine' } });
    const [span] = createNormalizer().normalizeTraces(makeRequest([input], { 'service.name': 'svc', region: 'eu' }));
    expect(span).toMatchObject({
      traceId: input.traceId,
      spanId: input.spanId,
      traceState: 'k=v',
      spanKind: 3,
      startTimeUnixNano: 10n,
      durationNs: 15n,
      serviceName: 'svc',
      scopeName: 'test',
      scopeVersion: '1',
      resourceAttributes: { 'service.name': 'svc', region: 'eu' },
      statusCode: 1,
      statusMessage: 'fine',
      kind: 'other',
      confidence: null,
    });
  });
});
