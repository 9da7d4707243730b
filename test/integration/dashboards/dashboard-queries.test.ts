import type { ClickHouseClient } from '@clickhouse/client';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';
import { ALL_VALUE, expandMacros, type MacroRange } from '../../helpers/grafana-macros.ts';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';
import { dashboardFiles, queriesOf } from './dashboard-targets.ts';
import { loopingCalls, sendTrace, supportTurn } from './seed-traces.ts';

// Seeds a real Warden over its public interfaces (OTLP/JSON, REST), stops it, then runs every
// dashboard query on the same data directory with the macros expanded for the seeded range.
const TOKEN = 'dashboards-secret';
const NORMAL = 'support-bot';
const LOOPER = 'looper-1';
const MANUAL = 'batch-agent';

/** Panels that must return rows on the seeded data, by dashboard file and panel title. */
const MUST_HAVE_ROWS: Record<string, string[]> = {
  'fleet-overview.json': [
    'Active agents', 'Suspended agents', 'Spans/s', 'Suspended agents list', 'Tokens per hour', 'USD per hour',
    'Firing alerts by kind', 'Top spenders', 'Top looping agents',
  ],
  'agent-drilldown.json': [
    'Timeline of actions', 'Tool mix: last hour vs previous 7 days', 'Spend vs baseline band', 'Recent traces', 'Latest trace', 'variable agent',
  ],
  'alerts-enforcement.json': ['Alerts with evidence', 'Suspensions', 'Callback deliveries', 'Time from detection to callback', 'variable agent'],
  'cost-outcomes.json': ['Cost per successful outcome', 'Spend with no outcome', 'Outcome rate per agent', 'Outcomes over time'],
};
/** $agent per dashboard: the normal agent has usage, traces and tools; "All" where offered. */
const AGENT_FOR: Record<string, string> = { 'agent-drilldown.json': NORMAL, 'alerts-enforcement.json': ALL_VALUE };

const dir = mkdtempSync(join(tmpdir(), 'warden-dashboards-'));
let receiver: Server | undefined;
let callbacks = 0;
let warden: TestWarden | undefined;
let client: ClickHouseClient | undefined;
let startMs = 0;
let endMs = 0;

async function api(path: string, init?: RequestInit): Promise<Response> {
  return fetch(`${warden!.apiUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });
}

beforeAll(async () => {
  startMs = Date.now() - 2 * 3600_000;
  // The agent runtime's suspension endpoint, so callback deliveries are logged.
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      callbacks++;
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  // Loops are critical, and critical alerts suspend: the looper is suspended from its alert.
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, 'defaults:\n  severity: { loop: critical }\n');
  const dataDir = join(dir, 'data');
  warden = await startTestWarden({
    WARDEN_API_TOKEN: TOKEN,
    WARDEN_POLICY: policy,
    WARDEN_SUSPEND_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`,
  }, dataDir);
  // Turns spread over the last 90 minutes, so the tool-mix baseline (before the last hour) and
  // the last hour both have calls.
  const traces: string[] = [];
  for (let turn = 0; turn < 8; turn++) traces.push(await sendTrace(warden.httpUrl, 'support-service', supportTurn(NORMAL, turn), (90 - turn * 11) * 60_000));
  // The looping agent calls the same tool with the same arguments 6 times in one trace.
  await sendTrace(warden.httpUrl, 'looper-service', loopingCalls(LOOPER, 6), 0);
  const outcomes = await api('/api/v1/outcomes', {
    method: 'POST',
    body: JSON.stringify([
      { agent_id: NORMAL, trace_id: traces[0], name: 'ticket_resolved', value: 1, success: true },
      { agent_id: NORMAL, trace_id: traces[1], name: 'ticket_resolved', value: 0, success: false },
    ]),
  });
  expect(outcomes.status).toBe(202);
  await eventually(async () => {
    const { alerts } = (await (await api(`/api/v1/alerts?agent=${LOOPER}`)).json()) as { alerts: unknown[] };
    return alerts.length > 0 ? true : undefined;
  }, 10_000, 'the loop alert');
  const suspended = await api(`/api/v1/agents/${MANUAL}/suspend`, { method: 'POST', body: JSON.stringify({ reason: 'maintenance window', by: 'sre' }) });
  expect(suspended.status).toBe(202);
  // Both suspensions (from the alert, and by hand) reach the runtime.
  await eventually(async () => (callbacks >= 2 ? true : undefined), 10_000, 'two suspension callbacks');
  // The callback_delivered row is written after the runtime answers, and no API shows it.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await eventually(async () => {
    const { outcomes: stored } = (await (await api(`/api/v1/outcomes?agent=${NORMAL}`)).json()) as { outcomes: unknown[] };
    return stored.length >= 2 ? true : undefined;
  }, 10_000, 'the outcomes');
  // Shutdown flushes the span writer; the store is then reopened in this process.
  await warden.shutdown();
  endMs = Math.ceil((Date.now() + 60_000) / 1000) * 1000;
  client = openClickHouse({ database: 'warden', dataDir });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function run(sql: string): Promise<Record<string, unknown>[]> {
  const result = await client!.query({ query: sql, format: 'JSONEachRow' });
  return result.json<Record<string, unknown>>();
}

describe('dashboard queries on seeded data', () => {
  it('has the seeded spans in the store', async () => {
    const [row] = await run(`SELECT count() AS spans FROM warden.otel_traces WHERE AgentId IN ('${NORMAL}', '${LOOPER}')`);
    expect(Number(row?.['spans'])).toBe(8 * 4 + 6);
  });

  const cases = dashboardFiles().flatMap((file) => queriesOf(file).map((q) => [`${file} / ${q.where}`, q] as const));
  it.each(cases)('%s runs with macros expanded', async (_label, query) => {
    const range: MacroRange = { fromMs: startMs, toMs: endMs, intervalMs: 60_000, variables: { agent: AGENT_FOR[query.dashboard] ?? NORMAL, datasource: 'warden-clickhouse' } };
    const rows = await run(expandMacros(query.rawSql, range));
    if (MUST_HAVE_ROWS[query.dashboard]?.includes(query.where)) expect(rows.length, `${query.where} returned no rows`).toBeGreaterThan(0);
  });

  it('lists every must-have panel among the dashboards\' queries', () => {
    for (const [file, titles] of Object.entries(MUST_HAVE_ROWS)) {
      const present = queriesOf(file).map((q) => q.where);
      for (const title of titles) expect(present).toContain(title);
    }
  });

  it('counts the suspended agent and spend of the normal agent', async () => {
    const range: MacroRange = { fromMs: startMs, toMs: endMs, intervalMs: 60_000, variables: {} };
    const fleet = queriesOf('fleet-overview.json');
    const sqlOf = (title: string): string => expandMacros(fleet.find((q) => q.where === title)!.rawSql, range);
    const [suspended] = await run(sqlOf('Suspended agents'));
    expect(Number(suspended?.['suspended'])).toBe(2);
    const spenders = await run(sqlOf('Top spenders'));
    expect(spenders[0]).toMatchObject({ agent: NORMAL });
    expect(Number(spenders[0]?.['usd'])).toBeGreaterThan(0);
    const looping = await run(sqlOf('Top looping agents'));
    expect(looping[0]).toMatchObject({ agent: LOOPER });
  });

  it('times the alert-driven suspension from detection to the delivered callback', async () => {
    const range: MacroRange = { fromMs: startMs, toMs: endMs, intervalMs: 60_000, variables: { agent: ALL_VALUE } };
    const query = queriesOf('alerts-enforcement.json').find((q) => q.where === 'Time from detection to callback')!;
    const rows = await run(expandMacros(query.rawSql, range));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ agent: LOOPER, callback_result: 'callback_delivered' });
    expect(Number(rows[0]?.['detection_to_callback_ms'])).toBeGreaterThanOrEqual(Number(rows[0]?.['detection_to_suspend_ms']));
  });

  it('compares the tool mix of the last hour with the hours before it', async () => {
    const range: MacroRange = { fromMs: startMs, toMs: endMs, intervalMs: 60_000, variables: { agent: NORMAL } };
    const drill = queriesOf('agent-drilldown.json');
    const mix = await run(expandMacros(drill.find((q) => q.where === 'Tool mix: last hour vs previous 7 days')!.rawSql, range));
    // 8 turns 90..13 minutes before now: 5 in the last hour (of the range ending a minute after now), 3 before.
    const total = (column: string): number => mix.reduce((sum, row) => sum + Number(row[column]), 0);
    expect(total('calls_last_hour')).toBe(10);
    expect(total('calls_baseline')).toBe(6);
    expect(total('share_last_hour')).toBeCloseTo(1, 2);
    expect(total('share_baseline')).toBeCloseTo(1, 2);
  });
});
