// `npm run bench`: Warden's throughput, detection latency and memory, each against a limit
// measured in the same run on the same machine. See USAGE in bench-args.ts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPrng } from '../src/eval/prng.ts';
import { startAlertReceivers, type AlertReceivers } from './alert-receivers.ts';
import { parseBenchArgs, type BenchParams } from './bench-args.ts';
import { buildFigures } from './build-figures.ts';
import { runChildJson } from './child-json.ts';
import { measureDecodeLimit } from './decode-limit.ts';
import type { DetectorMemoryArgs, DetectorMemoryResult } from './detector-memory-child.ts';
import { createGrpcSender } from './grpc-sender.ts';
import { createHttpSender } from './http-sender.ts';
import type { InsertLimitArgs, InsertLimitResult } from './insert-limit-child.ts';
import { runLatencyPhase, type LatencyResult } from './latency-phase.ts';
import { drive } from './load-driver.ts';
import { buildLoopInjections } from './loop-injection.ts';
import { buildPayloadSet } from './payload-set.ts';
import { loadBenchPolicy, measurePipelineLimit } from './pipeline-limit.ts';
import { startSampler } from './process-sampler.ts';
import { percentile } from './percentiles.ts';
import { progress } from './progress.ts';
import { withOtherLoad } from './other-load.ts';
import { finishRun } from './finish-run.ts';
import { machineInfo } from './results-file.ts';
import { runThroughputWindow, waitForDrain, type WindowResult } from './throughput-window.ts';
import { ACCEPTED_SPANS, scrapeMetrics, STORED_SPANS } from './warden-metrics.ts';
import { spawnWarden } from './warden-process.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const policyPath = join(repoRoot, 'bench', 'bench-policy.yaml');

async function main(): Promise<number> {
  const startedAt = new Date();
  const machineAtStart = machineInfo();
  const params = parseBenchArgs(process.argv.slice(2));
  if (params.latencyOnly) return runLatencyOnly(params);
  progress(`Warden bench (${params.quick ? 'quick' : 'full'} run), node ${process.version}`);

  progress(`encoding ${params.payloads} requests of ${params.spansPerRequest} spans from ${params.agents} agents`);
  const set = buildPayloadSet(params);
  const spansPerPayload = set.spans / set.payloads.length;
  const bytesPerSpan = set.bytes / set.spans;

  progress('limit (a): protobuf decode, one core');
  const decode = withOtherLoad(() => measureDecodeLimit(set.payloads, params.limitSeconds * 1000));
  const decodePerSecond = decode.result;
  progress(`  ${Math.round(decodePerSecond)} spans/s`);
  progress('limit (c): decode + normalize + detect, one core');
  const pipelineRun = withOtherLoad(() => measurePipelineLimit(set.payloads, loadBenchPolicy(policyPath), params.limitSeconds * 1000));
  const pipeline = pipelineRun.result;
  progress(`  ${Math.round(pipeline.spansPerSecond)} spans/s`);
  progress('limit (b): raw ClickHouse insert in a separate process');
  const insertArgs: InsertLimitArgs = { ...params, rows: params.insertRows, batchRows: params.insertBatchRows, durationMs: params.insertSeconds * 1000 };
  const insert = await runChildJson<InsertLimitResult>('bench/insert-limit-child.ts', insertArgs, { repoRoot });
  progress(`  ${Math.round(insert.rowsPerSecond)} rows/s`);
  progress(`detector memory with ${params.memoryAgents} agents in a separate process`);
  const memoryArgs: DetectorMemoryArgs = { agents: params.memoryAgents, services: params.services, seed: params.seed, policyPath };
  const memory = await runChildJson<DetectorMemoryResult>('bench/detector-memory-child.ts', memoryArgs, { repoRoot, nodeFlags: ['--expose-gc'] });
  progress(`  ${Math.round(memory.bytesPerAgent)} bytes/agent, RSS ${Math.round(memory.rssMiB)} MiB`);

  const secret = randomBytes(16).toString('hex');
  const receivers = await startAlertReceivers(secret);
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const profileDir = params.profile ? mkdtempSync(join(tmpdir(), 'warden-bench-prof-')) : undefined;
  progress('starting Warden (embedded store, bench policy)');
  const warden = await spawnWarden({
    repoRoot,
    nodeFlags: [...params.wardenFlags, ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`])],
    ...(params.wardenLog === undefined ? {} : { logFile: resolve(params.wardenLog) }),
    env: wardenEnv(params, dataDir, receivers, secret),
  });
  const sampler = startSampler(warden.pid, warden.apiUrl);
  const http = createHttpSender(warden.httpUrl, params.inFlight);
  const grpc = createGrpcSender(warden.grpcAddress);
  const injector = createHttpSender(warden.httpUrl, 1);
  let acknowledgedTotal = 0;
  let pushedBackTotal = 0;
  const windows: WindowResult[] = [];
  let exitCode: number | null = null;
  let final = { stored: 0, accepted: 0 };
  let latency: LatencyResult | undefined;
  try {
    progress(`warm-up: ${params.warmupSeconds} s of OTLP/HTTP`);
    const warm = await drive({ payloads: set.payloads, send: http.send, inFlight: params.inFlight, durationMs: params.warmupSeconds * 1000, pushbackPauseMs: params.pushbackPauseMs }).done;
    acknowledgedTotal += warm.ackSpans;
    pushedBackTotal += warm.pushedBackRequests;
    await waitForDrain(warden.apiUrl, 180_000);
    for (const [transport, sender] of [['http', http], ['grpc', grpc]] as const) {
      progress(`${transport === 'http' ? 'OTLP/HTTP' : 'OTLP/gRPC'}: ${params.windowSeconds} s open throttle, ${params.inFlight} in flight`);
      const window = await runThroughputWindow({ transport, warden, sender, payloads: set.payloads, durationMs: params.windowSeconds * 1000, inFlight: params.inFlight, pushbackPauseMs: params.pushbackPauseMs, sampler });
      if (window.errors > 0) throw new Error(`${window.errors} ${transport} requests failed: ${window.lastError}`);
      windows.push(window);
      acknowledgedTotal += window.ackSpans;
      pushedBackTotal += window.pushedBackRequests;
      progress(`  accepted ${Math.round(window.acceptedPerSecond)} spans/s, stored ${Math.round(window.storedPerSecond)} spans/s, drained in ${window.drainSeconds.toFixed(1)} s`);
    }

    const backgroundRate = Math.round(insert.rowsPerSecond * params.backgroundFraction);
    progress(`latency: ${params.injections} loop injections, background ${backgroundRate} spans/s`);
    const injections = buildLoopInjections(params.injections, randomBytes(3).toString('hex'), createPrng(params.seed + 1), params.injectionSpacingMs);
    latency = await runLatencyPhase({
      injections,
      spacingMs: params.injectionSpacingMs,
      sender: injector,
      background: { sender: http, payloads: set.payloads, spansPerSecond: backgroundRate, inFlight: 4 },
      receivers,
    });
    acknowledgedTotal += latency.backgroundAckSpans + injections.length * 5;
    pushedBackTotal += latency.backgroundPushedBack;
    await waitForDrain(warden.apiUrl, 180_000);
    const scrape = await scrapeMetrics(warden.apiUrl);
    final = { stored: scrape.value(...STORED_SPANS), accepted: scrape.value(...ACCEPTED_SPANS) };
  } finally {
    sampler.stop();
    http.close();
    grpc.close();
    injector.close();
    progress('stopping Warden (SIGTERM: it flushes and exits)');
    exitCode = await warden.stop();
    await receivers.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (exitCode !== 0) throw new Error(`Warden exited with ${exitCode}:\n${warden.tail().join('\n')}`);
  finishRun({
    repoRoot,
    startedAt,
    machineAtStart,
    sampler,
    profileDir,
    measurements: {
      params,
      spansPerPayload,
      bytesPerSpan,
      decodePerSecond,
      decodeOtherCpuCores: decode.otherCpuCores,
      pipeline,
      pipelineOtherCpuCores: pipelineRun.otherCpuCores,
      insert,
      memory,
      windows,
      latency,
      acknowledgedTotal,
      wardenAcceptedTotal: final.accepted,
      storedTotal: final.stored,
      pushedBackTotal,
    },
  });
  return 0;
}

function wardenEnv(params: BenchParams, dataDir: string, receivers: AlertReceivers, secret: string): Record<string, string> {
  return {
    WARDEN_DATA_DIR: dataDir,
    WARDEN_OTLP_GRPC_ADDR: '127.0.0.1:0',
    WARDEN_OTLP_HTTP_ADDR: '127.0.0.1:0',
    WARDEN_API_ADDR: '127.0.0.1:0',
    WARDEN_POLICY: policyPath,
    WARDEN_WEBHOOK_URL: receivers.webhookUrl,
    WARDEN_SUSPEND_URL: receivers.suspendUrl,
    WARDEN_SIGNING_SECRET: secret,
    WARDEN_LOG_LEVEL: 'info',
    ...(params.maxQueuedSpans === undefined ? {} : { WARDEN_MAX_QUEUED_SPANS: String(params.maxQueuedSpans) }),
    ...params.wardenEnv,
  };
}

/**
 * `--latency-only`: the warm-up and the latency phase at a fixed background rate, nothing
 * else, so latency changes can be compared run against run in about a minute. Prints the
 * figures (and Warden's event-loop delay over the phase); writes no results file.
 */
async function runLatencyOnly(params: BenchParams): Promise<number> {
  progress(`Warden latency phase only, node ${process.version}: ${params.injections} loops every ${params.injectionSpacingMs} ms over ${params.backgroundRate} spans/s`);
  const set = buildPayloadSet(params);
  const secret = randomBytes(16).toString('hex');
  const receivers = await startAlertReceivers(secret);
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const warden = await spawnWarden({
    repoRoot,
    nodeFlags: params.wardenFlags,
    ...(params.wardenLog === undefined ? {} : { logFile: resolve(params.wardenLog) }),
    env: wardenEnv(params, dataDir, receivers, secret),
  });
  const sampler = startSampler(warden.pid, warden.apiUrl);
  const http = createHttpSender(warden.httpUrl, params.inFlight);
  const injector = createHttpSender(warden.httpUrl, 1);
  let latency: LatencyResult;
  try {
    progress(`warm-up: ${params.warmupSeconds} s of OTLP/HTTP`);
    await drive({ payloads: set.payloads, send: http.send, inFlight: params.inFlight, durationMs: params.warmupSeconds * 1000, pushbackPauseMs: params.pushbackPauseMs }).done;
    if (params.preloadSeconds > 0) {
      progress(`preload: ${params.preloadSeconds} s open throttle, ${params.inFlight} in flight`);
      await drive({ payloads: set.payloads, send: http.send, inFlight: params.inFlight, durationMs: params.preloadSeconds * 1000, pushbackPauseMs: params.pushbackPauseMs }).done;
    }
    await waitForDrain(warden.apiUrl, 180_000);
    const injections = buildLoopInjections(params.injections, randomBytes(3).toString('hex'), createPrng(params.seed + 1), params.injectionSpacingMs);
    latency = await runLatencyPhase({
      injections,
      spacingMs: params.injectionSpacingMs,
      sender: injector,
      background: { sender: http, payloads: set.payloads, spansPerSecond: params.backgroundRate, inFlight: 4 },
      receivers,
    });
  } finally {
    sampler.stop();
    http.close();
    injector.close();
    await warden.stop();
    await receivers.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const loop = sampler.loopSamples.filter((s) => s.atMs >= latency.startMs && s.atMs <= latency.endMs);
  const round = (value: number): number => Math.round(value * 10) / 10;
  const summary = (values: readonly number[]) => ({ p50: round(percentile(values, 50)), p90: round(percentile(values, 90)), p99: round(percentile(values, 99)), max: round(Math.max(...values)) });
  const result = {
    injections: latency.injections,
    backgroundSpansPerSecond: Math.round(latency.backgroundSpansPerSecond),
    alertMs: summary(latency.alertMs),
    callbackMs: summary(latency.callbackMs),
    missing: { alerts: latency.missingAlerts, callbacks: latency.missingCallbacks },
    badSignatures: latency.badSignatures,
    unexpected: { alerts: latency.unexpectedAlerts, callbacks: latency.unexpectedCallbacks },
    eventLoopP99Ms: loop.length === 0 ? null : { worstSecond: round(Math.max(...loop.map((s) => s.p99Ms))), medianSecond: round(percentile(loop.map((s) => s.p99Ms), 50)), max: round(Math.max(...loop.map((s) => s.maxMs))) },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
