import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { traceServiceDefinition } from '../../../src/otlp/grpc-services.ts';
import { eventually, startTestWarden } from '../../helpers/start-test-warden.ts';
import { nowNs, otlpJsonRequest } from '../../helpers/otlp-json.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-backpressure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function request(traceHex: string, count: number): string {
  const now = nowNs();
  return otlpJsonRequest(
    Array.from({ length: count }, (_, i) => ({
      traceId: traceHex.padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat gpt-4o',
      kind: 3,
      startNs: now,
      durationNs: 1000n,
      attributes: { 'agent.id': 'busy-agent' },
    })),
  );
}

describe('a saturated Warden', () => {
  it('pushes back with 429 + Retry-After and gRPC UNAVAILABLE, and stores everything it acknowledged (journal off)', async () => {
    // A queue of 100 spans that is only written at shutdown: the second request cannot fit, and a full queue is not ready.
    const configFile = join(dir, 'warden.yaml');
    writeFileSync(configFile, 'storage:\n  flushIntervalMs: 600000\n  batchRows: 100000\n');
    const dataDir = join(dir, 'data');
    const warden = await startTestWarden({ WARDEN_CONFIG: configFile, WARDEN_MAX_QUEUED_SPANS: '100', WARDEN_JOURNAL: 'false' }, dataDir);
    let restarted;
    try {
      const post = (body: string) =>
        fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect((await post(request('1', 100))).status).toBe(200);

      const refused = await post(request('2', 40));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(((await refused.json()) as { message: string }).message).toContain('WARDEN_PIPELINE_SATURATED');
      // Refused before the body is read or decoded (no CPU for requests turned away): even a body
      // that is not OTLP gets the 429, not a 400.
      expect((await post('not json at all')).status).toBe(429);

      const ready = await fetch(`${warden.apiUrl}/readyz`);
      expect(ready.status).toBe(503);

      const client = new grpc.Client(`127.0.0.1:${warden.otlpGrpc.port}`, grpc.credentials.createInsecure());
      const grpcError = await new Promise<grpc.ServiceError | null>((resolve) => {
        // ExportTraceServiceRequest{resource_spans{scope_spans{spans{trace_id, span_id, name}}}}:
        // one valid span, which needs room in the full queue.
        const span = [0x0a, 0x10, ...new Array<number>(16).fill(7), 0x12, 0x08, ...new Array<number>(8).fill(9), 0x2a, 0x04, 0x63, 0x68, 0x61, 0x74];
        const scopeSpans = [0x12, span.length, ...span];
        const resourceSpans = [0x12, scopeSpans.length, ...scopeSpans];
        const body = Buffer.from([0x0a, resourceSpans.length, ...resourceSpans]);
        client.makeUnaryRequest(
          traceServiceDefinition.Export.path,
          (value: Buffer) => value,
          (value: Buffer) => value,
          body,
          (error) => resolve(error),
        );
      });
      client.close();
      expect(grpcError?.code).toBe(grpc.status.UNAVAILABLE);
      expect(grpcError?.metadata.get('grpc-status-details-bin')).toHaveLength(1);

      await warden.shutdown();
      restarted = await startTestWarden({ WARDEN_JOURNAL: 'false' }, dataDir);
      const first = (await (await fetch(`${restarted.apiUrl}/api/v1/traces/${'1'.padStart(32, '0')}`)).json()) as { spans: unknown[] };
      expect(first.spans).toHaveLength(100);
      expect((await fetch(`${restarted.apiUrl}/api/v1/traces/${'2'.padStart(32, '0')}`)).status).toBe(404);
    } finally {
      await restarted?.shutdown();
    }
  });

  it('with the journal, pushes back at the memory queue rather than spilling while ClickHouse works, and stores every acknowledged span', async () => {
    // Nothing is written before shutdown (the flush interval is 10 minutes): ClickHouse is not
    // failing, only behind, so the journal takes no backlog (spilling is for outages:
    // clickhouse-outage.test.ts) and the request past the memory queue is pushed back.
    const configFile = join(dir, 'journal.yaml');
    writeFileSync(configFile, 'storage:\n  flushIntervalMs: 600000\n  batchRows: 100000\n');
    const dataDir = join(dir, 'journal-data');
    const warden = await startTestWarden({ WARDEN_CONFIG: configFile, WARDEN_MAX_QUEUED_SPANS: '100', WARDEN_JOURNAL_MAX_BYTES: '400000' }, dataDir);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let restarted;
    try {
      for (let i = 1; i <= 60 && refused.length === 0; i++) {
        const trace = (0x100 + i).toString(16);
        const response = await fetch(`${warden.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request(trace, 100) });
        if (response.status === 200) acknowledged.push(trace);
        else if (response.status === 429) refused.push(trace);
        else throw new Error(`unexpected ${response.status}`);
      }
      expect(acknowledged).toHaveLength(1);
      expect(refused).toHaveLength(1);
      await warden.shutdown();

      // The memory queue was written at shutdown.
      restarted = await startTestWarden({}, dataDir);
      const apiUrl = restarted.apiUrl;
      for (const trace of acknowledged) {
        await eventually(async () => {
          const response = await fetch(`${apiUrl}/api/v1/traces/${trace.padStart(32, '0')}`);
          if (response.status !== 200) return undefined;
          const { spans } = (await response.json()) as { spans: unknown[] };
          return spans.length === 100 ? true : undefined;
        }, 20_000, `trace ${trace} stored whole`);
      }
      expect((await fetch(`${apiUrl}/api/v1/traces/${refused[0]!.padStart(32, '0')}`)).status).toBe(404);
    } finally {
      await restarted?.shutdown();
    }
  });
});
