// `npm run demo`: Warden on the embedded store, a callback receiver standing in for the agent
// runtime, and a fleet of simulated agents exporting through the OpenTelemetry SDK. Prints alerts,
// callbacks and suspensions as they happen, then a summary; exit 0 when the three misbehaving
// agents were suspended through a signed callback, 1 otherwise.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWarden } from '../src/app/start-warden.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/telemetry/logger.ts';
import { startCallbackReceiver, type ReceivedCallback } from './callback-receiver.ts';
import { FLEET, MISBEHAVING } from './demo-fleet.ts';
import { paint, say, table } from './demo-output.ts';
import { watchWarden, type Watch } from './demo-watch.ts';
import { runAgent } from './simulated-agent.ts';

/** The whole demo must be done well inside a minute; the suspensions come within seconds. */
const SUSPENSION_DEADLINE_MS = 40_000;
/** Paced so a person can follow the events; the fleet is done in about 7 s. */
const STEP_MS = 500;

const here = dirname(fileURLToPath(import.meta.url));
const secret = randomBytes(32).toString('hex');
const dataDir = mkdtempSync(join(tmpdir(), 'warden-demo-'));
const stopped = new Set<string>();

async function main(): Promise<number> {
  const receiver = await startCallbackReceiver(secret, (callback) => {
    if (callback.signatureOk && callback.type === 'agent.suspend') stopped.add(callback.agentId);
    const signature = callback.signatureOk ? paint('green', 'signature ok') : paint('red', 'SIGNATURE INVALID');
    say('CALLBACK', 'cyan', `${callback.type} for ${callback.agentId}${callback.alertKind ? ` (${callback.alertKind})` : ''}  ${signature}  idempotency-key=${callback.idempotencyKey.slice(0, 13)}...`);
  });
  const config = loadConfig({
    WARDEN_DATA_DIR: dataDir,
    WARDEN_OTLP_GRPC_ADDR: '127.0.0.1:0',
    WARDEN_OTLP_HTTP_ADDR: '127.0.0.1:0',
    WARDEN_API_ADDR: '127.0.0.1:0',
    WARDEN_POLICY: join(here, 'demo-policy.yaml'),
    WARDEN_SUSPEND_URL: receiver.url,
    WARDEN_SIGNING_SECRET: secret,
    // Warden's own suspension warnings would repeat, as JSON, what the demo prints readably.
    WARDEN_LOG_LEVEL: 'error',
  });
  if (!config.ok) {
    await receiver.close();
    console.error(config.error.message);
    return 1;
  }
  const warden = await startWarden(config.value, createLogger(config.value.logLevel));
  const apiUrl = `http://127.0.0.1:${warden.api.port}`;
  const otlpUrl = `http://127.0.0.1:${warden.otlpHttp.port}`;
  say('WARDEN', 'bold', `listening: OTLP/HTTP ${otlpUrl}, REST API ${apiUrl}; callbacks to ${receiver.url}`);
  say('FLEET', 'bold', FLEET.map((a) => `${a.id} (${a.role})`).join(', '));

  const watch = watchWarden(apiUrl);
  let missing: string[] = [];
  try {
    await Promise.all(FLEET.map((script) => runAgent(script, { otlpUrl, stepMs: STEP_MS, stopped: (id) => stopped.has(id) })));
    say('FLEET', 'bold', 'every agent finished or was stopped');
    missing = await waitForSuspensions(watch, receiver.received);
  } finally {
    await watch.stop();
    printSummary(watch, receiver.received);
    await warden.shutdown();
    await receiver.close();
  }
  if (missing.length > 0) {
    say('FAILED', 'red', `not suspended through a signed callback within ${SUSPENSION_DEADLINE_MS / 1000} s: ${missing.join(', ')}`);
    return 1;
  }
  say('DONE', 'green', 'the three misbehaving agents were suspended; the well-behaved ones kept working');
  return 0;
}

/** The misbehaving agents not (yet) both suspended in Warden and told so by a signed callback. */
function pending(watch: Watch, received: readonly ReceivedCallback[]): string[] {
  return [...MISBEHAVING.keys()].filter(
    (id) => watch.statuses.get(id) !== 'suspended' || !received.some((c) => c.agentId === id && c.type === 'agent.suspend' && c.signatureOk),
  );
}

async function waitForSuspensions(watch: Watch, received: readonly ReceivedCallback[]): Promise<string[]> {
  const deadline = Date.now() + SUSPENSION_DEADLINE_MS;
  while (pending(watch, received).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return pending(watch, received);
}

function printSummary(watch: Watch, received: readonly ReceivedCallback[]): void {
  const alerts = [...watch.alerts.values()];
  const agentRows = FLEET.map((a) => [
    a.id,
    a.role,
    watch.statuses.get(a.id) ?? 'unknown',
    String(alerts.filter((x) => x.agent_id === a.id).length),
  ]);
  const kinds = new Map<string, number>();
  for (const alert of alerts) kinds.set(alert.kind, (kinds.get(alert.kind) ?? 0) + 1);
  const callbackRows = received.map((c) => [c.agentId, c.type, c.alertKind ?? '-', c.signatureOk ? 'ok' : 'INVALID']);
  process.stdout.write(
    [
      '',
      paint('bold', 'Summary'),
      '',
      'Agents',
      table(['agent', 'behaviour', 'status', 'alerts'], agentRows),
      '',
      'Alerts by kind',
      table(['kind', 'count'], [...kinds].map(([kind, count]) => [kind, String(count)])),
      '',
      `Callbacks received: ${received.length}`,
      table(['agent', 'type', 'alert', 'signature'], callbackRows),
      '',
    ].join('\n') + '\n',
  );
}

const started = Date.now();
let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`demo failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
say('EXIT', code === 0 ? 'green' : 'red', `finished in ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code}`);
process.exit(code);
