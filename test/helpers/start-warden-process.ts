import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface WardenProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly httpUrl: string;
  readonly grpcUrl: string;
  readonly apiUrl: string;
  /** Every JSON log line so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown, nothing flushed. */
  kill(): Promise<void>;
}

/**
 * `warden serve` as its own process, the way an operator runs it, on free loopback ports:
 * for tests where Warden must be killed, or several must share one ClickHouse.
 */
export async function startWardenProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<WardenProcess> {
  const child = spawn(process.execPath, ['src/cli/warden.ts', 'serve'], {
    cwd: repoRoot,
    env: {
      PATH: process.env['PATH'] ?? '',
      WARDEN_OTLP_GRPC_ADDR: '127.0.0.1:0',
      WARDEN_OTLP_HTTP_ADDR: '127.0.0.1:0',
      WARDEN_API_ADDR: '127.0.0.1:0',
      WARDEN_LOG_LEVEL: 'info',
      ...env,
    },
  });
  const logs: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const urls = { http: '', grpc: '', api: '' };
  await new Promise<void>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`warden did not listen within ${timeoutMs} ms:\n${stderr.join('')}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      const message = String(entry['msg'] ?? '');
      const match = /^(OTLP\/HTTP|OTLP\/gRPC|REST API) listening on (?:http:\/\/)?(127\.0\.0\.1:\d+)/.exec(message);
      if (match === null) return;
      const url = `http://${match[2]!}`;
      if (match[1] === 'OTLP/HTTP') urls.http = url;
      else if (match[1] === 'OTLP/gRPC') urls.grpc = url;
      else urls.api = url;
      if (urls.http && urls.grpc && urls.api) {
        clearTimeout(timer);
        resolveStart();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`warden exited with ${code} before listening:\n${stderr.join('')}`));
    });
  });
  return {
    child,
    httpUrl: urls.http,
    grpcUrl: urls.grpc,
    apiUrl: urls.api,
    logs,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
