import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';
import { nowNs, otlpJsonRequest } from '../../helpers/otlp-json.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-suspension-'));
const TOKEN = 'api-secret';
let warden: TestWarden;

beforeAll(async () => {
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    [
      'defaults:',
      '  severity: { loop: critical }',
      'agents:',
      '  - match: "shadow-*"',
      '    enforce: false',
      '',
    ].join('\n'),
  );
  warden = await startTestWarden({ WARDEN_POLICY: policy, WARDEN_API_TOKEN: TOKEN }, join(dir, 'data'));
});

afterAll(async () => {
  await warden?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
async function loop(agentId: string, calls: number): Promise<void> {
  const now = nowNs();
  const traceId = (++counter).toString(16).padStart(32, 'c');
  const body = otlpJsonRequest(
    Array.from({ length: calls }, (_, i) => ({
      traceId,
      spanId: (++counter).toString(16).padStart(16, '0'),
      name: 'execute_tool search',
      startNs: now + BigInt(i) * 1_000_000n,
      attributes: { 'agent.id': agentId, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search', 'gen_ai.tool.call.arguments': '{"q":"same"}' },
    })),
  );
  const response = await fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(response.status).toBe(200);
}

async function agent(id: string): Promise<{ status: string }> {
  return (await (await fetch(`${warden.apiUrl}/api/v1/agents/${id}`)).json()) as { status: string };
}

describe('suspension decided by policy', () => {
  it('suspends an agent whose critical loop alert says suspend, and records it', async () => {
    await loop('looper-1', 5);
    const [alert] = await eventually(async () => {
      const { alerts } = (await (await fetch(`${warden.apiUrl}/api/v1/alerts?agent=looper-1`)).json()) as { alerts: Array<{ action: string; severity: string }> };
      return alerts.length > 0 ? alerts : undefined;
    }, 5_000, 'the loop alert');
    expect(alert).toMatchObject({ severity: 'critical', action: 'suspend' });
    await eventually(async () => ((await agent('looper-1')).status === 'suspended' ? true : undefined), 5_000, 'looper-1 suspended');
  });

  it('records would_suspend in shadow mode and leaves the agent active', async () => {
    await loop('shadow-1', 5);
    const [alert] = await eventually(async () => {
      const { alerts } = (await (await fetch(`${warden.apiUrl}/api/v1/alerts?agent=shadow-1`)).json()) as { alerts: Array<{ action: string }> };
      return alerts.length > 0 ? alerts : undefined;
    }, 5_000, 'the shadow loop alert');
    expect(alert?.action).toBe('would_suspend');
    expect((await agent('shadow-1')).status).toBe('active');
  });

  it('resumes and suspends by hand through the API, with the API token', async () => {
    const resumeRefused = await fetch(`${warden.apiUrl}/api/v1/agents/looper-1/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'reviewed' }),
    });
    expect(resumeRefused.status).toBe(401);

    const resumed = await fetch(`${warden.apiUrl}/api/v1/agents/looper-1/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ reason: 'reviewed the loop', by: 'alice' }),
    });
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toMatchObject({ status: 'active', action: { type: 'resume', actor: 'alice', reason: 'reviewed the loop' } });
    expect((await agent('looper-1')).status).toBe('active');

    const suspended = await fetch(`${warden.apiUrl}/api/v1/agents/shadow-1/suspend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ reason: 'manual stop' }),
    });
    expect(suspended.status).toBe(202);
    expect((await agent('shadow-1')).status).toBe('suspended');
    // Suspending twice records nothing new.
    const again = await fetch(`${warden.apiUrl}/api/v1/agents/shadow-1/suspend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ reason: 'manual stop' }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'suspended', action: null });

    const missingReason = await fetch(`${warden.apiUrl}/api/v1/agents/shadow-1/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({}),
    });
    expect(missingReason.status).toBe(400);
  });

  it('keeps suspensions across a restart', async () => {
    await warden.shutdown();
    warden = await startTestWarden({ WARDEN_API_TOKEN: TOKEN }, join(dir, 'data'));
    expect((await agent('shadow-1')).status).toBe('suspended');
    expect((await agent('looper-1')).status).toBe('active');
  });
});
