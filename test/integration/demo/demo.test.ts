import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs `npm run demo` as a user would (without npm), collecting its output. */
function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['demo/run-demo.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo', () => {
  it('suspends the three misbehaving agents through signed callbacks and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    // Not a terminal: plain text, no ANSI escapes.
    expect(stdout).not.toContain('\u001b[');
    for (const [agent, kind] of [['ops-looper', 'loop'], ['report-spender', 'budget_exceeded'], ['intern-shell', 'policy_violation']]) {
      expect(stdout).toMatch(new RegExp(`SUSPENDED ${agent} is suspended`));
      expect(stdout).toMatch(new RegExp(`CALLBACK\\s+agent\\.suspend for ${agent} \\(${kind}\\)\\s+signature ok`));
      expect(stdout).toMatch(new RegExp(`ALERT .* ${kind} .*agent=${agent}\\s+severity=critical\\s+action=suspend`));
    }
    expect(stdout).toContain('Callbacks received: 3');
    expect(stdout).not.toContain('SIGNATURE INVALID');
    // The well-behaved agents were left alone.
    for (const agent of ['support-alice', 'research-bob', 'triage-carol']) expect(stdout).toMatch(new RegExp(`${agent}\\s+well-behaved\\s+active\\s+0`));
  }, 60_000);
});
