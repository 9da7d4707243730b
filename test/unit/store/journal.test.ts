import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal, type Appended, type Journal, type JournalPosition } from '../../../src/store/journal/journal.ts';
import { decodeRecord, encodeRecord, type JournalRecord } from '../../../src/store/journal/journal-record.ts';
import { rowBlockLines, rowBlockOf } from '../../../src/store/row-block.ts';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-journal-'));
  dirs.push(dir);
  return dir;
}

const lines = (n: number, tag: string): string[] =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ SpanId: `${tag}-${i}`, note: 'naïve ✓ \u{1F600} "quoted" \\ \n' }));
const rows = (n: number, tag: string): JournalRecord['tables'] => [
  ['otel_traces', rowBlockOf(lines(n, tag))],
  ['outcomes', rowBlockOf([])],
];

async function readAll(journal: Journal, from: JournalPosition): Promise<JournalRecord[]> {
  const all: JournalRecord[] = [];
  let position = from;
  for (let i = 0; i < 1000; i++) {
    const { records, next } = await journal.read(position, 64 * 1024);
    all.push(...records);
    if (records.length === 0 && (journal.atEnd(next) || (next.segment === position.segment && next.offset === position.offset))) break;
    position = next;
  }
  return all;
}

const walFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.wal')).sort();

describe('journal record format', () => {
  it('reads records written by earlier versions: a text header, then each table\'s rows', () => {
    const payload = Buffer.from('7\notel_traces 2\n{"SpanId":"a"}\n{"SpanId":"é"}\noutcomes 1\n{"o":1}\n', 'utf8');
    const record = decodeRecord(payload)!;
    expect(record.seq).toBe(7);
    expect(record.tables.map(([table, block]) => [table, rowBlockLines(block)])).toEqual([
      ['otel_traces', ['{"SpanId":"a"}', '{"SpanId":"é"}']],
      ['outcomes', ['{"o":1}']],
    ]);
    expect(Buffer.concat(encodeRecord(record))).toEqual(payload);
    // Fewer rows than the header claims: not a record.
    expect(decodeRecord(Buffer.from('7\notel_traces 3\n{}\n{}\n'))).toBeNull();
  });
});

describe('write-ahead journal', () => {
  it('makes appends durable and reads them back in order, byte for byte', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, maxBytes: 10_000_000, logger });
    const first = journal.append(rows(3, 'a'))!;
    const second = journal.append(rows(2, 'b'))!;
    expect(await first.durable).toEqual({ ok: true, value: undefined });
    expect(await second.durable).toEqual({ ok: true, value: undefined });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    const records = await readAll(journal, first.position);
    expect(records.map((r) => r.seq)).toEqual([1, 2]);
    expect(records[0]!.tables.map(([table, block]) => [table, rowBlockLines(block)])).toEqual([['otel_traces', lines(3, 'a')]]);
    expect(journal.stats()).toMatchObject({ lastSeq: 2, doneSeq: 0, segments: 1 });
    await journal.close();
  });

  it('recovers what was not done after a restart, continues the sequence, and forgets what was', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, maxBytes: 10_000_000, logger, segmentBytes: 4096 });
    const appended: Appended[] = [];
    for (let i = 0; i < 20; i++) appended.push(journal.append(rows(20, `r${i}`))!);
    await Promise.all(appended.map((a) => a.durable));
    expect(walFiles(dir).length).toBeGreaterThan(2);
    journal.markDone(12);
    await journal.close(); // as after a crash: 13..20 are not in ClickHouse

    const reopened = await openJournal({ dir, maxBytes: 10_000_000, logger, segmentBytes: 4096 });
    expect(readFileSync(join(dir, 'checkpoint'), 'utf8').trim()).toBe('12');
    const recovered = (await readAll(reopened, reopened.recoveredFrom!)).filter((r) => r.seq > reopened.doneSeq());
    expect(recovered.map((r) => r.seq)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(reopened.append(rows(1, 'next'))!.seq).toBe(21);
    reopened.markDone(21);
    await reopened.close();

    const clean = await openJournal({ dir, maxBytes: 10_000_000, logger, segmentBytes: 4096 });
    expect(clean.recoveredFrom).toBeNull();
    expect(walFiles(dir)).toEqual([]);
    await clean.close();
  });

  it('skips a record torn by a crash mid-write, and a corrupt one, and reads on in the next segment', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, maxBytes: 10_000_000, logger, segmentBytes: 2048 });
    const appended: Appended[] = [];
    for (let i = 0; i < 12; i++) appended.push(journal.append(rows(3, `t${i}`))!);
    await Promise.all(appended.map((a) => a.durable));
    await journal.close();
    const [firstFile, secondFile] = walFiles(dir);
    // A torn tail on the first segment: half a header, as a crash during write() leaves it.
    appendFileSync(join(dir, firstFile!), Buffer.from([0x57, 0x4a, 0x52]));
    // A flipped byte inside the second segment's second record.
    const second = readFileSync(join(dir, secondFile!));
    const firstLength = 12 + second.readUInt32BE(4);
    second[firstLength + 20] = second[firstLength + 20]! ^ 0xff;
    writeFileSync(join(dir, secondFile!), second);

    const reopened = await openJournal({ dir, maxBytes: 10_000_000, logger, segmentBytes: 2048 });
    const seqs = (await readAll(reopened, reopened.recoveredFrom!)).map((r) => r.seq);
    const perSegment = appended.filter((a) => a.position.segment === appended[0]!.position.segment).length;
    // All of segment one, the first record of segment two, then every later segment whole.
    const secondStart = perSegment + 1;
    const thirdStart = appended.find((a) => a.position.segment > secondStart)?.seq ?? 13;
    const expected = [...Array.from({ length: perSegment }, (_, i) => i + 1), secondStart, ...Array.from({ length: 12 - thirdStart + 1 }, (_, i) => thirdStart + i)];
    expect(seqs).toEqual(expected);
    await reopened.close();
  });

  it.each([
    ['segments smaller than the bound', 1000],
    ['one segment holding everything (a bound below the smallest segment)', undefined],
  ])('refuses appends past its size bound, and takes them again once space is freed: %s', async (_, segmentBytes) => {
    const dir = tempDir();
    const journal = await openJournal({ dir, maxBytes: 3000, logger, checkpointIntervalMs: 20, ...(segmentBytes === undefined ? {} : { segmentBytes }) });
    const accepted: Appended[] = [];
    let refused = 0;
    for (let i = 0; i < 60; i++) {
      const appended = journal.append(rows(2, `m${i}`));
      if (appended === null) refused++;
      else accepted.push(appended);
    }
    await Promise.all(accepted.map((a) => a.durable));
    expect(refused).toBeGreaterThan(0);
    expect(journal.stats().bytes).toBeLessThanOrEqual(3000);
    journal.markDone(accepted.at(-1)!.seq);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(journal.append(rows(2, 'after'))).not.toBeNull();
    await journal.close();
  });
});
