import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden } from '../../helpers/start-test-warden.ts';
import { nowNs, otlpJsonRequest } from '../../helpers/otlp-json.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-baselines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let spanCounter = 0;
function toolCalls(agentId: string, tool: string, count: number): string {
  const now = nowNs();
  const traceId = (++spanCounter).toString(16).padStart(32, 'a');
  return otlpJsonRequest(
    Array.from({ length: count }, (_, i) => ({
      traceId,
      spanId: (++spanCounter).toString(16).padStart(16, '0'),
      name: `execute_tool ${tool}`,
      startNs: now + BigInt(i) * 1000n,
      attributes: { 'agent.id': agentId, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool, 'gen_ai.tool.call.arguments': JSON.stringify({ page: i }) },
    })),
  );
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
