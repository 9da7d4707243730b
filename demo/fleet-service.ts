// The demo fleet of `docker compose up`: the six agents of `npm run demo`, run round after round
// against a running Warden so the dashboards fill. Spans go through the OpenTelemetry SDK to an
// OTLP endpoint (the collector), outcomes and resumes through Warden's REST API; a callback
// receiver stands in for the agent runtime (Warden's WARDEN_SUSPEND_URL points at it). One line
// per event on stdout. SIGTERM/SIGINT end the runs in flight, flush their spans and exit 0. A run
// of a fixed number of rounds exits 1 if anything went wrong (an agent not suspended for breaking
// its rule, spans not exported, a failed outcome or resume, a forged callback); 2 for bad
// configuration. A run until stopped logs the same problems and carries on.
//
// Configuration, from the environment only (read here and nowhere else; NO_COLOR aside, which
// demo-output.ts honours):
//   OTEL_EXPORTER_OTLP_ENDPOINT  OTLP/HTTP base URL; spans go to <it>/v1/traces. Default http://127.0.0.1:4318
//   WARDEN_API_URL               Warden's REST API. Default http://127.0.0.1:4320
//   WARDEN_API_TOKEN             bearer token for outcomes and resumes; unset = none (Warden without a token)
//   WARDEN_SIGNING_SECRET        the secret Warden signs callbacks with; required
//   DEMO_FLEET_LISTEN            host:port of the callback receiver. Default 127.0.0.1:8090
//   DEMO_FLEET_ROUND_SECONDS     seconds from one round's start to the next's. Default 30
//   DEMO_FLEET_ROUNDS            rounds to run; 0 = until stopped. Default 0
//   DEMO_FLEET_COOLDOWN_ROUNDS   rounds a suspended agent waits before the fleet resumes it. Default 2
//   DEMO_FLEET_STEP_MS           ms between an agent's steps. Default 500
//   DEMO_FLEET_SEED              seed of the per-round variation. Default 1
import { setTimeout as sleep } from 'node:timers/promises';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { startCallbackReceiver, type CallbackReceiver } from './callback-receiver.ts';
import { FLEET } from './demo-fleet.ts';
import { paint, say } from './demo-output.ts';
import { createDemoFleet } from './fleet-rounds.ts';
import { createWardenClient, type WardenClient } from './warden-client.ts';

interface ServiceOptions {
  readonly otlpUrl: string;
  readonly apiUrl: string;
  readonly apiToken: string | undefined;
  readonly signingSecret: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly roundMs: number;
  readonly rounds: number;
  readonly cooldownRounds: number;
  readonly stepMs: number;
  readonly seed: number;
}

/** A bounded run gives up on an unreachable Warden or collector after this long; a service waits on. */
const STARTUP_WAIT_MS = 60_000;

function readOptions(env: NodeJS.ProcessEnv): { options: ServiceOptions } | { problems: string[] } {
  const problems: string[] = [];
  const text = (name: string, fallback?: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  };
  const url = (name: string, fallback: string): string => {
    const value = text(name, fallback) ?? fallback;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) problems.push(`${name}: "${value}" is not an http(s) URL`);
    return value.replace(/\/+$/, '');
  };
  const number = (name: string, fallback: number, min: number, integer = true): number => {
    const raw = text(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) problems.push(`${name}: "${raw}" must be ${integer ? 'an integer' : 'a number'} >= ${min}`);
    return value;
  };
  const listen = text('DEMO_FLEET_LISTEN', '127.0.0.1:8090') ?? '';
  const match = /^(.+):(\d{1,5})$/.exec(listen);
  if (match === null || Number(match[2]) > 65_535) problems.push(`DEMO_FLEET_LISTEN: "${listen}" must be host:port`);
  const signingSecret = text('WARDEN_SIGNING_SECRET');
  if (signingSecret === undefined) problems.push('WARDEN_SIGNING_SECRET: required, the secret Warden signs its callbacks with');
  const options: ServiceOptions = {
    otlpUrl: url('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:4318'),
    apiUrl: url('WARDEN_API_URL', 'http://127.0.0.1:4320'),
    apiToken: text('WARDEN_API_TOKEN'),
    signingSecret: signingSecret ?? '',
    listen: { host: match?.[1] ?? '', port: Number(match?.[2] ?? 0) },
    roundMs: number('DEMO_FLEET_ROUND_SECONDS', 30, 0.1, false) * 1000,
    rounds: number('DEMO_FLEET_ROUNDS', 0, 0),
    cooldownRounds: number('DEMO_FLEET_COOLDOWN_ROUNDS', 2, 1),
    stepMs: number('DEMO_FLEET_STEP_MS', 500, 0),
    seed: number('DEMO_FLEET_SEED', 1, 0),
  };
  return problems.length > 0 ? { problems } : { options: Object.freeze(options) };
}

/** Any HTTP answer means the endpoint listens; an empty export is harmless to the collector and to Warden. */
async function otlpReachable(otlpUrl: string): Promise<boolean> {
  try {
    await fetch(`${otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}', signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

/** Compose starts the fleet once Warden is healthy, but the collector may still be binding its ports. */
async function waitForStack(options: ServiceOptions, client: WardenClient, signal: AbortSignal): Promise<boolean> {
  const deadline = options.rounds > 0 ? Date.now() + STARTUP_WAIT_MS : Infinity;
  let lastNotice = 0;
  while (!signal.aborted) {
    const [warden, otlp] = await Promise.all([client.healthy(), otlpReachable(options.otlpUrl)]);
    if (warden && otlp) return true;
    if (Date.now() >= deadline) break;
    if (Date.now() - lastNotice >= 10_000) {
      lastNotice = Date.now();
      say('WAITING', 'yellow', [warden ? '' : `Warden API ${options.apiUrl}`, otlp ? '' : `OTLP endpoint ${options.otlpUrl}`].filter(Boolean).join(' and ') + ' not reachable yet');
    }
    await sleep(1000, undefined, { signal }).catch(() => undefined);
  }
  return false;
}

/** The SDK's error handler passes exceptions as JSON (stack included): keep name, code and message. */
function readableError(message: string): string {
  try {
    const error = JSON.parse(message) as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof error === 'object' && error !== null && typeof error.message === 'string') {
      return `${typeof error.name === 'string' ? error.name : 'error'}${error.code === undefined ? '' : ` ${String(error.code)}`}: ${error.message}`;
    }
  } catch {
    // Not JSON: already a plain message.
  }
  return message;
}

async function main(): Promise<number> {
  const read = readOptions(process.env);
  if ('problems' in read) {
    for (const problem of read.problems) process.stderr.write(`demo fleet: ${problem}\n`);
    return 2;
  }
  const options = read.options;
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) return;
    say('STOP', 'bold', `${signal}: ending the runs in flight and flushing their spans`);
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  // The SDK reports failed exports (collector down, Warden pushing back) through diag, silent by default.
  const sdkLine = (message: string, ...args: unknown[]): void => say('OTLP', 'red', [readableError(message), ...args.map(String)].join(' '));
  diag.setLogger({ error: sdkLine, warn: sdkLine, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);

  const client = createWardenClient(options.apiUrl, options.apiToken);
  const fleet = createDemoFleet({ otlpUrl: options.otlpUrl, stepMs: options.stepMs, cooldownRounds: options.cooldownRounds, seed: options.seed }, client);
  let receiver: CallbackReceiver;
  try {
    receiver = await startCallbackReceiver(options.signingSecret, (callback) => fleet.onCallback(callback), options.listen);
  } catch (error) {
    process.stderr.write(`demo fleet: cannot listen on ${options.listen.host}:${options.listen.port}: ${(error as Error).message}\n`);
    return 2;
  }
  say('FLEET', 'bold', `callbacks on ${receiver.url}; spans to ${options.otlpUrl}; Warden API ${options.apiUrl}`);
  say('FLEET', 'bold', `${FLEET.map((a) => `${a.id} (${a.role})`).join(', ')}; a round every ${options.roundMs / 1000} s, ${options.rounds === 0 ? 'until stopped' : `${options.rounds} round(s)`}, resumes after ${options.cooldownRounds} round(s)`);
  try {
    if (!(await waitForStack(options, client, stop.signal))) {
      if (stop.signal.aborted) return 0;
      say('FAILED', 'red', `Warden or the OTLP endpoint not reachable within ${STARTUP_WAIT_MS / 1000} s`);
      return 1;
    }
    await fleet.adopt();
    for (let n = 1; options.rounds === 0 || n <= options.rounds; n++) {
      const started = Date.now();
      await fleet.round(n, stop.signal);
      if (stop.signal.aborted || n === options.rounds) break;
      await sleep(Math.max(0, started + options.roundMs - Date.now()), undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) break;
    }
  } finally {
    await receiver.close();
  }
  const { runs, outcomes, suspensions, resumes } = fleet.totals;
  say('SUMMARY', 'bold', `${runs} runs, ${outcomes} outcomes, ${suspensions} suspensions, ${resumes} resumes, ${fleet.problems.length} problem(s)`);
  if (options.rounds > 0 && !stop.signal.aborted && fleet.problems.length > 0) {
    say('FAILED', 'red', fleet.problems.join('; '));
    return 1;
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`demo fleet failed: ${(error as Error).stack ?? String(error)}`);
}
say('EXIT', code === 0 ? 'green' : 'red', paint('bold', `exit ${code}`));
process.exit(code);
