// ClickHouse (server mode) goes away under traffic and comes back: Warden keeps acknowledging
// into its journal up to the configured bound, then pushes back, and writes everything it
// acknowledged once the server returns. The server is the real engine behind ClickHouse's HTTP
// interface (test/helpers/clickhouse-http-front.ts), killed with SIGKILL and restarted on the
// same port and data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startClickHouseFront, type ClickHouseFront } from '../../helpers/start-clickhouse-front.ts';
import { eventually } from '../../helpers/start-test-warden.ts';
import { startWardenProcess, type WardenProcess } from '../../helpers/start-warden-process.ts';
import { nowNs, otlpJsonRequest } from '../../helpers/otlp-json.ts';

const dirs: string[] = [];
const tempDir = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `warden-outage-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function body(index: number): string {
  const traceId = (0xdead0000 + index).toString(16).padStart(32, '0');
  const now = nowNs();
  return otlpJsonRequest(
    Array.from({ length: 100 }, (_, i) => ({
      traceId,
      spanId: (index * 1000 + i + 1).toString(16).padStart(16, '0'),
      name: 'GET /inventory',
      kind: 3,
      startNs: now,
      durationNs: 1000n,
      attributes: { 'gen_ai.agent.id': `stock-agent-${index % 7}`, 'url.path': `/inventory/${i}` },
    })),
  );
}

describe('ClickHouse unreachable', () => {
  it('spools to the journal up to its bound, then pushes back, and writes every acknowledged span when the server returns', async () => {
    const clickhouseDir = tempDir('clickhouse');
    let front: ClickHouseFront = await startClickHouseFront({ dataDir: clickhouseDir });
    const port = Number(new URL(front.url).port);
    let warden: WardenProcess | undefined;
    try {
      warden = await startWardenProcess({
        WARDEN_CLICKHOUSE_URL: front.url,
        WARDEN_DATA_DIR: tempDir('warden'),
        WARDEN_MAX_QUEUED_SPANS: '300',
        WARDEN_JOURNAL_MAX_BYTES: String(4 * 1024 * 1024),
      });
      const post = (index: number) => fetch(`${warden!.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(index) });
      expect((await post(0)).status).toBe(200);

      front.kill();
      expect((await post(1)).status).toBe(200);
      // Warden spills once it sees ClickHouse failing (its next insert is refused); until then a
      // full queue pushes back, as it does when ClickHouse is merely behind.
      await eventually(async () => {
        const metrics = await (await fetch(`${warden!.apiUrl}/metrics`)).text();
        return /^warden_store_flush_failures_total\{table="otel_traces"\} [1-9]/m.test(metrics) ? true : undefined;
      }, 10_000, 'the first failed insert');
      const acknowledged = [0, 1];
      let pushedBack: Response | undefined;
      for (let index = 2; index <= 400 && pushedBack === undefined; index++) {
        const response = await post(index);
        if (response.status === 200) acknowledged.push(index);
        else pushedBack = response;
      }
      // Far more than the 300-span memory queue was acknowledged: it waited on disk.
      expect(acknowledged.length * 100).toBeGreaterThan(3_000);
      expect(pushedBack?.status).toBe(429);
      expect(pushedBack?.headers.get('retry-after')).toBe('2');
      const ready = await fetch(`${warden.apiUrl}/readyz`);
      expect(ready.status).toBe(503);

      front = await startClickHouseFront({ dataDir: clickhouseDir, port });
      const stored = async (index: number): Promise<boolean> => {
        const traceId = (0xdead0000 + index).toString(16).padStart(32, '0');
        const response = await fetch(`${warden!.apiUrl}/api/v1/traces/${traceId}`);
        if (response.status !== 200) return false;
        const { spans } = (await response.json()) as { spans: Array<{ span_id: string }> };
        return new Set(spans.map((s) => s.span_id)).size === 100;
      };
      await eventually(async () => ((await stored(acknowledged.at(-1)!)) ? true : undefined), 60_000, 'the last acknowledged request to be written');
      for (const index of acknowledged) expect(await stored(index)).toBe(true);
      await eventually(async () => ((await fetch(`${warden!.apiUrl}/readyz`)).status === 200 ? true : undefined), 30_000, 'ready again');
      // Traffic is taken again.
      expect((await post(1000)).status).toBe(200);
    } finally {
      await warden?.stop();
      await front.stop();
    }
  }, 180_000);
});
