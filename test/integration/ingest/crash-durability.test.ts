// kill -9 under load, then restart on the same data directory: every span acknowledged before
// the kill is stored, and a suspension callback pending at the kill is delivered once after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/start-test-warden.ts';
import { startWardenProcess, type WardenProcess } from '../../helpers/start-warden-process.ts';
import { startReceiver } from '../delivery/fixtures/receiver.ts';
import { nowNs, otlpJsonRequest } from '../../helpers/otlp-json.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'warden-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const SPANS_PER_REQUEST = 200;

/** tool '' = plain work spans (no tool call), which no detector counts as agent steps. */
function requestBody(traceIndex: number, agentId: string, tool: string, args: (i: number) => string): string {
  const traceId = (0xc0de0000 + traceIndex).toString(16).padStart(32, '0');
  const now = nowNs();
  return otlpJsonRequest(
    Array.from({ length: SPANS_PER_REQUEST }, (_, i) => ({
      traceId,
      spanId: (traceIndex * 1000 + i + 1).toString(16).padStart(16, '0'),
      name: tool === '' ? 'GET /pages' : `execute_tool ${tool}`,
      startNs: now + BigInt(i) * 1000n,
      attributes: {
        'gen_ai.agent.id': agentId,
        ...(tool === ''
          ? { 'http.request.method': 'GET', 'url.path': args(i) }
          : { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool, 'gen_ai.tool.call.arguments': args(i) }),
        padding: 'x'.repeat(200),
      },
    })),
  );
}

describe('kill -9 under load', () => {
  it('loses no acknowledged span and delivers the pending callback once after restart', async () => {
    let runtimeUp = false;
    const runtime = await startReceiver(() => (runtimeUp ? { status: 200 } : { status: 503, body: 'runtime restarting' }));
    const env = {
      WARDEN_DATA_DIR: dataDir,
      WARDEN_POLICY: join(repoRoot, 'demo/demo-policy.yaml'),
      WARDEN_SUSPEND_URL: `${runtime.url}/suspend`,
      WARDEN_SIGNING_SECRET: 'crash-test-secret',
    };
    let warden: WardenProcess = await startWardenProcess(env);
    const acknowledged: number[] = [];
    try {
      // Load: 8 requests in flight, killed without warning while they are.
      let next = 1;
      let killed = false;
      const sender = async (): Promise<void> => {
        while (!killed) {
          const index = next++;
          try {
            const response = await fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(index, `worker-${index % 50}`, '', (i) => `/pages/${i}`) });
            if (response.status === 200) acknowledged.push(index);
          } catch {
            // The connection died with the process: not acknowledged, the client would retry.
          }
        }
      };
      const senders = Array.from({ length: 8 }, () => sender());
      await eventually(async () => (acknowledged.length >= 60 ? true : undefined), 60_000, '60 acknowledged requests');
      // A looping agent under that load: its suspension callback is refused (503) and pending at the kill.
      const loop = await fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(0, 'looper', 'restart_service', () => '{"service":"billing"}') });
      expect(loop.status).toBe(200);
      const callbacks = () => runtime.requests.filter((r) => (JSON.parse(r.body) as { agent_id?: string }).agent_id === 'looper');
      await eventually(async () => (callbacks().length > 0 ? true : undefined), 15_000, 'a first callback attempt');
      await warden.kill();
      killed = true;
      await Promise.all(senders);
      expect(warden.child.signalCode).toBe('SIGKILL');

      runtimeUp = true;
      const restartedAt = Date.now();
      warden = await startWardenProcess(env);
      for (const index of [0, ...acknowledged]) {
        const traceId = (0xc0de0000 + index).toString(16).padStart(32, '0');
        await eventually(async () => {
          const response = await fetch(`${warden.apiUrl}/api/v1/traces/${traceId}`);
          if (response.status !== 200) return undefined;
          const { spans } = (await response.json()) as { spans: Array<{ span_id: string }> };
          return new Set(spans.map((span) => span.span_id)).size === SPANS_PER_REQUEST ? true : undefined;
        }, 30_000, `every span of acknowledged request ${index}`);
      }
      const afterRestart = () => callbacks().filter((r) => r.atMs >= restartedAt);
      await eventually(async () => (afterRestart().length > 0 ? true : undefined), 30_000, 'the pending callback after restart');
      await new Promise((r) => setTimeout(r, 1500));
      // Accepted at the first attempt after restart, and never sent again; the same idempotency key throughout.
      expect(afterRestart()).toHaveLength(1);
      expect(new Set(callbacks().map((r) => r.headers['idempotency-key'])).size).toBe(1);
    } finally {
      await warden.stop();
      await runtime.close();
    }
  }, 180_000);
});
