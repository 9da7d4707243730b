// permission_drift: an agent doing what it has never done. During its first learningSpans spans an
// agent's tools, data classes and targets are learned silently; after that the first use of a new
// one is reported once (new_tool:x, new_data_class:x, new_target:x) and learned. tool_mix: the
// divergence of its recent tool mix from its baseline mix above policy.drift.divergence
// (tool-mix.ts), reported when it rises above and again only after it fell back below.
//
// Only spans whose agent is named (on the span, an ancestor or the resource) teach or trigger
// anything: a service.name fallback may stand for several agents, or for an agent's early spans
// that are re-attributed later, and learning under it would make the real agent look new.
import type { AgentPolicy } from '../policy/agent-policy.ts';
import { isNamedAgent } from './agent-identity-rank.ts';
import type { Detector, ObservedSpan } from './detector.ts';
import type { DetectorLimits } from './detector-limits.ts';
import { createDriftAgent, learnedCount, learnTool, markFull, toolMixOf, type DriftAgent, type LearnedCategory } from './drift-agent.ts';
import type { Finding } from './finding.ts';
import { createLruTable, type LruTable } from './lru-table.ts';
import { makeFinding, ruleFor } from './make-finding.ts';
import { addToolCall, toolMixDivergence, topShareChanges } from './tool-mix.ts';

const TOP_CHANGES = 5;

export interface PermissionDriftDetector extends Detector {
  /** The per-agent state, for baseline snapshots. */
  readonly agents: LruTable<DriftAgent>;
  /** Keeps the global learned count right when agents are added from a snapshot. */
  noteRestored(agent: DriftAgent): void;
}

export function createPermissionDriftDetector(limits: Readonly<DetectorLimits>): PermissionDriftDetector {
  const counters = { findings: 0, learnedTotal: 0, categoriesFull: 0, agentsDroppedForLearned: 0 };
  let learnedTotal = 0;
  const agents = createLruTable<DriftAgent>({
    maxEntries: limits.maxAgents,
    idleMs: limits.agentIdleMs,
    create: createDriftAgent,
    onEvict: (agent) => {
      learnedTotal -= learnedCount(agent);
    },
  });

  function report(observed: ObservedSpan, rule: string, summary: string, evidence: Finding['evidence'], out: Finding[]): void {
    counters.findings++;
    out.push(makeFinding('permission_drift', rule, observed.span.agentId, observed, summary, evidence));
  }

  /** Learns a data class or target; after the learning period its first use is reported. */
  function firstUse(agent: DriftAgent, category: LearnedCategory, known: Set<string>, value: string, learning: boolean, observed: ObservedSpan, out: Finding[]): void {
    if (known.has(value) || agent.full?.has(category)) return;
    if (known.size >= limits.maxLearnedPerAgent) {
      markFull(agent, category);
      counters.categoriesFull++;
      return;
    }
    known.add(value);
    learnedTotal++;
    if (!learning) reportNew(agent, category, value, known.size - 1, observed, out);
  }

  function reportNew(agent: DriftAgent, category: LearnedCategory, value: string, knownBefore: number, observed: ObservedSpan, out: Finding[]): void {
    const seen = agent.spans - 1;
    const summary = `${observed.span.agentId} used ${category.replace('_', ' ')} ${value} for the first time after ${seen} spans`;
    report(observed, ruleFor(`new_${category}`, value), summary, { span_ids: [observed.span.spanId], [category]: value, known: knownBefore, spans_seen: seen }, out);
  }

  function observeTool(agent: DriftAgent, tool: string, learning: boolean, observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    let index = agent.tools.get(tool);
    if (index === undefined) {
      if (agent.full?.has('tool')) return;
      if (agent.tools.size >= limits.maxLearnedPerAgent) {
        markFull(agent, 'tool');
        counters.categoriesFull++;
        return;
      }
      index = learnTool(agent, tool);
      learnedTotal++;
      if (!learning) reportNew(agent, 'tool', tool, agent.tools.size - 1, observed, out);
    }
    const mix = toolMixOf(agent, limits.toolMixWindow);
    addToolCall(mix, index, limits.toolMixBaselineMax);
    if (learning || mix.sinceEvaluation < limits.toolMixEvaluateEvery) return;
    if (mix.windowLength < limits.toolMixMinWindow || mix.baselineTotal < limits.toolMixMinBaseline) return;
    mix.sinceEvaluation = 0;
    const divergence = toolMixDivergence(mix);
    const threshold = policy.drift.divergence;
    if (divergence <= threshold) {
      mix.firing = false;
      return;
    }
    if (mix.firing) return;
    mix.firing = true;
    const summary = `${observed.span.agentId}'s recent tool mix diverges from its usual one (Jensen-Shannon ${divergence.toFixed(3)} > ${threshold})`;
    report(
      observed,
      'tool_mix',
      summary,
      {
        // The call that completed the evaluation; the window's 200 span ids are not kept.
        span_ids: [observed.span.spanId],
        divergence,
        threshold,
        window_calls: mix.windowLength,
        baseline_calls: mix.baselineTotal,
        changes: topShareChanges(mix, [...agent.tools.keys()], TOP_CHANGES),
      },
      out,
    );
  }

  function shedAgents(): void {
    // The agent just used is the most recent, so it goes last.
    while (learnedTotal > limits.maxLearnedTotal && agents.size > 1 && agents.evictOldest()) counters.agentsDroppedForLearned++;
  }

  return {
    kind: 'permission_drift',
    agents,

    observe(observed, policy, out) {
      const span = observed.span;
      if (span.agentId === '' || !isNamedAgent(span.agentIdSource)) return;
      const agent = agents.use(span.agentId, observed.nowMs);
      const learning = agent.spans < policy.drift.learningSpans;
      agent.spans++;
      const before = learnedTotal;
      if (span.kind === 'tool' && span.toolName !== '') observeTool(agent, span.toolName, learning, observed, policy, out);
      const classes = span.dataClasses;
      for (let i = 0; i < classes.length; i++) {
        const dataClass = classes[i];
        if (dataClass !== undefined && dataClass !== '') firstUse(agent, 'data_class', agent.dataClasses, dataClass, learning, observed, out);
      }
      if (span.target !== '') firstUse(agent, 'target', agent.targets, span.target, learning, observed, out);
      if (learnedTotal > before && learnedTotal > limits.maxLearnedTotal) shedAgents();
    },

    noteRestored(agent) {
      learnedTotal += learnedCount(agent);
      shedAgents();
    },

    evictIdle(nowMs) {
      agents.evictIdle(nowMs);
    },

    stats() {
      counters.learnedTotal = learnedTotal;
      return { kind: 'permission_drift', tables: { agents: agents.stats() }, counters: { ...counters } };
    },
  };
}
