import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../src/store/backoff.ts';
import { millisToDateTime64, nanosToDateTime64, nanosToIso } from '../../../src/store/datetime64.ts';
import { qualifiedTable, validateIdentifier } from '../../../src/store/identifiers.ts';
import { insertError } from '../../../src/store/insert-error.ts';
import { concatRowBlocks, RowBlockBuilder, rowBlockLines, rowBlockOf, splitRowBlock } from '../../../src/store/row-block.ts';
import { RowQueue } from '../../../src/store/row-queue.ts';
import { ttlClause, ttlDaysOf } from '../../../src/store/schema/ttl-clause.ts';

describe('DateTime64 values', () => {
  it('formats nanoseconds exactly and clamps to the type range', () => {
    expect(nanosToDateTime64(1_700_000_000_123_456_789n)).toBe('1700000000.123456789');
    expect(nanosToDateTime64(0n)).toBe('0.000000000');
    expect(nanosToDateTime64(-1n)).toBe('0.000000000');
    expect(nanosToDateTime64(2n ** 70n)).toBe('9223372036.854775807');
    expect(millisToDateTime64(1_700_000_000_007)).toBe('1700000000.007');
  });

  it('renders ISO 8601 with nine fractional digits', () => {
    expect(nanosToIso('1700000000123456789')).toBe('2023-11-14T22:13:20.123456789Z');
    expect(nanosToIso(5n)).toBe('1970-01-01T00:00:00.000000005Z');
  });
});

describe('identifiers', () => {
  it('accepts plain identifiers only', () => {
    expect(validateIdentifier('warden_1', 'db')).toEqual({ ok: true, value: 'warden_1' });
    for (const bad of ['', '1abc', 'a-b', 'a.b', 'a`b', 'a b', "a'; DROP"]) {
      expect(validateIdentifier(bad, 'db').ok, bad).toBe(false);
    }
    expect(qualifiedTable('db', 't')).toBe('`db`.`t`');
  });
});

describe('TTL clause', () => {
  it('round-trips the days through engine_full, and is empty for 0', () => {
    expect(ttlClause('toDateTime(Timestamp)', 30)).toBe('TTL toDateTime(Timestamp) + toIntervalDay(30)');
    expect(ttlClause('Day', 0)).toBe('');
    expect(ttlDaysOf('MergeTree ORDER BY x TTL toDateTime(Timestamp) + toIntervalDay(30) SETTINGS a = 1')).toBe(30);
    expect(ttlDaysOf('MergeTree ORDER BY x SETTINGS ttl_only_drop_parts = 1')).toBe(0);
    expect(ttlDaysOf('MergeTree ORDER BY x TTL toDateTime(Timestamp) + toIntervalMonth(1)')).toBeNull();
  });
});

describe('RowQueue', () => {
  const take = (queue: RowQueue, rows: number): string[] => rowBlockLines(queue.take(rows));

  it('takes batches across and within accepted blocks, oldest first', () => {
    const queue = new RowQueue();
    queue.push(rowBlockOf(['a', 'b']));
    queue.push(rowBlockOf(['c', 'd', 'e']));
    queue.push(rowBlockOf([]));
    queue.push(rowBlockOf(['f']));
    expect(queue.rows).toBe(6);
    expect(take(queue, 3)).toEqual(['a', 'b', 'c']);
    expect(take(queue, 1)).toEqual(['d']);
    expect(take(queue, 10)).toEqual(['e', 'f']);
    expect(queue.take(10).rows).toBe(0);
    expect(queue.rows).toBe(0);
  });

  it('stays correct after compacting many taken blocks', () => {
    const queue = new RowQueue();
    for (let i = 0; i < 5000; i++) queue.push(rowBlockOf([String(i)]));
    const taken: string[] = [];
    while (queue.rows > 0) taken.push(...take(queue, 7));
    expect(taken).toEqual(Array.from({ length: 5000 }, (_, i) => String(i)));
  });

  it('splits and joins blocks by row, multi-byte text included', () => {
    const block = rowBlockOf(['{"a":"é"}', '{"b":"日本"}', '{"c":1}']);
    expect(block.bytes.toString('utf8')).toBe('{"a":"é"}\n{"b":"日本"}\n{"c":1}\n');
    const [first, rest] = splitRowBlock(block, 2);
    expect(rowBlockLines(first)).toEqual(['{"a":"é"}', '{"b":"日本"}']);
    expect(rowBlockLines(rest)).toEqual(['{"c":1}']);
    expect(concatRowBlocks([rest, first]).rows).toBe(3);
    expect(rowBlockLines(concatRowBlocks([rest, first]))).toEqual(['{"c":1}', '{"a":"é"}', '{"b":"日本"}']);
  });

  it('builds consecutive blocks side by side, so a batch of them needs no copy', () => {
    const builder = new RowBlockBuilder();
    const first = builder.build(['{"n":1}', '{"n":2}']);
    const second = builder.build(['{"n":3}']);
    const joined = concatRowBlocks([first, second]);
    expect(joined.bytes.buffer).toBe(first.bytes.buffer);
    expect(rowBlockLines(joined)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('keeps every row whole across slab boundaries, multi-byte text included', () => {
    const builder = new RowBlockBuilder();
    const expected: string[] = [];
    const blocks = [];
    // Rows of 1-3 byte characters, about 40 MB in all: many slabs, up to the largest size.
    for (let request = 0; request < 400; request++) {
      const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ r: request, i, text: ['a', 'é', '日', '\u{1F600}'][(request + i) % 4]!.repeat(500 + ((request * 7 + i) % 1500)) }));
      expected.push(...lines);
      blocks.push(builder.build(lines));
    }
    expect(blocks.every((block) => block.rows === 50)).toBe(true);
    expect(rowBlockLines(concatRowBlocks(blocks))).toEqual(expected);
    // Earlier blocks are never overwritten by later ones.
    expect(JSON.parse(rowBlockLines(blocks[0]!)[0]!)).toMatchObject({ r: 0, i: 0 });
  });
});

describe('backoffDelayMs', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(0, options, () => 0)).toBe(50);
    expect(backoffDelayMs(0, options, () => 1)).toBe(100);
    expect(backoffDelayMs(3, options, () => 1)).toBe(800);
    expect(backoffDelayMs(50, options, () => 1)).toBe(1000);
  });
});

describe('insertError', () => {
  it('is permanent for malformed data and retryable otherwise', () => {
    expect(insertError('t', Object.assign(new Error('Cannot parse input'), { code: '27' }))).toMatchObject({
      code: 'WARDEN_STORE_ROWS_REJECTED',
      retryable: false,
    });
    expect(insertError('t', Object.assign(new Error('Cannot parse input'), { code: 'CHDB_INSERT', clickhouseCode: 27 }))).toMatchObject({
      code: 'WARDEN_STORE_ROWS_REJECTED',
    });
    expect(insertError('t', Object.assign(new Error('Unknown table'), { code: '60' }))).toMatchObject({ retryable: true });
    expect(insertError('t', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({
      code: 'WARDEN_STORE_UNAVAILABLE',
      retryable: true,
    });
  });
});
