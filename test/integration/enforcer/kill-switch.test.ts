import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWarden, type TestWarden } from '../../helpers/start-test-warden.ts';

const SECRET = 'callback-signing-secret';
const dir = mkdtempSync(join(tmpdir(), 'warden-killswitch-'));

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

let receiver: Server;
/** Callback requests only. */
const received: Received[] = [];
/** Notifications, by path: /slack, /pagerduty, /webhook. */
const notified = new Map<string, Received[]>();
let warden: TestWarden;

beforeAll(async () => {
  // One loopback server stands in for the agent runtime's callback endpoint (down for the first
  // three attempts, then up), Slack, PagerDuty and an Alertmanager-style webhook receiver.
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = request.url ?? '';
      if (path !== '/agents/callback') {
        const answered = path === '/pagerduty' ? 202 : 200;
        const list = notified.get(path) ?? [];
        list.push({ headers: request.headers, body, answered });
        notified.set(path, list);
        response.writeHead(answered).end(path === '/slack' ? 'ok' : '');
        return;
      }
      const answered = received.length < 3 ? 503 : 200;
      received.push({ headers: request.headers, body, answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, 'defaults:\n  severity: { loop: critical }\n');
  warden = await startTestWarden(
    {
      WARDEN_POLICY: policy,
      WARDEN_SUSPEND_URL: `http://127.0.0.1:${port}/agents/callback`,
      WARDEN_SIGNING_SECRET: SECRET,
      WARDEN_SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}/slack`,
      WARDEN_PAGERDUTY_URL: `http://127.0.0.1:${port}/pagerduty`,
      WARDEN_PAGERDUTY_ROUTING_KEY: 'r'.repeat(32),
      WARDEN_WEBHOOK_URL: `http://127.0.0.1:${port}/webhook`,
    },
    join(dir, 'data'),
  );
});

afterAll(async () => {
  await warden?.shutdown();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('the kill switch, end to end', () => {
  it('suspends a looping agent through one signed callback (retried with one idempotency key), and flags its next span', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'ops-bot-service' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${warden.httpUrl}/v1/traces` }))],
    });
    const tracer = provider.getTracer('ops-bot');
    const call = async (): Promise<void> => {
      tracer
        .startSpan('execute_tool restart_service', {
          attributes: {
            'agent.id': 'ops-bot',
            'agent.session.id': 'ops-session-1',
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'restart_service',
            'gen_ai.tool.call.arguments': '{"service":"billing"}',
          },
        })
        .end();
      await provider.forceFlush();
    };
    for (let i = 0; i < 5; i++) await call();

    // Suspended in Warden's view at once, whatever the callback does.
    await eventually(async () => {
      const agent = (await (await fetch(`${warden.apiUrl}/api/v1/agents/ops-bot`)).json()) as { status: string };
      return agent.status === 'suspended' ? true : undefined;
    }, 5_000, 'ops-bot suspended');

    await eventually(async () => (received.some((r) => r.answered === 200) ? true : undefined), 30_000, 'a delivered callback');
    expect(received.map((r) => r.answered)).toEqual([503, 503, 503, 200]);
    const keys = new Set(received.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    for (const request of received) {
      const timestamp = String(request.headers['x-warden-timestamp']);
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex')}`;
      expect(request.headers['x-warden-signature']).toBe(expected);
    }
    const body = JSON.parse(received[3]!.body) as { type: string; id: string; agent_id: string; alert: { kind: string } | null };
    expect(body).toMatchObject({ type: 'agent.suspend', agent_id: 'ops-bot', alert: { kind: 'loop' } });
    expect(body.id).toBe([...keys][0]);

    // The agent keeps acting after it was told to stop: the kill switch did not take.
    const alert = await eventually(async () => {
      await call();
      const { alerts } = (await (await fetch(`${warden.apiUrl}/api/v1/alerts?kind=suspended_activity`)).json()) as {
        alerts: Array<{ agent_id: string; severity: string; rule: string }>;
      };
      return alerts.find((a) => a.agent_id === 'ops-bot');
    }, 10_000, 'a suspended_activity alert');
    expect(alert).toMatchObject({ severity: 'critical', rule: 'spans_after_suspension' });
    // One suspension: the later findings did not trigger another callback.
    expect(received.filter((r) => r.answered === 200)).toHaveLength(1);
    await provider.shutdown();

    // People were told too, each in their tool's format.
    await eventually(async () => (notified.get('/slack') && notified.get('/pagerduty') && notified.get('/webhook') ? true : undefined), 10_000, 'notifications');
    const slack = JSON.parse(notified.get('/slack')![0]!.body) as { text: string; blocks: unknown[] };
    expect(slack.text).toContain('ops-bot');
    expect(slack.blocks.length).toBeGreaterThan(0);
    const pagerduty = notified.get('/pagerduty')!.map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string; payload?: { severity: string } });
    expect(pagerduty[0]).toMatchObject({ event_action: 'trigger', payload: { severity: 'critical' } });
    const webhook = notified.get('/webhook')![0]!;
    const message = JSON.parse(webhook.body) as { version: string; status: string; alerts: Array<{ labels: Record<string, string> }> };
    expect(message).toMatchObject({ version: '4', status: 'firing' });
    expect(message.alerts[0]?.labels).toMatchObject({ alertname: 'loop', agent_id: 'ops-bot', severity: 'critical' });
    const timestamp = String(webhook.headers['x-warden-timestamp']);
    expect(webhook.headers['x-warden-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${webhook.body}`).digest('hex')}`);

    // A person reviews and resumes the agent: agent.resume goes through the same callback.
    const resumed = await fetch(`${warden.apiUrl}/api/v1/agents/ops-bot/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'restarts were legitimate', by: 'sre-on-call' }),
    });
    expect(resumed.status).toBe(202);
    const resume = await eventually(async () => received.find((r) => r.body.includes('"agent.resume"')), 10_000, 'the resume callback');
    expect(JSON.parse(resume.body)).toMatchObject({ type: 'agent.resume', agent_id: 'ops-bot', reason: 'restarts were legitimate', alert: null });
    expect((await (await fetch(`${warden.apiUrl}/api/v1/agents/ops-bot`)).json()) as { status: string }).toMatchObject({ status: 'active' });
  }, 60_000);
});
