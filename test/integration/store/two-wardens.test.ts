// Two Warden processes sharing one ClickHouse (issue: several Wardens must not corrupt shared
// state). The store is the real engine behind the ClickHouse HTTP interface
// (test/helpers/clickhouse-http-front.ts), reached through WARDEN_CLICKHOUSE_URL exactly as a
// server would be.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickHouseFront, type ClickHouseFront } from '../../helpers/start-clickhouse-front.ts';
import { eventually } from '../../helpers/start-test-warden.ts';
import { startWardenProcess, type WardenProcess } from '../../helpers/start-warden-process.ts';
import { startReceiver, type Receiver } from '../delivery/fixtures/receiver.ts';
import { nowNs, otlpJsonRequest } from '../../helpers/otlp-json.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const TOKEN = 'api-token-for-two-wardens';
const dirs: string[] = [];
const tempDir = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `warden-two-${name}-`));
  dirs.push(dir);
  return dir;
};

let front: ClickHouseFront;
let runtime: Receiver;
let a: WardenProcess;
let b: WardenProcess;
let storeEnv: Record<string, string>;

function wardenEnv(instance: string): Record<string, string> {
  return {
    ...storeEnv,
    WARDEN_INSTANCE_ID: instance,
    WARDEN_DATA_DIR: tempDir(instance),
    WARDEN_POLICY: join(repoRoot, 'demo/demo-policy.yaml'),
    WARDEN_SUSPEND_URL: `${runtime.url}/suspend`,
    WARDEN_SIGNING_SECRET: 'shared-signing-secret',
    WARDEN_API_TOKEN: TOKEN,
  };
}

beforeAll(async () => {
  front = await startClickHouseFront({ dataDir: tempDir('clickhouse'), user: 'warden', password: 'secret-pw' });
  storeEnv = { WARDEN_CLICKHOUSE_URL: front.url, WARDEN_CLICKHOUSE_USER: 'warden', WARDEN_CLICKHOUSE_PASSWORD: 'secret-pw', WARDEN_CLICKHOUSE_DATABASE: 'fleet' };
  runtime = await startReceiver(() => ({ status: 200, body: 'ok' }));
  // Started together: both run the migrations at once.
  [a, b] = await Promise.all([startWardenProcess(wardenEnv('warden-a')), startWardenProcess(wardenEnv('warden-b'))]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await runtime?.close();
  await front?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let spanCounter = 0;
async function sendToolCalls(warden: WardenProcess, agentId: string, calls: number, tool = 'restart_service'): Promise<void> {
  const traceId = (Date.now() * 1000 + ++spanCounter).toString(16).padStart(32, '0');
  const now = nowNs();
  const body = otlpJsonRequest(
    Array.from({ length: calls }, (_, i) => ({
      traceId,
      spanId: (++spanCounter).toString(16).padStart(16, '0'),
      name: `execute_tool ${tool}`,
      startNs: now + BigInt(i) * 1000n,
      attributes: { 'gen_ai.agent.id': agentId, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool, 'gen_ai.tool.call.arguments': '{"service":"billing"}' },
    })),
  );
  const response = await fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(response.status).toBe(200);
}

const callbacksFor = (agentId: string, type: string) =>
  runtime.requests.filter((request) => {
    const body = JSON.parse(request.body) as { type?: string; agent_id?: string };
    return body.type === type && body.agent_id === agentId;
  });

async function api<T>(warden: WardenProcess, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${warden.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: response.status, body: (await response.json()) as T };
}

describe('two Wardens on one ClickHouse', () => {
  it('each suspends the looping agent it receives, and each callback is delivered exactly once', async () => {
    await sendToolCalls(a, 'looper-a', 6);
    await sendToolCalls(b, 'looper-b', 6);
    await eventually(async () => (callbacksFor('looper-a', 'agent.suspend').length > 0 && callbacksFor('looper-b', 'agent.suspend').length > 0 ? true : undefined), 15_000, 'both suspension callbacks');
    await new Promise((r) => setTimeout(r, 1500));
    expect(callbacksFor('looper-a', 'agent.suspend')).toHaveLength(1);
    expect(callbacksFor('looper-b', 'agent.suspend')).toHaveLength(1);
  });

  it('shows every alert through either API, and refuses to ack an alert firing on the other instance', async () => {
    const [fromA, fromB] = await Promise.all([
      api<{ alerts: Array<{ id: string; agent_id: string }> }>(a, '/api/v1/alerts?kind=loop'),
      api<{ alerts: Array<{ id: string; agent_id: string }> }>(b, '/api/v1/alerts?kind=loop'),
    ]);
    expect(fromA.body.alerts.map((x) => x.agent_id).sort()).toEqual(['looper-a', 'looper-b']);
    expect(fromB.body.alerts.map((x) => x.id).sort()).toEqual(fromA.body.alerts.map((x) => x.id).sort());
    const alertOfA = fromA.body.alerts.find((x) => x.agent_id === 'looper-a')!;
    const refused = await api<{ code: string; message: string }>(b, `/api/v1/alerts/${alertOfA.id}/ack`, { method: 'POST', body: '{"by":"bob"}' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'WARDEN_ALERT_OWNED_ELSEWHERE' });
    expect(refused.body.message).toContain('warden-a');
    const acked = await api<{ acked_by: string }>(a, `/api/v1/alerts/${alertOfA.id}/ack`, { method: 'POST', body: '{"by":"bob"}' });
    expect(acked).toMatchObject({ status: 200, body: { acked_by: 'bob' } });
  });

  it('applies a suspension made through one instance on the other within seconds, kill switch check included', async () => {
    const suspended = await api<{ action: { id: string } }>(a, '/api/v1/agents/triage-c/suspend', { method: 'POST', body: '{"reason":"manual stop","by":"alice"}' });
    expect(suspended.status).toBe(202);
    const seenByB = Date.now();
    await eventually(async () => ((await api<{ status: string }>(b, '/api/v1/agents/triage-c')).body.status === 'suspended' ? true : undefined), 10_000, 'warden-b to see the suspension');
    expect(Date.now() - seenByB).toBeLessThan(6_000);
    // Once warden-b also knows the callback was delivered, a span reaching it is suspended_activity.
    await eventually(async () => (callbacksFor('triage-c', 'agent.suspend').length === 1 ? true : undefined), 10_000, 'the callback');
    await new Promise((r) => setTimeout(r, 2_500));
    await sendToolCalls(b, 'triage-c', 1, 'read_logs');
    const alert = await eventually(async () => {
      const { body } = await api<{ alerts: Array<{ agent_id: string; severity: string }> }>(b, '/api/v1/alerts?kind=suspended_activity');
      return body.alerts.find((x) => x.agent_id === 'triage-c');
    }, 10_000, 'suspended_activity on warden-b');
    expect(alert.severity).toBe('critical');
  });

  it('restarts one instance without re-sending the other one\'s deliveries, and both chains verify', async () => {
    const before = runtime.requests.length;
    expect(await b.stop()).toBe(0);
    b = await startWardenProcess({ ...wardenEnv('warden-b'), WARDEN_DATA_DIR: tempDir('warden-b2') });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(runtime.requests.length).toBe(before);

    const verify = spawn(process.execPath, ['src/cli/warden.ts', 'audit', 'verify'], { cwd: repoRoot, env: { PATH: process.env['PATH'] ?? '', ...storeEnv } });
    let out = '';
    verify.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    verify.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((r) => verify.once('exit', r));
    expect(out).toContain('warden-a');
    expect(out).toContain('warden-b');
    expect(code).toBe(0);
  });
});
