import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../../src/cli/audit-command.ts';
import type { ActionRecord, NewAction } from '../../../src/enforcer/action.ts';
import { actionHash } from '../../../src/enforcer/action-hash.ts';
import { createActionLog } from '../../../src/enforcer/action-log.ts';
import { createAgentStatusRegistry } from '../../../src/enforcer/agent-status-registry.ts';
import { verifyActionChains } from '../../../src/enforcer/verify-chain.ts';
import { createActionLogStore, type ActionLogStore } from '../../../src/store/action-log-store.ts';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';
import { migrate } from '../../../src/store/schema/migrate.ts';

const WARDEN_CLI = resolve(import.meta.dirname, '../../../src/cli/warden.ts');
const logger = pino({ level: 'silent' });
const DATABASES = ['warden', 'tampered', 'forged', 'gapped', 'multi'] as const;

let dataDir: string;
let client: ClickHouseClient | undefined;

function open(): ClickHouseClient {
  client = openClickHouse({ database: 'warden', dataDir });
  return client;
}

async function closeClient(): Promise<void> {
  await client?.close();
  client = undefined;
}

function storeOf(database: string): ActionLogStore {
  if (client === undefined) throw new Error('no client');
  const store = createActionLogStore(client, database);
  if (!store.ok) throw new Error(store.error.message);
  return store.value;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const suspend = (agentId: string, reason: string): NewAction => ({ type: 'suspend', agentId, actor: 'warden', reason, alertId: `alert-${agentId}`, payload: { severity: 'critical', kind: 'loop' } });

async function capture(argv: string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await auditCommand(argv, env, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { status, stdout, stderr };
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [WARDEN_CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** Five suspensions in a database of their own, for one way of tampering with it. */
async function fiveActions(database: string): Promise<ActionRecord[]> {
  const log = createActionLog({ client: client!, database, logger });
  unwrap(await log.start());
  const appended: ActionRecord[] = [];
  for (let i = 1; i <= 5; i++) appended.push(unwrap(await log.append(suspend(`agent-${i}`, `reason ${i}`))));
  await log.shutdown();
  return appended;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'warden-actions-'));
  open();
  for (const database of DATABASES) unwrap(await migrate(client!, { database, ttlDays: 30 }));
});

afterAll(async () => {
  await closeClient();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('actions log on the embedded engine', () => {
  let lastHash = '';

  it('writes appends from concurrent callers as one gapless chain', async () => {
    const log = createActionLog({ client: client!, database: 'warden', logger });
    unwrap(await log.start());
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(suspend(`agent-${i % 6}`, `decision ${i}`))));
    const records = results.map(unwrap);
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Call order is write order.
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await log.shutdown();
    const report = unwrap(await verifyActionChains(storeOf('warden'), { window: 7 }));
    expect(report).toMatchObject({ rows: 30, broken: null, chains: [{ chain: 'default', rows: 30, lastSeq: 30 }] });
  });

  it('continues the chain after a restart, and rebuilds agent status from it', async () => {
    await closeClient();
    open();
    const log = createActionLog({ client: client!, database: 'warden', logger });
    unwrap(await log.start());
    const resumed = unwrap(await log.append({ type: 'resume', agentId: 'agent-1', actor: 'api:ops', reason: 'fixed', payload: {} }));
    expect(resumed.seq).toBe(31);
    const delivered = unwrap(await log.append({ type: 'callback_delivered', agentId: 'agent-2', actor: 'warden', reason: 'callback 200', payload: { action_id: (await lastSuspendOf('agent-2')).id, attempts: 1 } }));
    await log.shutdown();

    await closeClient();
    open();
    const registry = createAgentStatusRegistry({ load: (limit) => storeOf('warden').suspensions(limit), logger });
    unwrap(await registry.start());
    expect(registry.statusOf('agent-1')).toBe('active');
    expect(registry.statusOf('agent-2')).toBe('suspended');
    expect(registry.suspension('agent-2')).toMatchObject({ actionId: (await lastSuspendOf('agent-2')).id, reason: 'decision 26', deliveredAtMs: delivered.atMs });
    expect(registry.suspension('agent-3')?.deliveredAtMs).toBeNull();
    expect(registry.statusOf('agent-9')).toBe('active');
    expect(registry.size()).toBe(5);

    const report = unwrap(await verifyActionChains(storeOf('warden')));
    expect(report).toMatchObject({ rows: 32, broken: null });
    lastHash = report.chains[0]?.lastHash ?? '';
  });

  it('lists actions newest first, per agent', async () => {
    const log = createActionLog({ client: client!, database: 'warden', logger });
    const listed = unwrap(await log.list({ agentId: 'agent-1', limit: 2 }));
    expect(listed.map((a) => [a.type, a.actor])).toEqual([['resume', 'api:ops'], ['suspend', 'warden']]);
    expect(listed[1]?.payload).toEqual({ kind: 'loop', severity: 'critical' });
    expect(unwrap(await log.list({ limit: 5000 }))).toHaveLength(32);
  });

  it('prepares tampered copies: an altered reason, a forged row, a removed row', async () => {
    await fiveActions('tampered');
    await client!.command({ query: "ALTER TABLE tampered.actions UPDATE reason = 'routine check' WHERE seq = 3", clickhouse_settings: { mutations_sync: '1' } });

    // An attacker who knows the encoding writes a second seq 3 with a valid hash.
    const forged = await fiveActions('forged');
    const original = forged[2]!;
    const fields = { ...original, reason: 'nothing happened' };
    const { hash: _hash, payload: _payload, ...hashed } = fields;
    unwrap(await storeOf('forged').insert({ ...hashed, id: `${original.id}-x`, hash: actionHash({ ...hashed, id: `${original.id}-x` }) }));

    await fiveActions('gapped');
    await client!.command({ query: 'ALTER TABLE gapped.actions DELETE WHERE seq = 2', clickhouse_settings: { mutations_sync: '1' } });
  });

  it('keeps one chain per instance: two logs on one table do not race', async () => {
    const columns = await client!.query({ query: "SELECT name, type FROM system.columns WHERE database = 'multi' AND table = 'actions' AND name = 'chain'", format: 'JSONEachRow' });
    expect(await columns.json()).toEqual([{ name: 'chain', type: 'LowCardinality(String)' }]);
    const a = createActionLog({ client: client!, database: 'multi', logger, chain: 'warden-a' });
    const b = createActionLog({ client: client!, database: 'multi', logger, chain: 'warden-b' });
    unwrap(await a.start());
    unwrap(await b.start());
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).append(suspend(`agent-${i}`, `r${i}`))));
    expect(results.map((r) => unwrap(r).seq)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const report = unwrap(await verifyActionChains(storeOf('multi'), { window: 2 }));
    expect(report.broken).toBeNull();
    expect(report.chains.map((c) => [c.chain, c.rows])).toEqual([['warden-a', 5], ['warden-b', 5]]);
  });

  it('refuses to verify while another process holds the embedded store, saying what to do', async () => {
    const held = await runCli(['audit', 'verify'], { WARDEN_DATA_DIR: dataDir });
    expect(held.code).toBe(3);
    expect(held.stderr).toContain('WARDEN_STORE_LOCKED');
    await closeClient();
  });

  it('warden audit verify: ok for an intact chain, with its last hash', async () => {
    const { status, stdout } = await capture(['verify'], { WARDEN_DATA_DIR: dataDir });
    expect(status).toBe(0);
    expect(stdout).toBe(`ok: 32 actions, chain intact (last hash ${lastHash})\n`);
  });

  it('warden audit verify reports every chain', async () => {
    const { status, stdout } = await capture(['verify'], { WARDEN_DATA_DIR: dataDir, WARDEN_CLICKHOUSE_DATABASE: 'multi' });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^ok: 10 actions in 2 chains, every chain intact\n  chain warden-a: 5 actions \(last hash [0-9a-f]{64}\)\n  chain warden-b: 5 actions/);
  });

  it('warden audit verify names the altered, forged and removed rows', async () => {
    const tampered = await capture(['verify'], { WARDEN_DATA_DIR: dataDir, WARDEN_CLICKHOUSE_DATABASE: 'tampered' });
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toMatch(/^FAILED: action seq 3 \(id [0-9a-f-]+\): hash mismatch: /);
    expect(tampered.stderr).toContain('WARDEN_AUDIT_CHAIN_BROKEN');

    const forged = await capture(['verify'], { WARDEN_DATA_DIR: dataDir, WARDEN_CLICKHOUSE_DATABASE: 'forged' });
    expect(forged.status).toBe(1);
    expect(forged.stdout).toMatch(/^FAILED: action seq 3 \(id [0-9a-f-]+(-x)?\): duplicate seq: /);

    const gapped = await capture(['verify'], { WARDEN_DATA_DIR: dataDir, WARDEN_CLICKHOUSE_DATABASE: 'gapped' });
    expect(gapped.status).toBe(1);
    expect(gapped.stdout).toContain('FAILED: action seq 3 ');
    expect(gapped.stdout).toContain('gap: expected seq 2, found 3');
  });

  it('warden audit verify as a process: exit 1 naming the tampered row', async () => {
    const run = await runCli(['audit', 'verify'], { WARDEN_DATA_DIR: dataDir, WARDEN_CLICKHOUSE_DATABASE: 'tampered' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAILED: action seq 3 \(id [0-9a-f-]+\): hash mismatch: stored hash [0-9a-f]{64}, recomputed [0-9a-f]{64}/);
    const usage = await runCli(['audit', 'check'], { WARDEN_DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
  });
});

async function lastSuspendOf(agentId: string): Promise<ActionRecord> {
  const log = createActionLog({ client: client!, database: 'warden', logger });
  const listed = unwrap(await log.list({ agentId, limit: 100 }));
  const found = listed.find((a) => a.type === 'suspend');
  if (found === undefined) throw new Error(`no suspend of ${agentId}`);
  return found;
}
