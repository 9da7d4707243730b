import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'warden-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface FigureJson {
  value: number;
  unit: string;
  method: string;
  ratio?: { value: number; of: string };
  met?: boolean;
}

// Every figure a run must report; event_loop_p99 only when Warden's /metrics exposes it.
const FIGURES = [
  'decode_limit', 'pipeline_limit', 'insert_limit', 'serialize_rate',
  'http_accepted', 'http_accepted_steady', 'http_stored', 'http_pushed_back', 'http_ack_p99', 'http_warden_cpu', 'http_cpu_per_stored_span',
  'grpc_accepted', 'grpc_accepted_steady', 'grpc_stored', 'grpc_pushed_back', 'grpc_ack_p99', 'grpc_warden_cpu', 'grpc_cpu_per_stored_span',
  'alert_latency_p50', 'alert_latency_p99', 'callback_latency_p50', 'callback_latency_p99',
  'warden_peak_rss', 'detector_bytes_per_agent', 'detector_heap', 'detector_process_rss',
  'acknowledged_total', 'stored_total', 'acknowledged_not_stored',
];
// Counts that may rightly be zero: nothing pushed back, nothing lost, and nothing accepted in
// the second half of a short window when the queue stayed full through it (a 20,000-row insert
// can take that long on a busy machine, and a full queue pushes back).
const MAY_BE_ZERO = new Set(['http_pushed_back', 'grpc_pushed_back', 'acknowledged_not_stored', 'http_accepted_steady', 'grpc_accepted_steady']);

describe('npm run bench -- --quick', () => {
  it('runs Warden under load and reports every figure, with every acknowledged span stored', async () => {
    const out = join(dir, 'result.json');
    const child = spawn(
      process.execPath,
      ['bench/run.ts', '--quick', '--window', '4', '--injections', '4', '--memory-agents', '2000', '--out', out],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    expect(code, `bench failed:\n${stderr}\n${stdout}`).toBe(0);

    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      commit: string;
      node: string;
      machine: { cpus: number };
      params: { quick: boolean };
      figures: Record<string, FigureJson>;
      details: { windows: Array<{ ackSpans: number; storedSpans: number; pushedBackSpans: number }>; latency: { missingAlerts: number; missingCallbacks: number; badSignatures: number } };
    };
    expect(result.node).toBe(process.version);
    expect(result.machine.cpus).toBeGreaterThan(0);
    expect(result.params.quick).toBe(true);
    for (const key of FIGURES) {
      const figure = result.figures[key];
      expect(figure, `figure ${key}`).toBeDefined();
      expect(Number.isFinite(figure!.value), `${key} = ${figure!.value}`).toBe(true);
      if (MAY_BE_ZERO.has(key)) expect(figure!.value, key).toBeGreaterThanOrEqual(0);
      else expect(figure!.value, key).toBeGreaterThan(0);
      expect(figure!.unit, key).not.toBe('');
      expect(figure!.method, key).not.toBe('');
    }
    // Ratios are against the insert limit measured in the same run.
    expect(result.figures['http_stored']!.ratio?.of).toBe('insert limit');
    expect(result.figures['http_stored']!.ratio!.value).toBeCloseTo(result.figures['http_stored']!.value / result.figures['insert_limit']!.value, 6);

    // Accounting: every acknowledged span is stored; pushed-back spans are not acknowledged.
    const acknowledged = result.figures['acknowledged_total']!.value;
    const stored = result.figures['stored_total']!.value;
    expect(acknowledged).toBeGreaterThan(0);
    expect(acknowledged).toBeLessThanOrEqual(stored);
    expect(result.figures['acknowledged_not_stored']!.value).toBe(0);
    for (const window of result.details.windows) {
      expect(window.ackSpans).toBeGreaterThan(0);
      // Within a window Warden may still hold some of what it acknowledged; it never writes more.
      expect(window.storedSpans).toBeLessThanOrEqual(window.ackSpans + 20_000);
    }
    // Every injected loop was alerted and suspended through a correctly signed callback.
    expect(result.details.latency.missingAlerts).toBe(0);
    expect(result.details.latency.missingCallbacks).toBe(0);
    expect(result.details.latency.badSignatures).toBe(0);

    // The table on stdout names every figure with a status for those with a target.
    expect(stdout).toContain('limit (b): raw ClickHouse insert');
    expect(stdout).toMatch(/OTLP\/gRPC stored\s+[\d,]+\s+spans\/s\s+[\d.]+ of insert limit/);
  }, 90_000);
});
