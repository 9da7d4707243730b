import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWarden, type WardenInstance } from '../../src/app/start-warden.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

export interface TestWarden extends WardenInstance {
  readonly httpUrl: string;
  readonly grpcUrl: string;
  readonly apiUrl: string;
  readonly dataDir: string;
  /** Shuts Warden down and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts a real Warden on free loopback ports with the embedded store in a fresh directory,
 * configured through the same WARDEN_* variables a user sets.
 */
export async function startTestWarden(env: Record<string, string> = {}, dataDir?: string): Promise<TestWarden> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'warden-test-'));
  const config = loadConfig({
    WARDEN_DATA_DIR: dir,
    WARDEN_OTLP_GRPC_ADDR: '127.0.0.1:0',
    WARDEN_OTLP_HTTP_ADDR: '127.0.0.1:0',
    WARDEN_API_ADDR: '127.0.0.1:0',
    WARDEN_LOG_LEVEL: process.env['WARDEN_TEST_LOG_LEVEL'] ?? 'silent',
    ...env,
  });
  if (!config.ok) throw new Error(config.error.message);
  const instance = await startWarden(config.value, createLogger(config.value.logLevel));
  return {
    ...instance,
    dataDir: dir,
    httpUrl: `http://127.0.0.1:${instance.otlpHttp.port}`,
    grpcUrl: `http://127.0.0.1:${instance.otlpGrpc.port}`,
    apiUrl: `http://127.0.0.1:${instance.api.port}`,
    async stop() {
      await instance.shutdown();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `probe` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
