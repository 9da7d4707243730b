// A journal record is what one accepted request added to the write queues: its rows, already
// serialized as JSONEachRow lines, per table. JSON lines never contain a raw newline, so the
// payload is plain text: the sequence number, then per table a `<table> <rows>` line and rows.

export interface JournalRecord {
  seq: number;
  /** Lines per table, in the span store's writer order. */
  tables: Array<readonly [table: string, lines: readonly string[]]>;
}

export function encodeRecord(record: JournalRecord): Buffer {
  const parts: string[] = [String(record.seq)];
  for (const [table, lines] of record.tables) {
    if (lines.length === 0) continue;
    parts.push(`${table} ${lines.length}`);
    for (const line of lines) parts.push(line);
  }
  return Buffer.from(`${parts.join('\n')}\n`, 'utf8');
}

/** null for a payload that is not a record (a CRC-valid frame of another format). */
export function decodeRecord(payload: Buffer): JournalRecord | null {
  const text = payload.toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const seq = Number(lines[0]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  const tables: Array<readonly [string, string[]]> = [];
  let at = 1;
  while (at < lines.length) {
    const header = /^([a-z_0-9]+) (\d+)$/.exec(lines[at]!);
    if (header === null) return null;
    const count = Number(header[2]);
    if (at + 1 + count > lines.length) return null;
    tables.push([header[1]!, lines.slice(at + 1, at + 1 + count)]);
    at += 1 + count;
  }
  return { seq, tables };
}
