import type { ClickHouseClient } from '@clickhouse/client';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';
import { ALL_VALUE, expandMacros } from '../../helpers/grafana-macros.ts';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';
import { queriesOf } from '../dashboards/dashboard-targets.ts';

// The compose stack's demo fleet against a real Warden: the environment both services get from
// docker-compose.yml (defaults interpolated), with loopback URLs instead of service names and a
// short schedule instead of one round every 30 s. Checked through Warden's REST API and /metrics
// while it runs, then through the dashboards' own SQL on its store.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const WELL_BEHAVED = ['support-alice', 'research-bob', 'triage-carol'];
const MISBEHAVING: Record<string, string> = { 'ops-looper': 'loop', 'report-spender': 'budget_exceeded', 'intern-shell': 'policy_violation' };
const ROUNDS = 2;

/** A service's environment from docker-compose.yml, `${VAR:-default}` read as its default. */
function composeEnv(service: string): Record<string, string> {
  const compose = parseYaml(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment: Record<string, unknown> }> };
  const env = compose.services[service]?.environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runFleet(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['demo/fleet-service.ts'], { cwd: repoRoot, env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Outcome { agent_id: string; trace_id: string; name: string; success: boolean | null }
interface Agent { id: string; status: string }
interface Alert { agent_id: string; kind: string; action: string }

const dir = mkdtempSync(join(tmpdir(), 'warden-fleet-'));
const wardenEnv = composeEnv('warden');
const fleetEnv = composeEnv('demo-fleet');
let warden: TestWarden | undefined;
let client: ClickHouseClient | undefined;
let fleet = { code: null as number | null, stdout: '', stderr: '' };
let agents: Agent[] = [];
let outcomes: Outcome[] = [];
let alerts: Alert[] = [];
const traceAgents = new Map<string, Set<string>>();
let metrics = '';
let startMs = 0;

async function read<T>(path: string): Promise<T> {
  const response = await fetch(`${warden!.apiUrl}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  startMs = Date.now() - 60_000;
  const port = await freePort();
  const suspendUrl = new URL(wardenEnv['WARDEN_SUSPEND_URL'] ?? '');
  suspendUrl.host = `127.0.0.1:${port}`;
  const dataDir = join(dir, 'data');
  warden = await startTestWarden({
    WARDEN_API_TOKEN: wardenEnv['WARDEN_API_TOKEN'] ?? '',
    WARDEN_SIGNING_SECRET: wardenEnv['WARDEN_SIGNING_SECRET'] ?? '',
    WARDEN_POLICY: join(repoRoot, 'demo/demo-policy.yaml'),
    WARDEN_SUSPEND_URL: suspendUrl.href,
  }, dataDir);
  fleet = await runFleet({
    ...fleetEnv,
    OTEL_EXPORTER_OTLP_ENDPOINT: warden.httpUrl,
    WARDEN_API_URL: warden.apiUrl,
    DEMO_FLEET_LISTEN: `127.0.0.1:${port}`,
    DEMO_FLEET_ROUNDS: String(ROUNDS),
    DEMO_FLEET_ROUND_SECONDS: '3',
    DEMO_FLEET_COOLDOWN_ROUNDS: '1',
    DEMO_FLEET_STEP_MS: '100',
  });
  // Every outcome the fleet logged was accepted (202); the store has it within a flush interval.
  const posted = (fleet.stdout.match(/ OUTCOME /g) ?? []).length;
  outcomes = await eventually(async () => {
    const { outcomes: stored } = await read<{ outcomes: Outcome[] }>('/api/v1/outcomes?limit=1000');
    return stored.length >= Math.max(posted, 1) ? stored : undefined;
  }, 10_000, `the ${posted} outcomes`);
  agents = (await read<{ agents: Agent[] }>('/api/v1/agents')).agents;
  alerts = (await read<{ alerts: Alert[] }>('/api/v1/alerts?limit=1000')).alerts;
  for (const traceId of new Set(outcomes.map((outcome) => outcome.trace_id))) {
    const { spans } = await read<{ spans: Array<{ agent_id: string }> }>(`/api/v1/traces/${traceId}`);
    traceAgents.set(traceId, new Set(spans.map((span) => span.agent_id)));
  }
  metrics = await (await fetch(`${warden.apiUrl}/metrics`)).text();
  // The actions log (suspensions, callbacks, resumes) has no REST route: the dashboards read it
  // from the store, reopened here once Warden has flushed and closed it.
  await warden.shutdown();
  client = openClickHouse({ database: 'warden', dataDir });
}, 60_000);

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function panel(dashboard: string, title: string): Promise<Record<string, unknown>[]> {
  const query = queriesOf(dashboard).find((candidate) => candidate.where === title);
  if (query === undefined) throw new Error(`no panel "${title}" in ${dashboard}`);
  const sql = expandMacros(query.rawSql, { fromMs: startMs, toMs: Math.ceil((Date.now() + 60_000) / 1000) * 1000, intervalMs: 60_000, variables: { agent: ALL_VALUE, datasource: 'warden-clickhouse' } });
  const result = await client!.query({ query: sql, format: 'JSONEachRow' });
  return result.json<Record<string, unknown>>();
}

describe('demo fleet service (demo/fleet-service.ts) against a real Warden', () => {
  it('runs its rounds and exits 0, one readable line per event', () => {
    const output = `stdout:\n${fleet.stdout}\nstderr:\n${fleet.stderr}`;
    expect(fleet.code, output).toBe(0);
    expect(fleet.stdout).not.toContain('PROBLEM');
    expect(fleet.stdout).not.toContain('\u001b[');
    expect(fleet.stdout).toMatch(/ROUND\s+round 2/);
    for (const [agent, kind] of Object.entries(MISBEHAVING)) {
      expect(fleet.stdout).toMatch(new RegExp(`CALLBACK\\s+agent\\.suspend for ${agent} \\(${kind}\\)\\s+signature ok`));
      expect(fleet.stdout).toMatch(new RegExp(`RESUME\\s+${agent} resumed through the API`));
      expect(fleet.stdout).toMatch(new RegExp(`CALLBACK\\s+agent\\.resume for ${agent}\\s+signature ok`));
    }
  });

  it('lists all six agents in Warden, every one active again at the end', () => {
    const ids = [...WELL_BEHAVED, ...Object.keys(MISBEHAVING)];
    expect(agents.map((agent) => agent.id).sort()).toEqual([...ids].sort());
    for (const agent of agents) expect(agent.status, agent.id).toBe('active');
  });

  it('stores an outcome per well-behaved run, tied to that agent\'s trace', () => {
    for (const agent of WELL_BEHAVED) {
      const own = outcomes.filter((outcome) => outcome.agent_id === agent);
      expect(own, agent).toHaveLength(ROUNDS);
      for (const outcome of own) {
        expect(outcome.trace_id).toMatch(/^[0-9a-f]{32}$/);
        expect([...(traceAgents.get(outcome.trace_id) ?? [])], `trace of ${agent}'s outcome`).toContain(agent);
        expect(typeof outcome.success).toBe('boolean');
      }
    }
    // A rule-breaking run stopped by its runtime reports none; the calm run after the resume does.
    for (const agent of Object.keys(MISBEHAVING)) expect(outcomes.filter((outcome) => outcome.agent_id === agent), agent).toHaveLength(1);
  });

  it('raised the critical alert that suspended each misbehaving agent, and none for the others', () => {
    for (const [agent, kind] of Object.entries(MISBEHAVING)) {
      expect(alerts.filter((alert) => alert.agent_id === agent && alert.kind === kind && alert.action === 'suspend'), agent).not.toHaveLength(0);
    }
    for (const agent of WELL_BEHAVED) expect(alerts.filter((alert) => alert.agent_id === agent && alert.action === 'suspend'), agent).toEqual([]);
  });

  it('delivered a suspend and a resume callback per misbehaving agent (/metrics)', () => {
    const delivered = /^warden_delivery_delivered\{destination="suspend"\} (\d+)$/m.exec(metrics);
    expect(Number(delivered?.[1])).toBe(2 * Object.keys(MISBEHAVING).length);
    expect(metrics).toMatch(/^warden_delivery_failed\{destination="suspend"\} 0$/m);
  });

  it('fills the Suspensions and Callback deliveries panels: suspended by warden, resumed by the fleet', async () => {
    const suspensions = await panel('alerts-enforcement.json', 'Suspensions');
    const deliveries = await panel('alerts-enforcement.json', 'Callback deliveries');
    for (const agent of Object.keys(MISBEHAVING)) {
      const own = suspensions.filter((row) => row['agent_id'] === agent);
      expect(own.map((row) => [row['type'], row['actor']]).sort(), agent).toEqual([['resume', 'demo-fleet'], ['suspend', 'warden']]);
      const delivered = deliveries.filter((row) => row['agent_id'] === agent);
      expect(delivered.map((row) => row['type']), agent).toEqual(['callback_delivered', 'callback_delivered']);
      // One delivery for the suspend action, one for the resume action.
      expect(new Set(delivered.map((row) => row['for_action'])).size, agent).toBe(2);
    }
    for (const agent of WELL_BEHAVED) expect(suspensions.filter((row) => row['agent_id'] === agent), agent).toEqual([]);
  });

  it('fills Cost per successful outcome with spend and outcomes of the well-behaved agents', async () => {
    const rows = await panel('cost-outcomes.json', 'Cost per successful outcome');
    for (const agent of WELL_BEHAVED) {
      const row = rows.find((candidate) => candidate['agent'] === agent);
      expect(row, agent).toBeDefined();
      expect(Number(row?.['usd'])).toBeGreaterThan(0);
      expect(Number(row?.['outcomes'])).toBe(ROUNDS);
    }
  });
});
