import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { replayCommand } from '../../../src/cli/replay-command.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import { builtInPolicySet } from '../../../src/policy/parse-policy.ts';
import { openReplayStore } from '../../../src/replay/open-replay-store.ts';
import { createReplaySession } from '../../../src/replay/replay-session.ts';
import { replayStoredSpans } from '../../../src/replay/replay-stored.ts';
import type { ReplayAlert } from '../../../src/replay/replay-alert.ts';
import { startTestWarden } from '../../helpers/start-test-warden.ts';

const WARDEN_CLI = resolve(import.meta.dirname, '../../../src/cli/warden.ts');
const FIXTURE = resolve(import.meta.dirname, '../../../../shared/fixtures/otel-openai-genai.otlp.json');
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const ROOT_SPAN = 'eee19b7ec3c1b100';
const WRITER_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const BASE_MS = Date.now() - 10 * 60_000;

let dataDir: string;
let toolSpanIds: string[];

function nanos(ms: number): string {
  return `${BigInt(ms) * 1_000_000n}`;
}

function span(spanId: string, parentSpanId: string, name: string, startMs: number, durationMs: number, attributes: Record<string, string>) {
  return {
    traceId: TRACE_ID,
    spanId,
    parentSpanId,
    name,
    kind: 1,
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: nanos(startMs + durationMs),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
  };
}

/** One OTLP/JSON request of a research service, as a GenAI-instrumented agent exports it. */
function request(spans: unknown[]): string {
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'research-service' } }] }, scopeSpans: [{ scope: { name: 'research-agent' }, spans }] }],
  });
}

async function capture(argv: string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await replayCommand(argv, env, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { status, stdout, stderr };
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [WARDEN_CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const range = ['--from', new Date(BASE_MS - 60_000).toISOString(), '--to', new Date(BASE_MS + 60_000).toISOString()];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'warden-replay-'));
  const warden = await startTestWarden({}, dataDir);
  try {
    // Children first, one request each, the root that names the agent last: the tool spans
    // are stored under the service name and corrected when the root arrives.
    toolSpanIds = [1, 2, 3, 4, 5].map((i) => `${'00000000000000'}${String(i).padStart(2, '0')}`);
    const calls = toolSpanIds.map((spanId, i) =>
      span(spanId, ROOT_SPAN, 'execute_tool search_docs', BASE_MS + 1000 * (i + 1), 100, {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'search_docs',
        'gen_ai.tool.call.arguments': '{"query":"refund policy"}',
      }),
    );
    const root = span(ROOT_SPAN, '', 'invoke_agent researcher', BASE_MS, 10_000, {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.id': 'researcher-7',
      'gen_ai.conversation.id': 'conv-loop',
    });
    // Another agent's turn, three spans starting at the same instant: pages must not split or
    // repeat spans that share a timestamp.
    const writer = [1, 2, 3].map((i) =>
      ({ ...span(`00000000000000a${i}`, '', `execute_tool tool-${i}`, BASE_MS + 2000, 50 * i, { 'gen_ai.agent.id': 'writer-2', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': `tool-${i}` }), traceId: WRITER_TRACE_ID }),
    );
    for (const body of [...calls.map((call) => request([call])), request([root]), request(writer)]) {
      const response = await fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(200);
    }
  } finally {
    await warden.stop();
  }
});

afterAll(() => {
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('warden replay over stored spans', () => {
  it('reports the loop alert of a recorded looping agent, on its corrected agent', async () => {
    const { status, stdout, stderr } = await capture([...range, '--json'], { WARDEN_DATA_DIR: dataDir });
    expect(stderr).not.toContain('WARDEN_');
    expect(status).toBe(0);
    const alerts = JSON.parse(stdout) as ReplayAlert[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'loop', rule: 'identical_calls', agent_id: 'researcher-7', trace_id: TRACE_ID, status: 'firing', count: 1 });
    expect(alerts[0]?.evidence['span_ids']).toEqual(expect.arrayContaining(toolSpanIds));
    // The 5th call's end; detectors work in float ms from ns, so allow the last millisecond.
    expect(Math.abs(Date.parse(alerts[0]?.first_seen ?? '') - (BASE_MS + 5100))).toBeLessThanOrEqual(1);
  });

  it('reads the same spans in small pages, in end order', async () => {
    const config = loadConfig({ WARDEN_DATA_DIR: dataDir });
    if (!config.ok) throw new Error(config.error.message);
    const store = openReplayStore(config.value.storage);
    if (!store.ok) throw new Error(store.error.message);
    const fed: string[] = [];
    const session = createReplaySession({ policy: builtInPolicySet(), logger: pino({ level: 'silent' }) });
    const recording = { ...session, feed: (spans: readonly AgentSpan[]) => (fed.push(...spans.map((s) => s.spanId)), session.feed(spans)) };
    try {
      const ran = await replayStoredSpans(store.value.context, { fromNs: BigInt(BASE_MS - 60_000) * 1_000_000n, toNs: BigInt(BASE_MS + 60_000) * 1_000_000n }, recording, { pageRows: 2 });
      expect(ran).toEqual({ ok: true, value: { estimatedSpans: 9, spansRead: 9, outOfOrder: 0 } });
    } finally {
      await store.value.close();
    }
    // Live order: each span when it ended (ties in start order), the root after its children.
    expect(fed).toEqual(['0000000000000001', '00000000000000a1', '00000000000000a2', '0000000000000002', '00000000000000a3', '0000000000000003', '0000000000000004', '0000000000000005', ROOT_SPAN]);
    const { alerts } = await session.finish();
    expect(alerts.map((a) => [a.kind, a.agent_id])).toEqual([['loop', 'researcher-7']]);
  });

  it('prints the summary table, and filters by agent', async () => {
    const text = await capture([...range, '--agent', 'researcher-7'], { WARDEN_DATA_DIR: dataDir });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Replayed 6 spans from the embedded store in .+ \(spans starting .+, agent researcher-7\)$/m);
    expect(text.stdout).toMatch(/loop\s+0\s+1\s+0\s+1/);
    expect(text.stdout).toMatch(/identical_calls\s+researcher-7\s+warning\s+notify\s+1\s+researcher-7 called search_docs/);

    const other = await capture([...range, '--agent', 'someone-else', '--json'], { WARDEN_DATA_DIR: dataDir });
    expect(other.status).toBe(0);
    expect(JSON.parse(other.stdout)).toEqual([]);
    expect(other.stderr).toMatch(/no spans in the embedded store in .+, agent someone-else\)/);
  });

  it('applies the given policy: a laxer loop limit fires nothing', async () => {
    const policy = join(dataDir, 'lax.yaml');
    writeFileSync(policy, 'defaults:\n  loop: { max_identical_calls: 6 }\n');
    const { status, stdout } = await capture([...range, '--policy', policy, '--json'], { WARDEN_DATA_DIR: dataDir });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it('says what to do when a running Warden holds the data directory', async () => {
    const warden = await startTestWarden({}, dataDir);
    try {
      const { code, stderr } = await runCli(['replay', ...range], { WARDEN_DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(stderr).toContain('WARDEN_STORE_LOCKED');
      expect(stderr).toContain('Stop that Warden');
      expect(stderr).toContain('WARDEN_CLICKHOUSE_URL');
    } finally {
      await warden.stop();
    }
  });

  it('refuses a data directory where nothing was recorded', async () => {
    const { status, stderr } = await capture(range, { WARDEN_DATA_DIR: join(dataDir, 'typo') });
    expect(status).toBe(1);
    expect(stderr).toContain('no embedded store in');
  });
});

describe('warden replay as a command', () => {
  it('replays a file in a child process: table on stdout, exit 0', async () => {
    const policy = join(dataDir, 'strict.yaml');
    writeFileSync(policy, 'defaults:\n  loop: { max_identical_calls: 4 }\n');
    const { code, stdout, stderr } = await runCli(['replay', '--file', FIXTURE, '--policy', policy], {});
    expect(code).toBe(0);
    expect(stdout).toContain('1 alert would have fired');
    expect(stdout).toMatch(/loop\s+identical_calls\s+looping-agent\s+warning\s+notify\s+1\s+looping-agent called search_docs/);
    expect(stderr).toContain('policy: ');
    expect(stderr).toMatch(/replay: 18 spans in/);
  });
});
