import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-callback-restart-'));
let receiver: Server | undefined;
let warden: TestWarden | undefined;

afterAll(async () => {
  await warden?.shutdown();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

describe('a suspension callback pending when Warden stops', () => {
  it('is delivered after Warden starts again, with the same idempotency key', async () => {
    const keys: string[] = [];
    let up = false;
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        keys.push(String(request.headers['idempotency-key']));
        response.writeHead(up ? 200 : 503).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const env = {
      WARDEN_SUSPEND_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`,
      WARDEN_API_TOKEN: 'token',
    };
    const dataDir = join(dir, 'data');

    warden = await startTestWarden(env, dataDir);
    const suspended = await fetch(`${warden.apiUrl}/api/v1/agents/batch-agent/suspend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer token' },
      body: JSON.stringify({ reason: 'maintenance window' }),
    });
    expect(suspended.status).toBe(202);
    const actionId = ((await suspended.json()) as { action: { id: string } }).action.id;
    // The runtime is down: Warden is retrying when it stops.
    await eventually(async () => (keys.length >= 1 ? true : undefined), 10_000, 'a first, failed attempt');
    await warden.shutdown();
    warden = undefined;

    up = true;
    const attemptsBeforeRestart = keys.length;
    warden = await startTestWarden(env, dataDir);
    await eventually(async () => (keys.length > attemptsBeforeRestart ? true : undefined), 15_000, 'the delivery after restart');
    expect(new Set(keys)).toEqual(new Set([actionId]));
    // Delivered once: nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(keys.length).toBe(attemptsBeforeRestart + 1);
    // Suspended before it ever sent a span: still shown, as suspended.
    expect(await (await fetch(`${warden.apiUrl}/api/v1/agents/batch-agent`)).json()).toMatchObject({ id: 'batch-agent', status: 'suspended', spans_1h: 0 });
    // And listed with the agents, after a restart too (the status is rebuilt from the actions log).
    const { agents } = (await (await fetch(`${warden.apiUrl}/api/v1/agents`)).json()) as { agents: Array<{ id: string; status: string }> };
    expect(agents).toContainEqual(expect.objectContaining({ id: 'batch-agent', status: 'suspended' }));
  }, 60_000);
});
