import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { nextVersion } from '../../../src/alerter/alert.ts';
import type { AlertVersion } from '../../../src/alerter/alert.ts';
import { alertFingerprint, newAlertId } from '../../../src/alerter/alert-identity.ts';
import { createVersionWriter } from '../../../src/alerter/version-writer.ts';
import { finding, memoryStore, testAlerter } from './alerter-fixtures.ts';

describe('alert identity', () => {
  it('fingerprints kind, agent and rule unambiguously', () => {
    expect(alertFingerprint('loop', 'a', 'bc')).not.toBe(alertFingerprint('loop', 'ab', 'c'));
    expect(alertFingerprint('loop', 'a', 'r')).toBe(alertFingerprint('loop', 'a', 'r'));
    expect(alertFingerprint('loop', 'a', 'r')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('makes UUIDv7 ids that sort by time', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map(newAlertId);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.slice(0, 13)).toBe('018bcfe5-6800');
    expect(new Set(Array.from({ length: 100 }, () => newAlertId(0))).size).toBe(100);
  });

  it('bumps versions past the previous one when the clock stands still or steps back', () => {
    expect(nextVersion(0, 1000)).toBe(1_000_000);
    expect(nextVersion(1_000_000, 1000)).toBe(1_000_001);
    expect(nextVersion(5_000_000, 1000)).toBe(5_000_001);
  });
});

describe('version writer', () => {
  const version = (id: string, v: number): AlertVersion => ({ version: v, updatedAtMs: v, alert: { id } as AlertVersion['alert'] });

  it('keeps only the newest refused version per alert, drops the oldest beyond its bound, and writes the rest later', () => {
    const memory = memoryStore();
    const writer = createVersionWriter(memory.store, pino({ level: 'silent' }), 2);
    memory.state.refuse = true;
    for (const [id, v] of [['a', 1], ['a', 2], ['b', 1], ['c', 1]] as const) {
      writer.add(version(id, v));
      writer.commit();
    }
    expect(writer.waiting).toBe(2);
    expect(writer.droppedTotal).toBe(1);
    memory.state.refuse = false;
    writer.commit();
    expect(memory.versions.map((v) => `${v.alert.id}${v.version}`).sort()).toEqual(['b1', 'c1']);
    expect(writer.waiting).toBe(0);
  });
});

describe('span times from a broken agent clock', () => {
  it('take Warden\'s time instead of failing the alert', () => {
    const { alerter, clock } = testAlerter();
    alerter.consume([finding({ observedAtMs: 1e20 }), finding({ rule: 'other', observedAtMs: Number.NaN })]);
    expect(alerter.openAlerts().map((a) => a.first_seen)).toEqual([new Date(clock.now).toISOString(), new Date(clock.now).toISOString()]);
    expect(alerter.stats().failedFindings).toBe(0);
  });
});
