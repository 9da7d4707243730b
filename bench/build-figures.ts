import { cpus } from 'node:os';
import type { BenchParams } from './bench-args.ts';
import type { DetectorMemoryResult } from './detector-memory-child.ts';
import type { Figure } from './figure.ts';
import type { InsertLimitResult } from './insert-limit-child.ts';
import { latencyPercentiles, type LatencyResult } from './latency-phase.ts';
import type { PipelineLimit } from './pipeline-limit.ts';
import { THREAD_GROUP_LABEL, THREAD_GROUPS } from './process-sampler.ts';
import type { WindowResult } from './throughput-window.ts';

export interface Measurements {
  params: BenchParams;
  spansPerPayload: number;
  bytesPerSpan: number;
  decodePerSecond: number;
  /** CPU cores other processes used during the decode limit (shared machine). */
  decodeOtherCpuCores: number;
  pipeline: PipelineLimit;
  pipelineOtherCpuCores: number;
  insert: InsertLimitResult;
  memory: DetectorMemoryResult;
  windows: WindowResult[];
  latency: LatencyResult;
  wardenPeakRssMiB: number;
  wardenMeanRssMiB: number;
  /** null when Warden's /metrics has no event-loop delay. */
  eventLoopP99MaxMs: number | null;
  eventLoopMaxMs: number | null;
  /** The same during the latency phase (moderate background load). */
  eventLoopModerateP99MaxMs: number | null;
  acknowledgedTotal: number;
  wardenAcceptedTotal: number;
  storedTotal: number;
  pushedBackTotal: number;
}

const MiB = 'MiB';

export function buildFigures(m: Measurements): Figure[] {
  const p = m.params;
  const insertLimit = m.insert.rowsPerSecond;
  const load = `${p.inFlight} requests in flight, ${m.spansPerPayload.toFixed(0)} spans (~${Math.round(m.bytesPerSpan)} B each) per pre-encoded request, ${p.agents} agents, ${p.windowSeconds} s window`;
  const figures: Figure[] = [
    {
      key: 'decode_limit',
      label: 'limit (a): protobuf decode',
      value: m.decodePerSecond,
      unit: 'spans/s',
      method: `src/otlp/decode-proto.ts over the bench's own payloads, one core, in the bench process, ${p.limitSeconds} s after a warm-up (other processes used ${m.decodeOtherCpuCores.toFixed(2)} cores meanwhile).`,
    },
    {
      key: 'pipeline_limit',
      label: 'limit (c): decode+normalize+detect',
      value: m.pipeline.spansPerSecond,
      unit: 'spans/s',
      method: `decode-proto -> createNormalizer().normalizeTraces -> createDetectorSet(bench policy).observe, as ingest-pipeline.ts and detection-stage.ts wire them, no storage, one core, ${p.limitSeconds} s; the bench's rewriting of trace and session ids before each pass is timed apart and left out (${m.pipeline.patchPercent.toFixed(1)} % of the loop) (${m.pipeline.findings} findings on background traffic; other processes used ${m.pipelineOtherCpuCores.toFixed(2)} cores meanwhile).`,
      target: { on: 'value', op: '>=', value: 200_000 },
    },
    {
      key: 'insert_limit',
      label: 'limit (b): raw ClickHouse insert',
      value: insertLimit,
      unit: 'rows/s',
      method: `Separate process: embedded engine on a fresh dir (openClickHouse + migrate, views included); the same spans normalized and serialized by spanToJsonLine, ${p.insertBatchRows}-row JSONEachRow Buffers through createJsonInsert (chdb rawInsert), one at a time, ${m.insert.rows} rows in ${m.insert.seconds.toFixed(1)} s (${Math.round(m.insert.bytesPerRow)} B/row); that process used ${m.insert.cpuCores.toFixed(2)} cores, other processes ${m.insert.otherCpuCores.toFixed(2)}.`,
    },
    {
      key: 'serialize_rate',
      label: 'row serialization (spanToJsonLine)',
      value: m.insert.serializePerSecond,
      unit: 'rows/s',
      method: 'spanToJsonLine over the same spans in the insert-limit process, one core (Warden does this on its main thread when it accepts a request).',
    },
  ];
  for (const w of m.windows) {
    const name = w.transport === 'http' ? 'OTLP/HTTP' : 'OTLP/gRPC';
    figures.push(
      {
        key: `${w.transport}_accepted`,
        label: `${name} accepted`,
        value: w.acceptedPerSecond,
        unit: 'spans/s',
        method: `${name} open throttle (${load}): spans in 2xx/OK responses minus partial-success rejections, over the window (includes filling the ${p.maxQueuedSpans ?? 200_000}-span write queue: ${Math.round(w.queuedAtEnd)} queued at the end).`,
        ratio: { value: w.acceptedPerSecond / insertLimit, of: 'insert limit' },
        target: { on: 'ratio', op: '>=', value: 0.7 },
      },
      {
        key: `${w.transport}_accepted_steady`,
        label: `${name} accepted, 2nd half of window`,
        value: w.acceptedSecondHalfPerSecond,
        unit: 'spans/s',
        method: 'The same, counted over the second half of the window only (the queue has had time to fill, so this is what is sustained).',
        ratio: { value: w.acceptedSecondHalfPerSecond / insertLimit, of: 'insert limit' },
      },
      {
        key: `${w.transport}_stored`,
        label: `${name} stored`,
        value: w.storedPerSecond,
        unit: 'spans/s',
        method: `Increase of warden_store_rows_written_total{table="otel_traces"} on Warden's /metrics over the same window; every acknowledged span was written ${w.drainSeconds.toFixed(1)} s after it.`,
        ratio: { value: w.storedPerSecond / insertLimit, of: 'insert limit' },
        target: { on: 'ratio', op: '>=', value: 0.7 },
      },
      {
        key: `${w.transport}_pushed_back`,
        label: `${name} pushed back`,
        value: w.pushedBackRequests,
        unit: 'requests',
        method: `Requests answered ${w.transport === 'http' ? '429/503' : 'UNAVAILABLE'} in the window (${Math.round(w.pushedBackSpans)} spans; the worker pauses ${p.pushbackPauseMs} ms and sends its next payload); ${w.requests} requests in all, ${w.errors} errors.`,
      },
      {
        key: `${w.transport}_ack_p99`,
        label: `${name} request round trip p99`,
        value: w.ackP99Ms,
        unit: 'ms',
        method: `Client send to acknowledgement of each accepted request in the window (p50 ${w.ackP50Ms.toFixed(1)} ms).`,
      },
      {
        key: `${w.transport}_warden_cpu`,
        label: `${name} Warden CPU`,
        value: w.wardenCpuCores,
        unit: 'cores',
        method: `utime+stime of the Warden process (/proc/<pid>/stat) over the window; the load generator used ${w.generatorCpuCores.toFixed(2)} cores and other processes on the machine ${w.otherCpuCores.toFixed(2)} cores (/proc/stat) of the same ${cpus().length}.`,
      },
      {
        key: `${w.transport}_cpu_per_stored_span`,
        label: `${name} Warden CPU per stored span`,
        value: (w.wardenCpuCores / w.storedPerSecond) * 1e6,
        unit: 'µs',
        method: `Warden's CPU over the window / spans stored in it, by thread (/proc/<pid>/task/*/stat, grouped by thread name): ${THREAD_GROUPS.map((group) => `${THREAD_GROUP_LABEL[group]} ${((w.wardenCpuCoresByThread[group] / w.storedPerSecond) * 1e6).toFixed(1)}`).join(', ')} µs. For comparison, limit (b) took ${((m.insert.cpuCores / m.insert.rowsPerSecond) * 1e6).toFixed(1)} µs of CPU per row (the engine alone). Steadier than rates on a shared machine.`,
      },
    );
  }
  const alert = latencyPercentiles(m.latency.alertMs);
  const callback = latencyPercentiles(m.latency.callbackMs);
  const latencyHow = `${m.latency.injections} injected loops (5 identical kb-search calls by a fresh agent; loop is critical in the bench policy) every ${p.injectionSpacingMs} ms over OTLP/HTTP, with background traffic at ${Math.round(m.latency.backgroundSpansPerSecond)} spans/s; from the client send of the request carrying the 5th call`;
  figures.push(
    { key: 'alert_latency_p50', label: 'span -> alert webhook p50', value: alert.p50, unit: 'ms', method: `${latencyHow} to the webhook notice (alertname=loop) arriving at the bench's receiver; includes the outbox's durable write (${m.latency.missingAlerts} missing).` },
    { key: 'alert_latency_p99', label: 'span -> alert webhook p99', value: alert.p99, unit: 'ms', method: 'The same, p99 (an upper bound of "alert emitted").', target: { on: 'value', op: '<=', value: 100 } },
    { key: 'callback_latency_p50', label: 'span -> suspension callback p50', value: callback.p50, unit: 'ms', method: `${latencyHow} to the signed agent.suspend callback arriving at the bench's receiver (${m.latency.missingCallbacks} missing, ${m.latency.badSignatures} bad signatures).` },
    { key: 'callback_latency_p99', label: 'span -> suspension callback p99', value: callback.p99, unit: 'ms', method: 'The same, p99.', target: { on: 'value', op: '<=', value: 250 } },
    { key: 'warden_peak_rss', label: 'Warden peak RSS', value: m.wardenPeakRssMiB, unit: MiB, method: `VmHWM of the Warden process (embedded ClickHouse included) from /proc/<pid>/status, sampled every 500 ms over the whole run; mean VmRSS under load ${Math.round(m.wardenMeanRssMiB)} MiB.` },
  );
  if (m.eventLoopP99MaxMs !== null) {
    figures.push({
      key: 'event_loop_p99',
      label: 'Warden event-loop delay p99 (worst second)',
      value: m.eventLoopP99MaxMs,
      unit: 'ms',
      method: `warden_process_nodejs_eventloop_lag_p99_seconds (prom-client, monitorEventLoopDelay, reset at every scrape) scraped every second during the load windows; the worst second's p99 (worst single delay ${m.eventLoopMaxMs?.toFixed(0)} ms).`,
    });
  }
  if (m.eventLoopModerateP99MaxMs !== null) {
    figures.push({
      key: 'event_loop_p99_moderate',
      label: 'Warden event-loop delay p99, latency phase',
      value: m.eventLoopModerateP99MaxMs,
      unit: 'ms',
      method: `The same metric during the latency phase (background ${Math.round(m.latency.backgroundSpansPerSecond)} spans/s): the worst second's p99.`,
    });
  }
  figures.push(
    {
      key: 'detector_bytes_per_agent',
      label: 'detector state per agent',
      value: m.memory.bytesPerAgent,
      unit: 'bytes',
      method: `Separate process with --expose-gc: heap used after full GC with only the detector set (bench policy, every budget set) alive, minus before it existed, after one session from each of ${m.memory.agents} agents (${m.memory.spans} spans; ${m.memory.trackedAgents} agents tracked).`,
    },
    { key: 'detector_heap', label: `detector heap, ${m.memory.agents} agents`, value: m.memory.heapAfterMiB - m.memory.heapBeforeMiB, unit: MiB, method: 'The same difference in total.' },
    {
      key: 'detector_process_rss',
      label: `detector process RSS, ${m.memory.agents} agents`,
      value: m.memory.rssMiB,
      unit: MiB,
      method: 'RSS of that process at the end (Node itself, the heap high-water mark of feeding included).',
      target: { on: 'value', op: '<=', value: 1024 },
    },
    {
      key: 'acknowledged_total',
      label: 'spans acknowledged (all phases)',
      value: m.acknowledgedTotal,
      unit: 'spans',
      method: `Client count over warm-up, windows and latency phase; Warden's own accepted counter: ${m.wardenAcceptedTotal}.`,
    },
    { key: 'stored_total', label: 'spans stored (all phases)', value: m.storedTotal, unit: 'spans', method: 'warden_store_rows_written_total{table="otel_traces"} after the last drain, before shutdown.' },
    {
      key: 'acknowledged_not_stored',
      label: 'acknowledged but not stored',
      value: Math.max(0, m.acknowledgedTotal - m.storedTotal),
      unit: 'spans',
      method: `acknowledged - stored (must be 0: a 2xx/OK means the span is written); ${m.pushedBackTotal} requests were pushed back, and are not counted as acknowledged.`,
      target: { on: 'value', op: '<=', value: 0 },
    },
  );
  return figures;
}
