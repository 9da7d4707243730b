// Rough numbers for the README and the later targets (RSS < 1 GB with 100k agents; decode + map +
// detect >= 200k spans/s on one core). Printed, not asserted tightly: they depend on the machine.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { BaselineSnapshot } from '../../../src/detector/baseline-snapshot.ts';
import { createDetectorSet } from '../../../src/detector/create-detector-set.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import { agentSpan, defaultPolicy, T0_MS } from './detector-fixtures.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  // Typed arrays over 64 bytes live outside the V8 heap.
  return usage.heapUsed + usage.arrayBuffers;
}

const TOOLS = ['search', 'open', 'summarize', 'ticket-create', 'ticket-update', 'customer-lookup', 'send-email', 'refund', 'escalate', 'close'];

const busyPolicy = defaultPolicy({
  tools: { allow: TOOLS, deny: ['code-execute'] },
  budget: { usdPerHour: 1000, usdPerDay: 10_000, tokensPerSession: 10_000_000 },
  limits: { actionsPerMinute: 10_000, writesPerHour: 100_000 },
});

function snapshot(agentId: string): BaselineSnapshot {
  return {
    version: 1,
    agentId,
    lastSeenMs: T0_MS,
    spend: { usdPerMinute: Array.from({ length: 60 }, (_, i) => 0.05 + i / 1000), tokensPerMinute: Array.from({ length: 60 }, (_, i) => 10_000 + i), llmUsage: true },
    drift: { spans: 5000, tools: TOOLS, toolCounts: TOOLS.map(() => 500), dataClasses: ['customer_name', 'email', 'order'], targets: ['crm.internal', 'tickets.internal'], full: [] },
  };
}

/** Traffic of `agents` agents round robin, `count` spans: LLM, tool, LLM, tool (write), other. */
function syntheticSpans(count: number, agents: number): AgentSpan[] {
  const spans: AgentSpan[] = [];
  for (let i = 0; i < count; i++) {
    const agent = i % agents;
    const turn = Math.floor(i / agents);
    const base = { agentId: `agent-${agent}`, sessionId: `session-${agent}-${Math.floor(turn / 40)}`, traceId: `trace-${agent}-${Math.floor(turn / 8)}`, atMs: T0_MS + 1000 + i * 5 };
    const step = turn % 5;
    if (step === 0 || step === 2) spans.push(agentSpan({ ...base, kind: 'llm', inputTokens: 800, outputTokens: 200, costUsd: 0.004 }));
    else if (step === 4) spans.push(agentSpan({ ...base, kind: 'other' }));
    else {
      spans.push(
        agentSpan({
          ...base,
          kind: 'tool',
          toolName: TOOLS[turn % TOOLS.length] ?? '',
          toolArgsHash: `h${turn}`,
          dataClasses: ['customer_name'],
          target: 'crm.internal',
          dataAccess: step === 3 ? 'write' : 'read',
        }),
      );
    }
  }
  return spans;
}

describe('detector capacity (printed)', () => {
  it('memory per agent with full baselines and every window in use', () => {
    const agents = 100_000;
    const before = heapAfterGc();
    const set = createDetectorSet({ policyFor: () => busyPolicy });
    const report = set.importBaselines(Array.from({ length: agents }, (_, i) => snapshot(`agent-${i}`)));
    expect(report.imported).toBe(agents);
    // Five spans per agent: spend minute, budget windows, tool-mix window, a loop session, a trace.
    const spans = syntheticSpans(agents * 5, agents);
    for (let i = 0; i < spans.length; i += 100) set.observe(spans.slice(i, i + 100));
    spans.length = 0;
    const after = heapAfterGc();
    const perAgent = (after - before) / agents;
    console.log(`detector state: ${Math.round(perAgent)} bytes per agent, ${Math.round((after - before) / 2 ** 20)} MiB for ${agents} agents`);
    const tables = set.stats().detectors.map((d) => `${d.kind}: ${Object.entries(d.tables).map(([name, t]) => `${name}=${t.size}`).join(' ')}`);
    console.log(tables.join('; '));
    expect(perAgent).toBeLessThan(10_000);
  }, 120_000);

  it('throughput through createDetectorSet', () => {
    const set = createDetectorSet({ policyFor: () => busyPolicy });
    const spans = syntheticSpans(300_000, 2_000);
    let rate = 0;
    for (let round = 0; round < 3; round++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < spans.length; i += 50) set.observe(spans.slice(i, i + 50));
      rate = spans.length / (Number(process.hrtime.bigint() - started) / 1e9);
    }
    console.log(`detectors: ${Math.round(rate)} spans/s on one core (2 000 agents, requests of 50 spans, warm)`);
    expect(rate).toBeGreaterThan(0);
  }, 120_000);
});
