import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden } from '../../helpers/start-test-warden.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-baselines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let spanCounter = 0;
function toolCalls(agentId: string, tool: string, count: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const traceId = (++spanCounter).toString(16).padStart(32, 'a');
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId,
    spanId: (++spanCounter).toString(16).padStart(16, '0'),
    name: `execute_tool ${tool}`,
    kind: 1,
    startTimeUnixNano: String(now + BigInt(i) * 1000n),
    endTimeUnixNano: String(now + BigInt(i) * 1000n + 500n),
    attributes: [
      { key: 'agent.id', value: { stringValue: agentId } },
      { key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } },
      { key: 'gen_ai.tool.name', value: { stringValue: tool } },
      { key: 'gen_ai.tool.call.arguments', value: { stringValue: JSON.stringify({ page: i }) } },
    ],
  }));
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] });
}

describe('detector baselines across a restart', () => {
  it('keeps what an agent normally does, so a new tool right after a restart is still drift', async () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'defaults:\n  drift: { learning_spans: 20, divergence: 0.3 }\n');
    const dataDir = join(dir, 'data');
    const env = { WARDEN_POLICY: policy };

    const first = await startTestWarden(env, dataDir);
    const post = (url: string, body: string) => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post(first.httpUrl, toolCalls('drift-agent', 'lookup_order', 30))).status).toBe(200);
    await first.shutdown();

    const second = await startTestWarden(env, dataDir);
    try {
      expect((await post(second.httpUrl, toolCalls('drift-agent', 'wire_transfer', 1))).status).toBe(200);
      const alert = await eventually(async () => {
        const response = await fetch(`${second.apiUrl}/api/v1/alerts?kind=permission_drift&agent=drift-agent`);
        const { alerts } = (await response.json()) as { alerts: Array<{ rule: string; summary: string }> };
        return alerts.find((a) => a.rule === 'new_tool:wire_transfer');
      }, 5_000, 'a new_tool drift alert after restart');
      expect(alert.summary).toContain('wire_transfer');
    } finally {
      await second.shutdown();
    }
  });
});
