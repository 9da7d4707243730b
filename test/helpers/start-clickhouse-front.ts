import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./clickhouse-http-front.ts', import.meta.url));
const STDERR_KEPT = 64 * 1024;

export interface ClickHouseFrontOptions {
  /** The engine's data directory; a front started again on it sees the same data. */
  dataDir: string;
  /** The one user the front accepts. Default 'default'. */
  user?: string;
  /** Its password. Default '' (none). */
  password?: string;
  /** Milliseconds to wait for the front to listen. Default 30 000. */
  startTimeoutMs?: number;
  /** Default 0 (any free port); a fixed one to come back where a client expects it. */
  port?: number;
}

export interface ClickHouseFront {
  /** http://127.0.0.1:PORT, for `createClient({ url })` or WARDEN_CLICKHOUSE_URL. */
  url: string;
  pid: number;
  /** SIGTERM, then waits for the front to close its engine and exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL: ClickHouse disappearing mid-flight. */
  kill(): void;
}

/**
 * Starts test/helpers/clickhouse-http-front.ts in its own process (the embedded engine binds
 * one data directory per process), with the Node that runs the tests.
 */
export async function startClickHouseFront(options: ClickHouseFrontOptions): Promise<ClickHouseFront> {
  const args = [SCRIPT, '--data-dir', options.dataDir, '--host', '127.0.0.1', '--port', String(options.port ?? 0)];
  if (options.user !== undefined) args.push('--user', options.user);
  if (options.password !== undefined) args.push('--password', options.password);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let settled = false;
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`ClickHouse front ${why}; stderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0 || settled) return;
      try {
        const line = JSON.parse(stdout.slice(0, newline)) as { url?: unknown };
        if (typeof line.url !== 'string') throw new Error('no url');
        settled = true;
        clearTimeout(timer);
        resolve(line.url);
      } catch {
        fail(`printed an unexpected line: ${stdout.slice(0, newline)}`);
      }
    });
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    void exited.then(({ code, signal }) => fail(`exited before listening (code ${code}, signal ${signal})`));
  });
  // Later output is not read; keep the pipe drained so the front never blocks on it.
  child.stdout.resume();

  const pid = child.pid;
  if (pid === undefined) throw new Error('ClickHouse front has no pid');
  let killed = false;
  return {
    url,
    pid,
    async stop() {
      if (killed) {
        await exited;
        return;
      }
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const { code, signal } = await exited;
      clearTimeout(killer);
      if (code !== 0) throw new Error(`ClickHouse front exited with code ${code}, signal ${signal}; stderr:\n${stderr}`);
    },
    kill() {
      killed = true;
      child.kill('SIGKILL');
    },
  };
}
