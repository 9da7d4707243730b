import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PolicySet } from '../../../src/policy/policy-set.ts';
import { createPolicyStore, type PolicyStore } from '../../../src/policy/policy-store.ts';

interface LogLine {
  level: number;
  msg: string;
}

const policyFor = (role: string): string => `agents:\n  - match: "support-*"\n    role: ${role}\n`;
const INVALID = 'agents:\n  - match: "support-*"\n    budget: { usd_per_hour: five }\n';

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('policy store', () => {
  let dir: string;
  let file: string;
  let logs: LogLine[];
  let reloaded: PolicySet[];
  let store: PolicyStore | undefined;
  const logger = () => pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const roleNow = (): string | null => store?.current().forAgent('support-7').role ?? null;

  async function open(filePath: string | undefined): Promise<PolicyStore> {
    const result = await createPolicyStore({ path: filePath, logger: logger(), onReload: (set) => reloaded.push(set), debounceMs: 50 });
    if (!result.ok) throw new Error(result.error.message);
    store = result.value;
    return store;
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-policy-'));
    file = path.join(dir, 'policy.yaml');
    logs = [];
    reloaded = [];
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('runs on built-in defaults without a path', async () => {
    const defaults = await open(undefined);
    expect(defaults.current().forAgent('support-7').matchedRule).toBeNull();
    expect((await defaults.reloadNow()).ok).toBe(true);
  });

  it('refuses to start on an invalid or missing file, naming line and field', async () => {
    await writeFile(file, INVALID);
    const invalid = await createPolicyStore({ path: file, logger: logger() });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.error.message).toBe(`${file}:3:29: agents[0].budget.usd_per_hour: expected number, got "five"`);

    const missing = await createPolicyStore({ path: path.join(dir, 'nope.yaml'), logger: logger() });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toContain('ENOENT');
  });

  it('picks up a valid change, keeps the old policy on an invalid one, then takes the fix', async () => {
    await writeFile(file, policyFor('first'));
    await open(file);
    expect(roleNow()).toBe('first');

    await writeFile(file, policyFor('second'));
    await until(() => roleNow() === 'second', 'the valid change');
    expect(reloaded.map((set) => set.forAgent('support-7').role)).toEqual(['second']);
    expect(logs.some((line) => line.level === 30 && line.msg.startsWith(`policy reloaded (version ${reloaded[0]?.version})`))).toBe(true);

    await writeFile(file, INVALID);
    await until(() => logs.some((line) => line.level === 50), 'the invalid file to be reported');
    const reported = logs.find((line) => line.level === 50)?.msg ?? '';
    expect(reported).toContain('keeping version');
    expect(reported).toContain(`${file}:3:29: agents[0].budget.usd_per_hour: expected number, got "five"`);
    expect(roleNow()).toBe('second');

    await writeFile(file, policyFor('third'));
    await until(() => roleNow() === 'third', 'the fixed file');
    expect(reloaded).toHaveLength(2);
  });

  it('follows an editor-style save: write a new file, rename it over the old', async () => {
    await writeFile(file, policyFor('first'));
    await open(file);
    const temporary = path.join(dir, '.policy.yaml.swp');
    await writeFile(temporary, policyFor('renamed'));
    await rename(temporary, file);
    await until(() => roleNow() === 'renamed', 'the renamed file');
  });

  it('keeps the policy with one warning when the file is deleted, and reloads when it returns', async () => {
    await writeFile(file, policyFor('first'));
    const opened = await open(file);
    await unlink(file);
    const result = await opened.reloadNow();
    expect(result.ok).toBe(false);
    await opened.reloadNow();
    expect(roleNow()).toBe('first');
    expect(logs.filter((line) => line.level === 40 && line.msg.includes('ENOENT'))).toHaveLength(1);

    await writeFile(file, policyFor('back'));
    const back = await opened.reloadNow();
    expect(back.ok && back.value.forAgent('support-7').role).toBe('back');
  });

  it('reloadNow ignores unchanged text and does not call onReload', async () => {
    await writeFile(file, policyFor('first'));
    const opened = await open(file);
    const before = opened.current();
    const again = await opened.reloadNow();
    expect(again.ok && again.value).toBe(before);
    expect(reloaded).toHaveLength(0);
  });

  it('survives a reload listener that throws', async () => {
    await writeFile(file, policyFor('first'));
    const result = await createPolicyStore({ path: file, logger: logger(), onReload: () => { throw new Error('listener bug'); } });
    if (!result.ok) throw new Error(result.error.message);
    store = result.value;
    await writeFile(file, policyFor('second'));
    const reload = await store.reloadNow();
    expect(reload.ok).toBe(true);
    expect(roleNow()).toBe('second');
    expect(logs.some((line) => line.level === 50 && line.msg === 'a policy reload listener failed')).toBe(true);
  });
});
