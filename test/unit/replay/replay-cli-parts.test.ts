import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerter/alert.ts';
import { createProgressReporter, describeProgress } from '../../../src/replay/progress-reporter.ts';
import { parseReplayArgs } from '../../../src/replay/replay-args.ts';
import { toReplayAlerts } from '../../../src/replay/replay-alert.ts';
import { formatReplayReport } from '../../../src/replay/replay-report.ts';
import type { ReplayResult } from '../../../src/replay/replay-session.ts';
import { runReplay } from './replay-fixtures.ts';

const NOW = Date.UTC(2026, 4, 11, 12, 0, 0);

describe('replay arguments', () => {
  it('takes a file, or a time range with an agent', () => {
    expect(parseReplayArgs(['--file', 'x.json', '--json'], NOW)).toEqual({ ok: true, value: { source: 'file', file: 'x.json', policyPath: undefined, json: true } });
    expect(parseReplayArgs(['--from', '2026-05-11', '--agent', 'a-1', '--policy', 'p.yaml'], NOW)).toEqual({
      ok: true,
      value: { source: 'store', fromMs: Date.UTC(2026, 4, 11), toMs: NOW, agentId: 'a-1', policyPath: 'p.yaml', json: false },
    });
    const zoned = parseReplayArgs(['--from', '2026-05-11T10:00:00+02:00', '--to', '2026-05-11T09:30:00.5Z'], NOW);
    expect(zoned.ok && zoned.value).toMatchObject({ fromMs: Date.UTC(2026, 4, 11, 8), toMs: Date.UTC(2026, 4, 11, 9, 30, 0, 500) });
  });

  it.each([
    [['--nope'], "Unknown option '--nope'"],
    [['stray'], "Unexpected argument 'stray'"],
    [['--file'], "Option '--file <value>' argument missing"],
    [['--file', ''], '--file needs a value'],
    [[], 'say what to replay: --file <otlp.json>, or --from <time>'],
    [['--to', '2026-05-11'], '--to needs --from'],
    [['--file', 'x', '--from', '2026-05-11', '--agent', 'a'], '--from and --agent apply to stored spans only'],
    [['--from', '2026-05-11T10:00'], 'expected an ISO 8601 date or time with a zone'],
    [['--from', 'yesterday'], '--from "yesterday": expected an ISO 8601'],
    [['--from', '2026-02-30'], 'expected an ISO 8601'],
    [['--from', '2026-05-12', '--to', '2026-05-11'], '--from 2026-05-12 is not before --to 2026-05-11'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseReplayArgs(argv, NOW);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatchObject({ code: 'WARDEN_REPLAY_USAGE' });
    expect(!parsed.ok && parsed.error.message).toContain(message);
  });

  it('exits 2 with the problem and a pointer to --help; --help prints the usage', async () => {
    const bad = await runReplay(['--from', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('(WARDEN_REPLAY_USAGE)');
    expect(bad.stderr).toContain('warden replay --help');
    const help = await runReplay(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: warden replay --file <otlp.json>');
  });

  it('exits 2 on invalid configuration', async () => {
    const run = await runReplay(['--file', 'x.json'], { WARDEN_LOG_LEVEL: 'loud' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('WARDEN_CONFIG_INVALID');
  });
});

describe('progress', () => {
  function reporter(isTTY: boolean) {
    let now = 0;
    const written: string[] = [];
    const progress = createProgressReporter({ stream: { write: (text: string) => written.push(text), isTTY }, unit: 'spans', now: () => now });
    return { progress, written, advance: (ms: number) => (now += ms) };
  }

  it('without a terminal prints a plain line every 5 s', () => {
    const { progress, written, advance } = reporter(false);
    advance(1000);
    progress.update({ done: 100, total: 1000, spans: 100 });
    expect(written).toEqual([]);
    advance(4000);
    progress.update({ done: 500, total: 1000, spans: 500 });
    expect(written).toEqual(['replay: 50% 500/1000 spans, 100 spans/s, ETA 0:05\n']);
    progress.finish(1000);
    expect(written[1]).toBe('replay: 1000 spans in 5.0 s (200 spans/s)\n');
  });

  it('on a terminal redraws a bar in place and clears it at the end', () => {
    const { progress, written, advance } = reporter(true);
    advance(200);
    progress.update({ done: 250, total: 1000, spans: 250 });
    expect(written[0]).toBe('\r\x1b[K[######..................] 25% 250/1000 spans, 1250 spans/s, ETA 0:01');
    advance(50);
    progress.update({ done: 300, total: 1000, spans: 300 });
    expect(written).toHaveLength(1);
    progress.finish(1000);
    expect(written[1]).toBe('\r\x1b[K');
  });

  it('measures a file in MiB and counts spans beside', () => {
    expect(describeProgress({ done: 3 * 1024 * 1024, total: 12 * 1024 * 1024, spans: 42_000 }, 'bytes', 2000)).toBe('25% 3.0/12.0 MiB, 42000 spans, 21.0k spans/s, ETA 0:06');
    expect(describeProgress({ done: 0, total: 0, spans: 0 }, 'spans', 0)).toBe('100% 0/0 spans, - spans/s');
  });
});

function alert(i: number, fields: Partial<Alert> = {}): Alert {
  return {
    id: `id-${i}`,
    fingerprint: `fp-${i}`,
    kind: 'loop',
    rule: 'identical_calls',
    severity: 'warning',
    status: 'firing',
    agent_id: `agent-${String(i).padStart(2, '0')}`,
    trace_id: 'a'.repeat(32),
    session_id: 's',
    summary: `agent-${i} looped`,
    evidence: { span_ids: [] },
    first_seen: new Date(NOW + i * 1000).toISOString(),
    last_seen: new Date(NOW + i * 1000).toISOString(),
    count: 1,
    action: 'notify',
    acked_at: null,
    acked_by: null,
    ack_reason: null,
    resolved_at: null,
    merged_into: null,
    ...fields,
  };
}

function result(alerts: Alert[], fields: Partial<ReplayResult> = {}): ReplayResult {
  return { spans: 10, firstSpanEndMs: NOW, lastSpanEndMs: NOW + 60_000, alerts: toReplayAlerts(alerts), droppedAlerts: 0, maxAlerts: 100_000, detectors: {} as ReplayResult['detectors'], ...fields };
}

describe('report', () => {
  it('counts by kind and severity, lists the first 50 alerts and says how many more', () => {
    const alerts = Array.from({ length: 60 }, (_, i) => alert(i, i === 7 ? { kind: 'policy_violation', rule: 'tool_denied:ssh', severity: 'critical', action: 'would_suspend' } : {}));
    const text = formatReplayReport(result(alerts), { source: 'traces.json', policy: 'p.yaml (version abc)' });
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Replayed 10 spans from traces.json', `Span ends: ${new Date(NOW).toISOString()} to ${new Date(NOW + 60_000).toISOString()}`, 'Policy: p.yaml (version abc)']);
    expect(text).toContain('60 alerts would have fired:');
    expect(text).toMatch(/^KIND\s+INFO\s+WARNING\s+CRITICAL\s+TOTAL$/m);
    expect(text).toMatch(/^loop\s+0\s+59\s+0\s+59$/m);
    expect(text).toMatch(/^policy_violation\s+0\s+0\s+1\s+1$/m);
    expect(text).toMatch(/^FIRST SEEN\s+KIND\s+RULE\s+AGENT\s+SEVERITY\s+ACTION\s+COUNT\s+SUMMARY$/m);
    expect(text).toMatch(new RegExp(`^${new Date(NOW + 7000).toISOString()}\\s+policy_violation\\s+tool_denied:ssh\\s+agent-07\\s+critical\\s+would_suspend\\s+1\\s+agent-7 looped$`, 'm'));
    expect(text).toContain('agent-49 looped');
    expect(text).not.toContain('agent-50 looped');
    expect(text).toContain('... and 10 more (--json prints every alert)');
  });

  it('leaves out alerts folded into another, and says when none fired or some were not kept', () => {
    const folded = toReplayAlerts([alert(1), alert(2, { merged_into: 'id-1', status: 'resolved' })]);
    expect(folded.map((a) => a.agent_id)).toEqual(['agent-01']);
    const none = formatReplayReport(result([], { droppedAlerts: 3, maxAlerts: 5 }), { source: 'x', policy: 'p' });
    expect(none).toContain('No alerts would have fired.');
    expect(none).toContain('3 more alerts opened but were not kept: a replay keeps at most 5');
  });
});
