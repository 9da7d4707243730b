import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openOtlpFile } from '../../../src/replay/otlp-file.ts';
import type { ReplayAlert } from '../../../src/replay/replay-alert.ts';
import { replayOtlpFile } from '../../../src/replay/replay-file.ts';
import { createReplaySession } from '../../../src/replay/replay-session.ts';
import { builtInPolicySet } from '../../../src/policy/parse-policy.ts';
import { asJsonLines, fixturePath, LOOPING_FIXTURES, policySet, removeTempDirs, runReplay, spanIdsNaming, STRICT_LOOP_POLICY, tempDir, tempFile } from './replay-fixtures.ts';

afterAll(removeTempDirs);

const silent = pino({ level: 'silent' });

async function replayFixture(file: string, policy = builtInPolicySet()) {
  const opened = await openOtlpFile(fixturePath(file));
  if (!opened.ok) throw new Error(opened.error.message);
  const session = createReplaySession({ policy, logger: silent });
  const ran = await replayOtlpFile(opened.value, session);
  if (!ran.ok) throw new Error(ran.error.message);
  return session.finish();
}

describe('replaying the shared captures', () => {
  it.each(LOOPING_FIXTURES)('%s: nothing fires with the default policy', async (file) => {
    const result = await replayFixture(file);
    expect(result.spans).toBeGreaterThan(0);
    expect(result.alerts).toEqual([]);
  });

  it.each(LOOPING_FIXTURES)('%s: max_identical_calls 4 raises a loop alert for looping-agent, with the four calls as evidence', async (file) => {
    const result = await replayFixture(file, policySet(STRICT_LOOP_POLICY));
    expect(result.alerts).toHaveLength(1);
    const [alert] = result.alerts;
    expect(alert).toMatchObject({ kind: 'loop', rule: 'identical_calls', agent_id: 'looping-agent', severity: 'warning', action: 'notify', status: 'firing', count: 1 });
    const evidence = alert?.evidence['span_ids'] as string[];
    expect(evidence).toHaveLength(4);
    expect(spanIdsNaming(file, 'search_docs')).toEqual(expect.arrayContaining(evidence));
  });

  it('prints the same alerts twice for the same input, so --json output diffs cleanly', async () => {
    const policy = tempFile('strict.yaml', STRICT_LOOP_POLICY);
    const first = await runReplay(['--file', fixturePath('vercel-ai-v5.otlp.json'), '--policy', policy, '--json']);
    const second = await runReplay(['--file', fixturePath('vercel-ai-v5.otlp.json'), '--policy', policy, '--json']);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    const alerts = JSON.parse(first.stdout) as ReplayAlert[];
    expect(alerts[0]).not.toHaveProperty('id');
    expect(alerts[0]).toHaveProperty('fingerprint');
  });
});

describe('JSON Lines input', () => {
  it('reads one request per line (CRLF, blank lines) and re-attributes spans exported before their agent', async () => {
    const file = 'otel-openai-genai.otlp.json';
    const path = tempFile('traces.jsonl', `\r\n${asJsonLines(file, '\r\n')}\r\n`);
    const policy = tempFile('strict.yaml', STRICT_LOOP_POLICY);
    const run = await runReplay(['--file', path, '--policy', policy, '--json']);
    expect(run.stderr).not.toContain('WARDEN_');
    expect(run.status).toBe(0);
    const alerts = JSON.parse(run.stdout) as ReplayAlert[];
    // Each tool call arrived alone, before the invoke_agent span naming looping-agent: the
    // alert opened on the fallback identity and moved to the agent, as it does live.
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'loop', agent_id: 'looping-agent' });
    expect(spanIdsNaming(file, 'search_docs')).toEqual(expect.arrayContaining(alerts[0]?.evidence['span_ids'] as string[]));
  });

  it('reports progress in bytes of the file', async () => {
    const path = tempFile('traces.jsonl', asJsonLines('vercel-ai-v5.otlp.json'));
    const opened = await openOtlpFile(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const session = createReplaySession({ policy: builtInPolicySet(), logger: silent });
    const seen: number[] = [];
    await replayOtlpFile(opened.value, session, { onProgress: (update) => seen.push(update.done) });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(opened.value.sizeBytes);
  });
});

describe('bad input', () => {
  it('names the line of a JSON Lines file that is not OTLP/JSON, and exits 2', async () => {
    const good = asJsonLines('otel-openai-genai.otlp.json').split('\n')[0];
    const path = tempFile('bad.jsonl', `${good}\n${good}\n{"resourceSpans": 5}\n${good}\n`);
    const run = await runReplay(['--file', path]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${path}:3: not an OTLP/JSON ExportTraceServiceRequest`);
    expect(run.stderr).toContain('WARDEN_REPLAY_INPUT');
    expect(run.stdout).toBe('');
  });

  it('reports a truncated line', async () => {
    const good = asJsonLines('otel-openai-genai.otlp.json').split('\n')[0] ?? '';
    const path = tempFile('cut.jsonl', `${good}\n${good.slice(0, 40)}`);
    const run = await runReplay(['--file', path]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${path}:2: not an OTLP/JSON`);
  });

  it('refuses a document that is not an export request', async () => {
    const run = await runReplay(['--file', tempFile('list.json', '[\n  1,\n  2\n]\n')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/list\.json: not an OTLP\/JSON ExportTraceServiceRequest: .*expected object/);
  });

  it('refuses a missing file and a directory', async () => {
    const missing = await runReplay(['--file', join(tempDir(), 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read the file (ENOENT) (WARDEN_REPLAY_INPUT)');
    const directory = await runReplay(['--file', tempDir()]);
    expect(directory.status).toBe(2);
    expect(directory.stderr).toContain('not a regular file');
  });

  it('replays an empty file as no spans, exit 0', async () => {
    const run = await runReplay(['--file', tempFile('empty.json', '')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Replayed 0 spans');
    expect(run.stdout).toContain('No alerts would have fired.');
    expect(run.stderr).toContain('no spans in');
  });

  it('shows an invalid policy with its line-numbered errors, and exits 2', async () => {
    const policy = tempFile('bad.yaml', 'defaults:\n  loop: { max_identical_cals: 4 }\nagents:\n  - match: 5\n');
    const run = await runReplay(['--file', fixturePath('otel-openai-genai.otlp.json'), '--policy', policy]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('invalid policy (WARDEN_POLICY_INVALID)');
    expect(run.stderr).toContain(`${policy}:2:11: defaults.loop.max_identical_cals: unknown field (did you mean "max_identical_calls"?)`);
    expect(run.stderr).toContain(`${policy}:4:12: agents[0].match: expected string, got 5`);
  });

  it('takes the policy from WARDEN_POLICY when --policy is not given', async () => {
    const policy = tempFile('strict.yaml', STRICT_LOOP_POLICY);
    const run = await runReplay(['--file', fixturePath('otel-openai-genai.otlp.json'), '--json'], { WARDEN_POLICY: policy });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
    expect(run.stderr).toContain(`policy: ${policy}`);
  });

  it('refuses a single document over the size limit', async () => {
    const opened = await openOtlpFile(fixturePath('otel-openai-genai.otlp.json'), { maxDocumentBytes: 4096 });
    if (!opened.ok) throw new Error(opened.error.message);
    const items = [];
    for await (const item of opened.value.requests()) items.push(item);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ ok: false, error: { code: 'WARDEN_REPLAY_INPUT' } });
    expect(!items[0]?.ok && items[0]?.error.message).toContain('a single JSON document over 4096 bytes; write JSON Lines');
  });
});
