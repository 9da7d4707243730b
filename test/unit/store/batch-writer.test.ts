import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../src/errors/warden-error.ts';
import type { Result } from '../../../src/errors/warden-error.ts';
import { createBatchWriter } from '../../../src/store/batch-writer.ts';
import type { BatchWriterOptions } from '../../../src/store/batch-writer.ts';

/** An insert that records each batch's rows and answers from a script (default: ok). */
function fakeInsert(script: Array<'ok' | 'down' | 'malformed'> = []) {
  const batches: string[][] = [];
  const attempts: string[][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const insert = vi.fn(async (body: Buffer): Promise<Result<void>> => {
    const lines = body.toString('utf8').split('\n').slice(0, -1);
    attempts.push(lines);
    if (gate !== undefined) await gate;
    const outcome = script.shift() ?? 'ok';
    if (outcome === 'down') return fail('WARDEN_STORE_UNAVAILABLE', 'connection refused');
    if (outcome === 'malformed') return fail('WARDEN_STORE_ROWS_REJECTED', 'Cannot parse input');
    batches.push(lines);
    return ok(undefined);
  });
  return {
    insert,
    batches,
    attempts,
    /** Holds every insert until released, to observe the queue while a flush is in flight. */
    hold() {
      gate = new Promise((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
    },
    release: () => release?.(),
  };
}

function writer(overrides: Partial<BatchWriterOptions<number>> & Pick<BatchWriterOptions<number>, 'insert'>) {
  return createBatchWriter<number>({
    table: 'numbers',
    serialize: (n) => JSON.stringify({ n }),
    batchRows: 3,
    flushIntervalMs: 1000,
    maxQueuedRows: 10,
    retry: { initialDelayMs: 1, maxDelayMs: 4 },
    ...overrides,
  });
}

const rowsOf = (batches: string[][]) => batches.flat().map((line) => (JSON.parse(line) as { n: number }).n);

afterEach(() => {
  vi.useRealTimers();
});

describe('createBatchWriter', () => {
  it('writes as soon as a full batch is queued, in batches of batchRows, in order', async () => {
    const fake = fakeInsert();
    const w = writer({ insert: fake.insert });
    expect(w.offer([1, 2, 3, 4, 5, 6, 7])).toBe(true);
    await vi.waitFor(() => expect(fake.batches).toHaveLength(2));
    expect(fake.batches.map((b) => b.length)).toEqual([3, 3]);
    expect(w.stats().queuedRows).toBe(1);
    await w.shutdown();
    expect(rowsOf(fake.batches)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(w.stats()).toMatchObject({ queuedRows: 0, flushedRowsTotal: 7, flushedBatchesTotal: 3, acceptedRowsTotal: 7 });
  });

  it('writes a partial batch after flushIntervalMs', async () => {
    vi.useFakeTimers();
    const fake = fakeInsert();
    const w = writer({ insert: fake.insert, flushIntervalMs: 200 });
    w.offer([1]);
    await vi.advanceTimersByTimeAsync(199);
    expect(fake.insert).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.batches).toEqual([['{"n":1}']]);
  });

  it('refuses an offer that does not fit, without queueing any of it', async () => {
    const fake = fakeInsert();
    fake.hold();
    const w = writer({ insert: fake.insert, maxQueuedRows: 5, batchRows: 100 });
    expect(w.offer([1, 2, 3])).toBe(true);
    expect(w.offer([4, 5, 6])).toBe(false);
    expect(w.offer([4, 5])).toBe(true);
    expect(w.offer([6])).toBe(false);
    expect(w.stats()).toMatchObject({ queuedRows: 5, capacityRows: 5, refusedRowsTotal: 4, acceptedRowsTotal: 5 });
    fake.release();
    await w.shutdown();
    expect(rowsOf(fake.batches)).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes a request larger than the whole queue when the queue is empty, so it is never refused forever', async () => {
    const fake = fakeInsert();
    fake.hold();
    const w = writer({ insert: fake.insert, maxQueuedRows: 5, batchRows: 100 });
    expect(w.offer([1, 2, 3, 4, 5, 6, 7, 8])).toBe(true);
    // Once anything is queued, the limit applies again.
    expect(w.offer([9])).toBe(false);
    fake.release();
    await w.shutdown();
    expect(rowsOf(fake.batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('counts the batch in flight against the queue limit', async () => {
    const fake = fakeInsert();
    fake.hold();
    const w = writer({ insert: fake.insert, maxQueuedRows: 4, batchRows: 3 });
    expect(w.offer([1, 2, 3])).toBe(true);
    await vi.waitFor(() => expect(fake.insert).toHaveBeenCalledTimes(1));
    expect(w.stats()).toMatchObject({ inFlightRows: 3, queuedRows: 3 });
    expect(w.offer([4, 5])).toBe(false);
    fake.release();
    await w.flush();
    expect(w.offer([4, 5])).toBe(true);
    await w.shutdown();
  });

  it('refuses by serialized size too', async () => {
    const fake = fakeInsert();
    const w = writer({ insert: fake.insert, maxQueuedBytes: 20, batchRows: 100 });
    expect(w.offer([1, 2])).toBe(true); // 2 x ('{"n":1}' + newline) = 16
    expect(w.offer([3])).toBe(false);
    expect(w.stats().queuedBytes).toBe(16);
    await w.shutdown();
  });

  it('keeps one insert in flight at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const w = writer({
      batchRows: 2,
      insert: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return ok(undefined);
      },
    });
    for (let i = 0; i < 5; i++) w.offer([i * 2, i * 2 + 1]);
    await w.shutdown();
    expect(maxInFlight).toBe(1);
    expect(w.stats().flushedRowsTotal).toBe(10);
  });

  it('retries a failed insert with the same rows until it succeeds', async () => {
    const fake = fakeInsert(['down', 'down', 'down', 'ok']);
    const w = writer({ insert: fake.insert });
    w.offer([1, 2, 3]);
    await w.flush();
    expect(fake.attempts).toEqual(Array.from({ length: 4 }, () => ['{"n":1}', '{"n":2}', '{"n":3}']));
    expect(w.stats()).toMatchObject({ failedFlushesTotal: 3, flushedRowsTotal: 3, queuedRows: 0, rejectedRowsTotal: 0 });
  });

  it('treats an insert that throws as an outage and retries it', async () => {
    let calls = 0;
    const w = writer({
      insert: async () => {
        calls++;
        if (calls === 1) throw new Error('socket hang up');
        return ok(undefined);
      },
    });
    w.offer([1, 2, 3]);
    await w.flush();
    expect(w.stats()).toMatchObject({ failedFlushesTotal: 1, flushedRowsTotal: 3 });
  });

  it('backs off exponentially between retries', async () => {
    vi.useFakeTimers();
    const fake = fakeInsert(['down', 'down', 'down', 'ok']);
    const w = createBatchWriter<number>({
      table: 'numbers',
      serialize: String,
      insert: fake.insert,
      batchRows: 1,
      retry: { initialDelayMs: 100, maxDelayMs: 1000 },
    });
    w.offer([1]);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.insert).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100); // first delay: 50..100 ms
    expect(fake.insert).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(99); // second delay: 100..200 ms
    expect(fake.insert.mock.calls.length).toBeLessThanOrEqual(3);
    await vi.advanceTimersByTimeAsync(101);
    expect(fake.insert).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(400);
    expect(fake.insert).toHaveBeenCalledTimes(4);
    expect(w.stats().flushedRowsTotal).toBe(1);
  });

  it('bisects a refused batch and sets aside only the malformed row', async () => {
    const poison = 4;
    const rejected: string[][] = [];
    const insert = vi.fn(async (body: Buffer): Promise<Result<void>> => {
      const rows = body.toString('utf8').split('\n').slice(0, -1);
      return rows.includes(JSON.stringify({ n: poison })) ? fail('WARDEN_STORE_ROWS_REJECTED', 'Cannot parse input') : ok(undefined);
    });
    const w = writer({ insert, batchRows: 8, onRejected: (lines) => rejected.push(lines) });
    w.offer([1, 2, 3, 4, 5, 6, 7, 8]);
    await w.flush();
    expect(rejected).toEqual([['{"n":4}']]);
    expect(w.stats()).toMatchObject({ flushedRowsTotal: 7, rejectedRowsTotal: 1, queuedRows: 0 });
    // 8 -> 4+4 -> 2+2 -> 1+1: a few extra inserts, not one per row.
    expect(insert.mock.calls.length).toBeLessThanOrEqual(7);
  });

  it('sets aside a row its serializer cannot handle, and writes the others', async () => {
    const fake = fakeInsert();
    const w = createBatchWriter<number>({
      table: 'numbers',
      serialize: (n) => {
        if (n === 2) throw new Error('bug');
        return String(n);
      },
      insert: fake.insert,
    });
    expect(w.offer([1, 2, 3])).toBe(true);
    await w.shutdown();
    expect(fake.batches).toEqual([['1', '3']]);
    expect(w.stats().rejectedRowsTotal).toBe(1);
  });

  it('serializes when offered, so later changes to a row are not written', async () => {
    const fake = fakeInsert();
    const w = createBatchWriter<{ v: string }>({ table: 't', serialize: (row) => JSON.stringify(row), insert: fake.insert });
    const row = { v: 'before' };
    w.offer([row]);
    row.v = 'after';
    await w.shutdown();
    expect(fake.batches).toEqual([['{"v":"before"}']]);
  });

  it('flush() waits for the rows accepted before it, not for later ones', async () => {
    const fake = fakeInsert();
    const w = writer({ insert: fake.insert, batchRows: 100 });
    w.offer([1, 2]);
    const flushed = w.flush();
    w.offer([3]);
    await flushed;
    expect(rowsOf(fake.batches)).toContain(1);
    expect(rowsOf(fake.batches)).toContain(2);
    await w.shutdown();
    expect(rowsOf(fake.batches)).toEqual([1, 2, 3]);
  });

  it('shutdown writes everything queued and then refuses offers', async () => {
    const fake = fakeInsert(['down']);
    const w = writer({ insert: fake.insert });
    w.offer([1, 2, 3, 4]);
    await w.shutdown();
    expect(rowsOf(fake.batches)).toEqual([1, 2, 3, 4]);
    expect(w.offer([5])).toBe(false);
  });

  it('shutdown with a timeout gives up on a store that stays down and reports what is left', async () => {
    const fake = fakeInsert(Array.from({ length: 1000 }, () => 'down' as const));
    const w = writer({ insert: fake.insert, retry: { initialDelayMs: 5, maxDelayMs: 10 } });
    w.offer([1, 2, 3, 4]);
    await w.shutdown({ timeoutMs: 50 });
    expect(w.stats()).toMatchObject({ queuedRows: 4, flushedRowsTotal: 0 });
    const calls = fake.insert.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fake.insert.mock.calls.length).toBe(calls); // stopped retrying
  });

  it('records flush latency', async () => {
    const fake = fakeInsert();
    const w = writer({ insert: fake.insert });
    expect(w.stats().lastFlushLatencyMs).toBeNull();
    w.offer([1, 2, 3]);
    await w.flush();
    const stats = w.stats();
    expect(stats.lastFlushLatencyMs).toBeGreaterThanOrEqual(0);
    expect(stats.flushLatencyMs.count).toBe(1);
    expect(stats.flushLatencyMs.buckets.at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 1 });
  });
});
