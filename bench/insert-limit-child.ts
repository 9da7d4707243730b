// Limit (b), run as its own process: the embedded ClickHouse engine on a fresh directory with
// Warden's schema (openClickHouse + migrate, materialized views included), fed the bench's spans
// serialized exactly as Warden's span store does (normalizer -> spanToJsonLine), in Warden's
// batch size, through the insert Warden uses (createJsonInsert: the engine's raw insert of the
// JSONEachRow bytes), one insert at a time as Warden's writer does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNormalizer } from '../src/normalizer/create-normalizer.ts';
import { decodeTraceRequestProto } from '../src/otlp/decode-proto.ts';
import { openClickHouse } from '../src/store/clickhouse-client.ts';
import { createJsonInsert } from '../src/store/json-insert.ts';
import { migrate } from '../src/store/schema/migrate.ts';
import { rowBlockOf } from '../src/store/row-block.ts';
import { spanToJsonLine } from '../src/store/span-row.ts';
import { TABLES } from '../src/store/table-names.ts';
import { readMachineBusy } from './process-sampler.ts';
import { patchPayload, shiftToNow } from './payload-patch.ts';
import { buildPayloadSet, type PayloadSetOptions } from './payload-set.ts';

export interface InsertLimitArgs extends PayloadSetOptions {
  /** Rows prepared (the insert stops when they run out or durationMs has passed). */
  rows: number;
  batchRows: number;
  durationMs: number;
}

export interface InsertLimitResult {
  rowsPerSecond: number;
  rows: number;
  seconds: number;
  /** spanToJsonLine alone, rows/s (Warden does this on its main thread when it accepts). */
  serializePerSecond: number;
  bytesPerRow: number;
  /** CPU cores this process used while inserting (the engine's threads included). */
  cpuCores: number;
  /** CPU cores every other process on the machine used meanwhile (a shared box's other tenants). */
  otherCpuCores: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as InsertLimitArgs;
const database = 'warden';
const { payloads } = buildPayloadSet(args);
const normalizer = createNormalizer();
const spans = [];
for (let n = 0; spans.length < args.rows; n++) {
  const payload = payloads[n % payloads.length]!;
  patchPayload(payload, shiftToNow(payload));
  const decoded = decodeTraceRequestProto(payload.bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  spans.push(...normalizer.normalizeTraces(decoded.value));
}
const serializeStart = performance.now();
const lines = spans.map(spanToJsonLine);
const serializeSeconds = (performance.now() - serializeStart) / 1000;
const batches: string[][] = [];
for (let i = 0; i < lines.length; i += args.batchRows) batches.push(lines.slice(i, i + args.batchRows));

const dataDir = mkdtempSync(join(tmpdir(), 'warden-bench-insert-'));
const client = openClickHouse({ database, dataDir });
try {
  const migrated = await migrate(client, { database, ttlDays: 30 });
  if (!migrated.ok) throw new Error(migrated.error.message);
  const insert = createJsonInsert(client, { database, table: TABLES.spans });
  // One small insert first: the engine's first insert into a table pays one-off costs.
  const warm = await insert(rowBlockOf(lines.slice(0, 10)).bytes);
  if (!warm.ok) throw new Error(warm.error.message);
  let bytes = 0;
  let rows = 0;
  const cpuBefore = process.cpuUsage();
  const machineBefore = readMachineBusy();
  const start = performance.now();
  for (const batch of batches) {
    if (performance.now() - start > args.durationMs) break;
    // As batch-writer.ts does: the rows encoded once (rowBlockOf), their bytes inserted.
    const body = rowBlockOf(batch).bytes;
    bytes += body.length;
    const result = await insert(body);
    if (!result.ok) throw new Error(result.error.message);
    rows += batch.length;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuCores = (cpu.user + cpu.system) / 1e6 / seconds;
  const machineCores = (readMachineBusy().busySeconds - machineBefore.busySeconds) / seconds;
  const result: InsertLimitResult = {
    rowsPerSecond: rows / seconds,
    rows,
    seconds,
    serializePerSecond: lines.length / serializeSeconds,
    bytesPerRow: bytes / rows,
    cpuCores,
    otherCpuCores: Math.max(0, machineCores - cpuCores),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await client.close();
  rmSync(dataDir, { recursive: true, force: true });
}
