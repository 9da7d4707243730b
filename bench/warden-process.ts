import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface WardenProcess {
  readonly pid: number;
  readonly httpUrl: string;
  /** host:port for the gRPC client. */
  readonly grpcAddress: string;
  readonly apiUrl: string;
  /** SIGTERM, then the exit code once it has flushed and exited (SIGKILL after timeoutMs). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** The last log lines, for error reports. */
  tail(): string[];
}

export interface WardenSpawnOptions {
  repoRoot: string;
  env: Record<string, string>;
  /** Extra Node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  startTimeoutMs?: number;
  /** A file every log line is also written to. */
  logFile?: string;
}

const LISTENING = /(OTLP\/HTTP|OTLP\/gRPC|REST API) listening on (?:http:\/\/)?([\d.]+:\d+)/;

/**
 * `warden serve` as its own process, as a user runs it (`process.execPath src/cli/warden.ts
 * serve`), on the ports it reports in its three listener lines.
 */
export async function spawnWarden(options: WardenSpawnOptions): Promise<WardenProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeFlags ?? []), 'src/cli/warden.ts', 'serve'], {
    cwd: options.repoRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile);
  void exitedForLog(child).then(() => log?.end());
  const keep = (line: string): void => {
    log?.write(`${line}\n`);
    lines.push(line);
    if (lines.length > 200) lines.splice(0, 100);
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => keep(chunk.trimEnd()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const addresses = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Warden did not report its listeners within ${options.startTimeoutMs ?? 60_000} ms:\n${lines.join('\n')}`)), options.startTimeoutMs ?? 60_000);
    // Every line is read (a full pipe would stall Warden); only the start-up lines are parsed.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      if (addresses.size === 3) return;
      const match = LISTENING.exec(line);
      if (match) addresses.set(match[1]!, match[2]!);
      if (addresses.size === 3) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Warden exited with ${code} during start-up:\n${lines.join('\n')}`));
    });
  });
  return {
    pid: child.pid!,
    httpUrl: `http://${addresses.get('OTLP/HTTP')}`,
    grpcAddress: addresses.get('OTLP/gRPC')!,
    apiUrl: `http://${addresses.get('REST API')}`,
    async stop(timeoutMs = 120_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    tail: () => lines.slice(-30),
  };
}

function exitedForLog(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('close', () => resolve()));
}
