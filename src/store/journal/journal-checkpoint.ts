import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The highest sequence number whose rows are all in ClickHouse. Records up to it are never
// replayed; a checkpoint lost or a little behind only means some rows are inserted twice
// after a crash, never that a row is lost, so it is written without fsync.
const FILE = 'checkpoint';

export async function readCheckpoint(dir: string): Promise<number> {
  try {
    const seq = Number((await readFile(join(dir, FILE), 'utf8')).trim());
    return Number.isSafeInteger(seq) && seq > 0 ? seq : 0;
  } catch {
    return 0;
  }
}

export async function writeCheckpoint(dir: string, seq: number): Promise<void> {
  const temporary = join(dir, `${FILE}.tmp`);
  await writeFile(temporary, `${seq}\n`);
  await rename(temporary, join(dir, FILE));
}
