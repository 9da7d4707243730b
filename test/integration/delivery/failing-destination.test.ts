import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-failing-destination-'));
let receiver: Server;
let attempts = 0;
let warden: TestWarden;

beforeAll(async () => {
  // A webhook receiver that is down for good.
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      attempts++;
      response.writeHead(503).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, 'defaults:\n  tools: { deny: [drop_table] }\n');
  warden = await startTestWarden(
    { WARDEN_POLICY: policy, WARDEN_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` },
    join(dir, 'data'),
  );
});

afterAll(async () => {
  await warden?.shutdown();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('a notification destination that keeps failing', () => {
  it('is reported by a metric and an alert, and retried with backoff rather than in a loop', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [
            {
              scope: { name: 't' },
              spans: [
                {
                  traceId: 'd'.repeat(32),
                  spanId: '1'.repeat(16),
                  name: 'execute_tool drop_table',
                  kind: 1,
                  startTimeUnixNano: String(now),
                  endTimeUnixNano: String(now + 1000n),
                  attributes: [
                    { key: 'agent.id', value: { stringValue: 'db-agent' } },
                    { key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } },
                    { key: 'gen_ai.tool.name', value: { stringValue: 'drop_table' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const started = Date.now();
    expect((await fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);

    const alert = await eventually(async () => {
      const { alerts } = (await (await fetch(`${warden.apiUrl}/api/v1/alerts?kind=delivery_failure`)).json()) as {
        alerts: Array<{ rule: string; agent_id: string; severity: string; summary: string }>;
      };
      return alerts[0];
    }, 45_000, 'a delivery_failure alert');
    expect(alert).toMatchObject({ rule: 'destination_unhealthy:webhook', agent_id: '', severity: 'warning' });
    const metrics = await (await fetch(`${warden.apiUrl}/metrics`)).text();
    expect(metrics).toMatch(/warden_delivery_unhealthy\{destination="webhook"\} 1/);
    expect(metrics).toMatch(/warden_delivery_pending\{destination="webhook"\} [1-9]/);
    // Five attempts before it is called unhealthy, each after a backoff of at least a second.
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(attempts).toBeGreaterThanOrEqual(5);
    expect(attempts).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 2);
  }, 60_000);
});
