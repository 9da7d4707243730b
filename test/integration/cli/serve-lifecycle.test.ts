import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestWarden } from '../../helpers/start-test-warden.ts';
import { nowNs, otlpJsonRequest } from '../../helpers/otlp-json.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'warden-lifecycle-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  httpPort: number;
}

/** Runs `warden serve` the way `npm start` does and waits for its three listener lines. */
async function startServe(): Promise<Started> {
  const child = spawn(process.execPath, ['src/cli/warden.ts', 'serve'], {
    cwd: repoRoot,
    env: {
      PATH: process.env['PATH'] ?? '',
      WARDEN_DATA_DIR: dataDir,
      WARDEN_OTLP_GRPC_ADDR: '127.0.0.1:0',
      WARDEN_OTLP_HTTP_ADDR: '127.0.0.1:0',
      WARDEN_API_ADDR: '127.0.0.1:0',
    },
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const reader = createInterface({ input: child.stdout });
  const httpPort = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listener lines within 30 s:\n${lines.join('\n')}\n${stderr.join('')}`)), 30_000);
    let port = 0;
    reader.on('line', (line) => {
      lines.push(line);
      const message = (JSON.parse(line) as { msg?: string }).msg ?? '';
      const http = /OTLP\/HTTP listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(message);
      if (http) port = Number(http[1]);
      if (message.startsWith('OTLP/gRPC listening on')) {
        clearTimeout(timer);
        resolvePort(port);
      }
    });
    child.once('exit', (code) => reject(new Error(`warden exited early with ${code}:\n${stderr.join('')}`)));
  });
  return { child, lines, httpPort };
}

function spansJson(traceIndex: number, count: number): string {
  const traceId = traceIndex.toString(16).padStart(32, '0');
  const now = nowNs();
  return otlpJsonRequest(
    Array.from({ length: count }, (_, i) => ({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'execute_tool fetch',
      startNs: now + BigInt(i),
      durationNs: 1000n,
      attributes: { 'agent.id': 'lifecycle-agent', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'fetch', 'gen_ai.tool.call.arguments': JSON.stringify({ page: i }) },
    })),
  );
}

describe('warden serve', () => {
  it('prints one line per listener, and on SIGTERM writes everything it acknowledged and exits 0', async () => {
    const { child, lines, httpPort } = await startServe();
    const listenerLines = lines.map((line) => (JSON.parse(line) as { msg: string }).msg).filter((msg) => msg.includes('listening on'));
    expect(listenerLines).toHaveLength(3);
    expect(listenerLines.join('\n')).toMatch(/REST API listening on http:\/\/127\.0\.0\.1:\d+/);

    const traces = 8;
    const perTrace = 250;
    for (let t = 1; t <= traces; t++) {
      const response = await fetch(`http://127.0.0.1:${httpPort}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: spansJson(t, perTrace),
      });
      expect(response.status).toBe(200);
    }
    // Stop at once: the acknowledged spans may still be queued in memory.
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // A new Warden on the same data directory serves every span acknowledged before the stop.
    const restarted = await startTestWarden({}, dataDir);
    try {
      for (let t = 1; t <= traces; t++) {
        const response = await fetch(`${restarted.apiUrl}/api/v1/traces/${t.toString(16).padStart(32, '0')}`);
        expect(response.status).toBe(200);
        const body = (await response.json()) as { spans: unknown[] };
        expect(body.spans).toHaveLength(perTrace);
      }
    } finally {
      await restarted.shutdown();
    }
  }, 120_000);
});
