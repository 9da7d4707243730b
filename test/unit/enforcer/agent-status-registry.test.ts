import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createAgentStatusRegistry, type StatusEvent } from '../../../src/enforcer/agent-status-registry.ts';
import { ok } from '../../../src/errors/warden-error.ts';
import type { StoredSuspension } from '../../../src/store/queries/action-queries.ts';

const logger = pino({ level: 'silent' });
const none = async () => ok<StoredSuspension[]>([]);

function event(type: StatusEvent['type'], agentId: string, id: string, atMs: number, payload: Record<string, unknown> = {}): StatusEvent {
  return { type, agentId, id, atMs, reason: `${type} ${agentId}`, payload };
}

describe('agent status registry', () => {
  it('changes status synchronously on suspend and resume', () => {
    const registry = createAgentStatusRegistry({ load: none, logger });
    expect(registry.statusOf('a')).toBe('active');
    registry.apply(event('suspend', 'a', 's1', 1000));
    expect(registry.statusOf('a')).toBe('suspended');
    expect(registry.suspendedSince('a')).toBe(1000);
    registry.apply(event('would_suspend', 'b', 'w1', 1100));
    expect(registry.statusOf('b')).toBe('active');
    registry.apply(event('resume', 'a', 'r1', 2000));
    expect(registry.statusOf('a')).toBe('active');
    expect(registry.suspendedSince('a')).toBeUndefined();
  });

  it('marks a suspension delivered only by its own callback', () => {
    const registry = createAgentStatusRegistry({ load: none, logger });
    registry.apply(event('suspend', 'a', 's1', 1000));
    registry.apply(event('callback_delivered', 'a', 'c0', 1500, { action_id: 'older' }));
    expect(registry.suspension('a')?.deliveredAtMs).toBeNull();
    registry.apply(event('callback_delivered', 'a', 'c1', 1600, { action_id: 's1' }));
    expect(registry.suspension('a')).toEqual({ actionId: 's1', sinceMs: 1000, reason: 'suspend a', deliveredAtMs: 1600 });
  });

  it('restores suspensions at start; events applied meanwhile win', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const registry = createAgentStatusRegistry({
      logger,
      load: async () => {
        await gate;
        return ok([
          { agentId: 'b', actionId: 's2', sinceMs: 2000, reason: 'x', deliveredAtMs: 2100 },
          { agentId: 'a', actionId: 's1', sinceMs: 1000, reason: 'y', deliveredAtMs: null },
        ]);
      },
    });
    const started = registry.start();
    registry.apply(event('resume', 'a', 'r1', 3000));
    release();
    expect((await started).ok).toBe(true);
    expect(registry.statusOf('a')).toBe('active');
    expect(registry.suspension('b')).toEqual({ actionId: 's2', sinceMs: 2000, reason: 'x', deliveredAtMs: 2100 });
  });

  it('holds at most maxSuspended agents, dropping the longest suspended', () => {
    const registry = createAgentStatusRegistry({ load: none, logger, maxSuspended: 2 });
    for (const [i, agent] of ['a', 'b', 'c'].entries()) registry.apply(event('suspend', agent, `s${i}`, i));
    expect(registry.size()).toBe(2);
    expect(['a', 'b', 'c'].map((agent) => registry.statusOf(agent))).toEqual(['active', 'suspended', 'suspended']);
  });
});
