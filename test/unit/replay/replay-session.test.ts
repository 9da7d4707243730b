import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AlertVersion } from '../../../src/alerter/alert.ts';
import { createEndOrderBuffer } from '../../../src/replay/end-order-buffer.ts';
import { createMemoryAlertStore } from '../../../src/replay/memory-alert-store.ts';
import { createReplaySession } from '../../../src/replay/replay-session.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import { builtInPolicySet } from '../../../src/policy/parse-policy.ts';
import { T0_MS, toolCall } from './replay-fixtures.ts';

const silent = pino({ level: 'silent' });
const MINUTE = 60_000;

function loopBurst(startMs: number, sessionId: string): AgentSpan[] {
  return [0, 1, 2, 3, 4].map((i) => toolCall({ atMs: startMs + i * 1000, sessionId }));
}

describe('replay session', () => {
  it('runs the alerter on the span clock: a loop again after the quiet period is a new alert', async () => {
    const session = createReplaySession({ policy: builtInPolicySet(), logger: silent });
    // One request per span, as an SDK exporting each span when it ends.
    for (const span of loopBurst(T0_MS, 'session-1')) session.feed([span]);
    const later = T0_MS + 10 * MINUTE;
    for (const span of loopBurst(later, 'session-2')) session.feed([span]);
    const result = await session.finish();

    expect(result.spans).toBe(10);
    expect(result.alerts.map((a) => [a.kind, a.rule, a.status, a.first_seen])).toEqual([
      ['loop', 'identical_calls', 'resolved', new Date(T0_MS + 4000).toISOString()],
      ['loop', 'identical_calls', 'firing', new Date(later + 4000).toISOString()],
    ]);
    // Resolved when the first span after the quiet gap arrived, not by the wall clock.
    expect(result.alerts[0]?.resolved_at).toBe(new Date(later).toISOString());
    expect(result.firstSpanEndMs).toBe(T0_MS);
    expect(result.lastSpanEndMs).toBe(later + 4000);
  });

  it('folds a repeat within the quiet period into the open alert', async () => {
    const session = createReplaySession({ policy: builtInPolicySet(), logger: silent });
    session.feed(loopBurst(T0_MS, 'session-1'));
    session.feed(loopBurst(T0_MS + MINUTE, 'session-2'));
    const { alerts } = await session.finish();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.count).toBeGreaterThanOrEqual(2);
    expect(alerts[0]?.last_seen).toBe(new Date(T0_MS + MINUTE + 4000).toISOString());
  });

  it('reports an alert quiet for the quiet period by the end of the recording as resolved', async () => {
    const session = createReplaySession({ policy: builtInPolicySet(), logger: silent });
    session.feed(loopBurst(T0_MS, 'session-1'));
    session.feed([toolCall({ atMs: T0_MS + 6 * MINUTE, agentId: 'other-agent', tool: 'lookup' })]);
    const { alerts } = await session.finish();
    expect(alerts.map((a) => a.status)).toEqual(['resolved']);
  });

  it('reports nothing for no spans', async () => {
    const result = await createReplaySession({ policy: builtInPolicySet(), logger: silent }).finish();
    expect(result).toMatchObject({ spans: 0, alerts: [], firstSpanEndMs: 0, lastSpanEndMs: 0, droppedAlerts: 0 });
  });
});

function span(id: string, startMs: number, endMs: number): AgentSpan {
  return { ...toolCall({ atMs: endMs, spanId: id }), startTimeUnixNano: BigInt(startMs) * 1_000_000n, durationNs: BigInt(endMs - startMs) * 1_000_000n };
}

describe('end-order buffer', () => {
  it('turns start order into end order, holding a parent until its children have ended', () => {
    const buffer = createEndOrderBuffer();
    const out: AgentSpan[] = [];
    buffer.push(span('root', 0, 100), out);
    buffer.push(span('child-1', 10, 20), out);
    expect(out).toEqual([]);
    buffer.push(span('child-2', 30, 40), out);
    expect(out.map((s) => s.spanId)).toEqual(['child-1']);
    buffer.push(span('next', 50, 60), out);
    expect(out.map((s) => s.spanId)).toEqual(['child-1', 'child-2']);
    expect(buffer.size).toBe(2);
    buffer.drain(out);
    expect(out.map((s) => s.spanId)).toEqual(['child-1', 'child-2', 'next', 'root']);
  });

  it('keeps start order among equal ends', () => {
    const buffer = createEndOrderBuffer();
    const out: AgentSpan[] = [];
    for (const [id, start] of [['a', 0], ['b', 5], ['c', 8]] as const) buffer.push(span(id, start, 10), out);
    buffer.drain(out);
    expect(out.map((s) => s.spanId)).toEqual(['a', 'b', 'c']);
  });

  it('lets the earliest-ending span out early when full, and counts it', () => {
    const buffer = createEndOrderBuffer(2);
    const out: AgentSpan[] = [];
    buffer.push(span('long', 0, 1000), out);
    buffer.push(span('medium', 1, 500), out);
    buffer.push(span('short', 2, 300), out);
    expect(out.map((s) => s.spanId)).toEqual(['short']);
    expect(buffer.forced).toBe(1);
  });
});

function version(id: string, versionNumber: number, status: 'firing' | 'resolved' = 'firing', updatedAtMs = versionNumber): AlertVersion {
  return { alert: { id, status, count: versionNumber } as unknown as AlertVersion['alert'], version: versionNumber, updatedAtMs };
}

describe('memory alert store', () => {
  it('keeps the latest version of each alert, in opening order', async () => {
    const store = createMemoryAlertStore();
    expect(store.write([version('a', 1), version('b', 1), version('a', 3)])).toBe(true);
    store.write([version('a', 2)]);
    expect(store.alerts().map((a) => [a.id, a.count])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    const firing = await store.loadFiring(10);
    expect(firing.ok && firing.value.map((v) => v.alert.id)).toEqual(['a', 'b']);
    const got = await store.get('b');
    expect(got.ok && got.value?.version).toBe(1);
  });

  it('never refuses a write: alerts beyond its size are counted once each', () => {
    const store = createMemoryAlertStore(1);
    store.write([version('a', 1), version('b', 1), version('b', 2), version('c', 1), version('b', 3, 'resolved')]);
    expect(store.alerts().map((a) => a.id)).toEqual(['a']);
    expect(store.dropped).toBe(2);
  });
});
