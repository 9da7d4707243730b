// Every bound on detector memory and every tuning constant that is not policy, in one place with
// its default and unit. Policy (src/policy/agent-policy.ts) says what is normal for an agent; these
// say how much Warden remembers to find out.

export interface DetectorLimits {
  /** Agents whose state each per-agent detector keeps; the least recently active goes first. Default 100 000. */
  maxAgents: number;
  /** An agent with no span for this long is forgotten (spend history, drift sets, budget windows). ms; default 1 h. */
  agentIdleMs: number;
  /** Sessions (or traces without a session) a session-keyed detector keeps. Default 200 000. */
  maxSessions: number;
  /** ms; default 30 min. */
  sessionIdleMs: number;
  /** Traces with agent spans kept for delegation chains. Default 100 000. */
  maxTraces: number;
  /** ms; default 10 min. */
  traceIdleMs: number;
  /** Distinct tool + argument-hash pairs counted per session; beyond it the oldest pair is dropped. Default 256. */
  maxCallsPerSession: number;
  /** Distinct tool + argument-hash pairs over all sessions; beyond it whole sessions are
   *  evicted, least recently active first. Default 1 000 000 (about 150 MB). */
  maxCallsTotal: number;
  /** Span ids a finding's evidence carries at most (the most recent ones), and tool calls per
   *  session whose span ids are remembered for it (8 bytes each). Default 32: a period-8 cycle
   *  repeated 3 times, or 5 identical calls among the session's last 32 calls. */
  maxEvidenceSpanIds: number;
  /** Agents in one trace's delegation graph; later agents are not followed. Default 32 (bit masks). */
  maxAgentsPerTrace: number;
  /** Agent spans per trace remembered to connect a child agent to its parent agent span. Default 64. */
  maxAgentSpansPerTrace: number;
  /** Active minutes (minutes with LLM usage) in an agent's spend baseline. Default 60. */
  spendHistoryMinutes: number;
  /** One minute's spend scale is at least this fraction of the baseline median, so a perfectly
   *  steady agent has a scale at all. Default 0.25. The rule judges a two-minute rate, whose scale
   *  has its own, higher floor (spend-window.ts: with sensitivity 4, four times the usual rate). */
  spendMinRelativeScale: number;
  /** Tools, data classes and targets learned per agent, each. Default 1 000. */
  maxLearnedPerAgent: number;
  /** Learned tools + data classes + targets over all agents; beyond it whole agents are evicted,
   *  least recently active first. Default 2 000 000 (about 150 MB). */
  maxLearnedTotal: number;
  /** Recent tool calls compared with the agent's baseline tool mix. Default 200. */
  toolMixWindow: number;
  /** Calls in the recent window before the mix is compared. Default 50. */
  toolMixMinWindow: number;
  /** Calls in the baseline (older than the window) before the mix is compared. Default 200. */
  toolMixMinBaseline: number;
  /** The divergence is computed every this many tool calls of an agent. Default 25. */
  toolMixEvaluateEvery: number;
  /** Baseline tool counts are halved when their total passes this, so old habits fade. Default 10 000. */
  toolMixBaselineMax: number;
}

export const DEFAULT_DETECTOR_LIMITS: Readonly<DetectorLimits> = Object.freeze({
  maxAgents: 100_000,
  agentIdleMs: 60 * 60_000,
  maxSessions: 200_000,
  sessionIdleMs: 30 * 60_000,
  maxTraces: 100_000,
  traceIdleMs: 10 * 60_000,
  maxCallsPerSession: 256,
  maxCallsTotal: 1_000_000,
  maxEvidenceSpanIds: 32,
  maxAgentsPerTrace: 32,
  maxAgentSpansPerTrace: 64,
  spendHistoryMinutes: 60,
  spendMinRelativeScale: 0.25,
  maxLearnedPerAgent: 1_000,
  maxLearnedTotal: 2_000_000,
  toolMixWindow: 200,
  toolMixMinWindow: 50,
  toolMixMinBaseline: 200,
  toolMixEvaluateEvery: 25,
  toolMixBaselineMax: 10_000,
});

const FRACTIONS: ReadonlySet<keyof DetectorLimits> = new Set(['spendMinRelativeScale']);

/**
 * Defaults overlaid with the given values, checked once. A bad limit is a programming error in
 * the wiring, not bad input from a user, so it throws.
 */
export function resolveDetectorLimits(overrides: Partial<DetectorLimits> = {}): Readonly<DetectorLimits> {
  const limits: DetectorLimits = { ...DEFAULT_DETECTOR_LIMITS };
  for (const key of Object.keys(DEFAULT_DETECTOR_LIMITS) as Array<keyof DetectorLimits>) {
    const value = overrides[key];
    if (value === undefined) continue;
    const valid = FRACTIONS.has(key) ? Number.isFinite(value) && value >= 0 : Number.isInteger(value) && value >= 1;
    if (!valid) throw new RangeError(`detector limit ${key} must be ${FRACTIONS.has(key) ? 'a number >= 0' : 'a positive integer'}, got ${value}`);
    limits[key] = value;
  }
  // The tool mix keeps tool indices and counts in 16 bits.
  if (limits.toolMixWindow > 60_000) throw new RangeError(`detector limit toolMixWindow is at most 60000, got ${limits.toolMixWindow}`);
  if (limits.toolMixBaselineMax > 60_000) throw new RangeError(`detector limit toolMixBaselineMax is at most 60000, got ${limits.toolMixBaselineMax}`);
  if (limits.maxLearnedPerAgent > 65_535) throw new RangeError(`detector limit maxLearnedPerAgent is at most 65535, got ${limits.maxLearnedPerAgent}`);
  // Tracked calls' ids wrap at 65536 (loop-session.ts): far more calls than a session keeps.
  if (limits.maxCallsPerSession > 4096) throw new RangeError(`detector limit maxCallsPerSession is at most 4096, got ${limits.maxCallsPerSession}`);
  if (limits.maxAgentsPerTrace > 32) throw new RangeError(`detector limit maxAgentsPerTrace is at most 32, got ${limits.maxAgentsPerTrace}`);
  if (limits.toolMixMinWindow > limits.toolMixWindow) {
    throw new RangeError(`detector limit toolMixMinWindow (${limits.toolMixMinWindow}) exceeds toolMixWindow (${limits.toolMixWindow})`);
  }
  return Object.freeze(limits);
}
