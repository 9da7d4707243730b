import { spawn } from 'node:child_process';

/**
 * Runs a bench script in its own Node process (the embedded engine allows one data directory
 * per process; a clean heap for memory figures) and returns the JSON object it prints as its
 * last stdout line. Its stderr (progress) is passed through.
 */
export async function runChildJson<T>(script: string, args: unknown, options: { repoRoot: string; nodeFlags?: string[] }): Promise<T> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, JSON.stringify(args)], {
    cwd: options.repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${out.slice(-2000)}`);
  const last = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}
