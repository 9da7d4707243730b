import { NEWLINE, skipRows, type RowBlock } from '../row-block.ts';

// A journal record is what one accepted request added to the write queues: its rows, already
// serialized as JSONEachRow lines, per table. JSON lines never contain a raw newline, so the
// payload is plain text: the sequence number, then per table a `<table> <rows>` line and rows.
// The rows are the very bytes queued and inserted, so writing and replaying a record copies
// them and decodes nothing.

export interface JournalRecord {
  seq: number;
  /** Rows per table, in the span store's writer order. */
  tables: Array<readonly [table: string, rows: RowBlock]>;
}

/** The record's payload in parts, for one copy into its frame. */
export function encodeRecord(record: JournalRecord): Buffer[] {
  const parts: Buffer[] = [];
  let header = `${record.seq}\n`;
  for (const [table, block] of record.tables) {
    if (block.rows === 0) continue;
    parts.push(Buffer.from(`${header}${table} ${block.rows}\n`, 'latin1'));
    parts.push(block.bytes);
    header = '';
  }
  if (header !== '') parts.push(Buffer.from(header, 'latin1'));
  return parts;
}

const TABLE_HEADER = /^([a-z_0-9]+) (\d+)$/;

/** null for a payload that is not a record (a CRC-valid frame of another format). The rows
 *  share the payload's memory. */
export function decodeRecord(payload: Buffer): JournalRecord | null {
  const seqEnd = payload.indexOf(NEWLINE);
  if (seqEnd === -1) return null;
  const seq = Number(payload.toString('latin1', 0, seqEnd));
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  const tables: Array<readonly [string, RowBlock]> = [];
  let at = seqEnd + 1;
  while (at < payload.length) {
    const headerEnd = payload.indexOf(NEWLINE, at);
    if (headerEnd === -1 || headerEnd - at > 200) return null;
    const header = TABLE_HEADER.exec(payload.toString('latin1', at, headerEnd));
    if (header === null) return null;
    const rows = Number(header[2]);
    const end = skipRows(payload, headerEnd + 1, rows);
    if (end === -1) return null;
    tables.push([header[1]!, { bytes: payload.subarray(headerEnd + 1, end), rows }]);
    at = end;
  }
  return { seq, tables };
}
