import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../src/errors/warden-error.ts';
import { createBatchWriter, type BatchWriter } from '../../../src/store/batch-writer.ts';
import { createJournaledIntake, type JournaledIntake } from '../../../src/store/journal/journaled-intake.ts';
import { openJournal } from '../../../src/store/journal/journal.ts';
import { rowBlockOf } from '../../../src/store/row-block.ts';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two write queues over a stand-in for ClickHouse that can be taken down. */
async function setup(dir: string) {
  const stored: Record<string, string[]> = { otel_traces: [], outcomes: [] };
  // down: inserts fail (an outage). stalled: inserts wait for it (ClickHouse working, but slower than the traffic).
  const clickhouse: { down: boolean; stalled: Promise<void> | null } = { down: true, stalled: null };
  let intake: JournaledIntake | undefined;
  const writer = (table: string): BatchWriter<string> =>
    createBatchWriter<string>({
      table,
      serialize: (line) => line,
      insert: async (body) => {
        if (clickhouse.stalled !== null) await clickhouse.stalled;
        if (clickhouse.down) return fail('WARDEN_STORE_UNAVAILABLE', 'connection refused');
        stored[table]!.push(...body.toString().trim().split('\n'));
        return ok(undefined);
      },
      batchRows: 10,
      flushIntervalMs: 5,
      maxQueuedRows: 20,
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
      onSettled: () => intake?.settled(),
    });
  const writers = [writer('otel_traces'), writer('outcomes')];
  const journal = await openJournal({ dir, maxBytes: 10_000_000, logger, checkpointIntervalMs: 20 });
  intake = createJournaledIntake(journal, [{ table: 'otel_traces', writer: writers[0]! }, { table: 'outcomes', writer: writers[1]! }], logger);
  const prepared = (lines: string[]) => [
    { block: rowBlockOf(lines), offered: lines.length, unserializable: 0 },
    { block: rowBlockOf([]), offered: 0, unserializable: 0 },
  ];
  return { stored, clickhouse, intake, journal, writers, prepared };
}

const eventually = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('journaled intake', () => {
  it('accepts past the memory queue while ClickHouse is down, then writes everything once, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-intake-'));
    dirs.push(dir);
    const { stored, clickhouse, intake, journal, writers, prepared } = await setup(dir);
    const expected: string[] = [];
    for (let request = 0; request < 30; request++) {
      const lines = Array.from({ length: 5 }, (_, i) => `{"r":${request},"i":${i}}`);
      expected.push(...lines);
      const admission = intake.admit(prepared(lines));
      expect(admission.ok).toBe(true);
      if (admission.ok) expect(await admission.durable).toEqual({ ok: true, value: undefined });
    }
    // 150 rows accepted against a memory queue of 20: the rest waits on disk.
    expect(intake.backlogging()).toBe(true);
    expect(writers[0]!.stats().queuedRows).toBeLessThanOrEqual(25);

    clickhouse.down = false;
    await eventually(() => stored['otel_traces']!.length === 150 && !intake.backlogging(), 'the backlog to drain');
    expect(stored['otel_traces']).toEqual(expected);
    await eventually(() => journal.doneSeq() === 30, 'every record marked done');
    await intake.stop();
    await journal.close();
  });

  it('pushes back instead of spilling while ClickHouse works but is behind, and takes traffic again once it catches up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-intake-'));
    dirs.push(dir);
    const { stored, clickhouse, intake, journal, writers, prepared } = await setup(dir);
    clickhouse.down = false;
    let release = (): void => undefined;
    clickhouse.stalled = new Promise((resolve) => (release = resolve));
    const acknowledged: string[] = [];
    let refused = 0;
    for (let request = 0; request < 30; request++) {
      const lines = Array.from({ length: 5 }, (_, i) => `{"r":${request},"i":${i}}`);
      const admission = intake.admit(prepared(lines));
      if (!admission.ok) {
        refused++;
        continue;
      }
      expect(await admission.durable).toEqual({ ok: true, value: undefined });
      acknowledged.push(...lines);
    }
    // The memory queue (20 rows) and no more: nothing waits on disk.
    expect(acknowledged).toHaveLength(20);
    expect(refused).toBe(26);
    expect(intake.backlogging()).toBe(false);
    expect(writers[0]!.failing()).toBe(false);
    // What the receivers ask before reading a request.
    expect(intake.refusesAll(writers[0]!)).toBe(true);

    release();
    clickhouse.stalled = null;
    await eventually(() => stored['otel_traces']!.length === 20, 'the queue to be written');
    expect(stored['otel_traces']).toEqual(acknowledged);
    expect(intake.refusesAll(writers[0]!)).toBe(false);
    expect(intake.admit(prepared(['{"after":1}'])).ok).toBe(true);
    await eventually(() => stored['otel_traces']!.length === 21, 'the next request to be written');
    await intake.stop();
    await journal.close();
  });

  it('replays after a crash what was acknowledged but not written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-intake-'));
    dirs.push(dir);
    const first = await setup(dir);
    for (let request = 0; request < 8; request++) {
      const admission = first.intake.admit(first.prepared([`{"before":${request}}`]));
      if (admission.ok) await admission.durable;
    }
    // A crash: the queues vanish with the process; only the journal is left.
    await first.intake.stop();
    await first.journal.close();

    const second = await setup(dir);
    second.clickhouse.down = false;
    await eventually(() => second.stored['otel_traces']!.length === 8, 'the replay');
    expect(second.stored['otel_traces']).toEqual(Array.from({ length: 8 }, (_, i) => `{"before":${i}}`));
    await eventually(() => !second.intake.backlogging(), 'the backlog to end');
    await second.intake.stop();
    await second.journal.close();
  });
});
