import { describe, expect, it } from 'vitest';
import { createDetectorSet, type DetectorSet } from '../../../src/detector/create-detector-set.ts';
import type { DetectorLimits } from '../../../src/detector/detector-limits.ts';
import type { Finding } from '../../../src/detector/finding.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import type { AgentPolicy } from '../../../src/policy/agent-policy.ts';
import { defaultPolicy, llmSpan, T0_MS, toolSpan } from './detector-fixtures.ts';

const learnFast = defaultPolicy({ drift: { learningSpans: 20, divergence: 0.3 } });

function driftSet(policy: AgentPolicy = learnFast, limits: Partial<DetectorLimits> = {}): { set: DetectorSet; feed: (spans: AgentSpan[]) => Finding[] } {
  const set = createDetectorSet({ policyFor: () => policy, limits });
  return { set, feed: (spans) => set.observe(spans).filter((f) => f.kind === 'permission_drift') };
}

/** Tool calls cycling through `tools`, with distinct arguments (no loops), i ms apart. */
function calls(tools: string[], count: number, startMs = T0_MS, fields: Partial<AgentSpan> = {}): AgentSpan[] {
  return Array.from({ length: count }, (_, i) => toolSpan(tools[i % tools.length] ?? '', `args-${startMs}-${i}`, { atMs: startMs + i, sessionId: `s-${startMs}-${Math.floor(i / 20)}`, ...fields }));
}

describe('permission_drift: first use', () => {
  it('learns silently during the learning period; a tool first used there is not new', () => {
    const { feed } = driftSet();
    // span 20 (the last learning span) uses a tool for the first time.
    expect(feed([...calls(['search', 'open'], 19), toolSpan('late-learned', 'x', { atMs: T0_MS + 100 })])).toEqual([]);
    expect(feed(calls(['search', 'open', 'late-learned'], 30, T0_MS + 1000))).toEqual([]);
  });

  it('reports the first use of a new tool, data class and target after learning, once each', () => {
    const { feed } = driftSet();
    feed(calls(['search', 'open'], 20, T0_MS, { dataClasses: ['customer_name'], target: 'crm.internal' }));
    const span = toolSpan('ssh', 'x', { atMs: T0_MS + 100, dataClasses: ['customer_name', 'ssn'], target: 'prod-db' });
    const findings = feed([span]);
    expect(findings.map((f) => f.rule)).toEqual(['new_tool:ssh', 'new_data_class:ssn', 'new_target:prod-db']);
    expect(findings[0]).toMatchObject({ agentId: 'a1', evidence: { span_ids: [span.spanId], tool: 'ssh', known: 2, spans_seen: 20 } });
    expect(findings[1]?.evidence).toMatchObject({ data_class: 'ssn', known: 1 });
    // Learned now.
    expect(feed([toolSpan('ssh', 'y', { atMs: T0_MS + 200, dataClasses: ['ssn'], target: 'prod-db' })])).toEqual([]);
  });

  it('neither learns nor reports spans whose agent is only the service name', () => {
    const { feed, set } = driftSet();
    feed(calls(['search'], 50, T0_MS, { agentIdSource: 'service', agentId: 'svc' }));
    expect(set.stats().detectors.find((d) => d.kind === 'permission_drift')?.tables['agents']?.size).toBe(0);
    feed(calls(['search'], 20, T0_MS + 1000));
    // The named agent's own learning period was not shortened by the service's spans.
    expect(feed([toolSpan('ssh', 'x', { atMs: T0_MS + 5000 })]).map((f) => f.rule)).toEqual(['new_tool:ssh']);
  });

  it('stops learning at the per-agent cap and says so in stats', () => {
    const { feed, set } = driftSet(defaultPolicy({ drift: { learningSpans: 5, divergence: 0.3 } }), { maxLearnedPerAgent: 10 });
    const tools = Array.from({ length: 30 }, (_, i) => `tool-${i}`);
    const findings = feed(calls(tools, 30));
    // Tools 5..9 are new after learning; 10.. are past the cap: neither learned nor reported.
    expect(findings.map((f) => f.rule)).toEqual(['new_tool:tool-5', 'new_tool:tool-6', 'new_tool:tool-7', 'new_tool:tool-8', 'new_tool:tool-9']);
    expect(set.stats().detectors.find((d) => d.kind === 'permission_drift')?.counters['categoriesFull']).toBe(1);
    expect(set.exportBaselines()[0]?.drift?.full).toEqual(['tool']);
  });
});

describe('permission_drift: tool mix', () => {
  it('reports when the recent mix diverges from the baseline, with the top changes', () => {
    const { feed } = driftSet(defaultPolicy({ drift: { learningSpans: 100, divergence: 0.3 } }));
    // 600 calls spread over search/open/summarize, and one delete-record while learning.
    expect(feed([toolSpan('delete-record', 'once', { atMs: T0_MS - 1 }), ...calls(['search', 'open', 'summarize'], 600)])).toEqual([]);
    // Now mostly delete-record: a known tool, so the mix is all that changed.
    const shifted = calls(['delete-record', 'delete-record', 'delete-record', 'search'], 200, T0_MS + 10_000);
    const findings = feed(shifted);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.rule).toBe('tool_mix');
    expect(finding?.evidence['divergence']).toBeGreaterThan(0.3);
    const changes = finding?.evidence['changes'] as Array<{ tool: string; baseline_share: number; recent_share: number }>;
    expect(changes[0]?.tool).toBe('delete-record');
    expect(changes[0]!.recent_share).toBeGreaterThan(changes[0]!.baseline_share);
  });

  it('does not fire for a stable mix (hard negative), nor before the minimum counts', () => {
    const { feed } = driftSet(defaultPolicy({ drift: { learningSpans: 100, divergence: 0.3 } }));
    // Same three tools in shuffled order for 5000 calls.
    let seed = 42;
    const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const tools = ['search', 'open', 'summarize'];
    const spans = Array.from({ length: 5000 }, (_, i) => toolSpan(tools[Math.floor(random() * 3)] ?? '', `a${i}`, { atMs: T0_MS + i, sessionId: `s${Math.floor(i / 20)}` }));
    expect(feed(spans)).toEqual([]);
  });
});
