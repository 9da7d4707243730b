// One evaluation run: the generated fleet streamed through the detector set and the alerter as
// the detection stage wires them, on the span clock (no waiting). Each span is observed on its
// own (the detectors judge spans one at a time within a request anyway), so every finding is tied
// to the span that triggered it and to how far each anomaly had got at that moment. Detector idle eviction runs every simulated minute and
// the alerter's tick every simulated 10 seconds, as their timers would live.
import pino from 'pino';
import { alertFingerprint } from '../alerter/alert-identity.ts';
import { createAlerter } from '../alerter/create-alerter.ts';
import type { AgentSpan } from '../normalizer/agent-span.ts';
import { createDetectorSet, type DetectorSetStats } from '../detector/create-detector-set.ts';
import { resolveDetectorLimits, type DetectorLimits } from '../detector/detector-limits.ts';
import { createAlertCapture, createDiscardingAlertStore, type CapturedAlert } from './alert-capture.ts';
import type { EvalLabel } from './eval-labels.ts';
import { judgeFinding, type FindingRecord } from './finding-match.ts';
import { createFleetGenerator, spanEndMs, type FleetGenerator, type FleetOptions } from './fleet-generator.ts';

export interface EvalOptions extends FleetOptions {
  /** Detector limits other than the defaults (what-if runs). */
  limits?: Partial<DetectorLimits>;
  /** Called every PROGRESS_EVERY spans. */
  onProgress?: (spans: number) => void;
}

export interface LabelProgress {
  spans: number;
  keySpans: number;
}

export interface EvalRun {
  generator: FleetGenerator;
  findings: FindingRecord[];
  alerts: CapturedAlert[];
  /** Spans of plain traffic and of hard negatives. */
  normalSpans: number;
  anomalySpans: number;
  /** Spans and key spans emitted per label id, at the end. */
  progress: Map<number, LabelProgress>;
  elapsedMs: number;
  /** Time inside DetectorSet.observe. */
  detectMs: number;
  detectorStats: DetectorSetStats;
  detectorErrors: number;
}

const TICK_MS = 10_000;
const EVICT_MS = 60_000;
export const PROGRESS_EVERY = 100_000;

export function runEvaluation(options: EvalOptions): EvalRun {
  const started = performance.now();
  const generator = createFleetGenerator(options);
  const policyFor = (agentId: string) => generator.policy.policySet.forAgent(agentId);
  let detectorErrors = 0;
  const detectors = createDetectorSet({ policyFor, limits: options.limits ?? {}, onError: () => detectorErrors++ });
  const capture = createAlertCapture();
  let clockMs = 0;
  const alerter = createAlerter({ policyFor, store: createDiscardingAlertStore(), sinks: [capture.sink], clock: () => clockMs, logger: pino({ level: 'silent' }) });

  const findings: FindingRecord[] = [];
  const progress = new Map<number, LabelProgress>();
  const keySpanIds = new Set<string>();
  const keysSeen = new Map<number, number>();
  const byAgent = new Map<string, EvalLabel[]>();
  const bySession = new Map<string, EvalLabel[]>();
  const byTrace = new Map<string, EvalLabel[]>();
  const index = (map: Map<string, EvalLabel[]>, key: string, label: EvalLabel): void => {
    if (key === '') return;
    const list = map.get(key);
    if (list === undefined) map.set(key, [label]);
    else list.push(label);
  };

  function noteLabel(label: EvalLabel, span: AgentSpan): void {
    let labelProgress = progress.get(label.id);
    if (labelProgress === undefined) {
      labelProgress = { spans: 0, keySpans: 0 };
      progress.set(label.id, labelProgress);
      index(byAgent, label.agentId, label);
      index(bySession, label.sessionId, label);
      index(byTrace, label.traceId, label);
    }
    // Key span ids can grow while a label runs (a shifted tool mix spans many sessions).
    const seen = keysSeen.get(label.id) ?? 0;
    for (let i = seen; i < label.keySpanIds.length; i++) keySpanIds.add(label.keySpanIds[i]!);
    keysSeen.set(label.id, label.keySpanIds.length);
    labelProgress.spans++;
    if (keySpanIds.has(span.spanId)) labelProgress.keySpans++;
  }

  function candidatesOf(agentId: string, sessionId: string, traceId: string): FindingRecord['candidates'] {
    const seen = new Set<EvalLabel>();
    for (const list of [byAgent.get(agentId), bySession.get(sessionId), byTrace.get(traceId)]) for (const label of list ?? []) seen.add(label);
    return [...seen].map((label) => ({ label, ...(progress.get(label.id) ?? { spans: 0, keySpans: 0 }) }));
  }

  // Agents whose detector state holds tool calls of an injected anomaly, until they idle out.
  const idleMs = resolveDetectorLimits(options.limits).agentIdleMs;
  const lastSpanMs = new Map<string, number>();
  const tainted = new Set<string>();
  function noteTaint(span: AgentSpan, label: EvalLabel | null, endMs: number): void {
    // Past the idle limit the detectors may have forgotten the agent: assume they did (a finding
    // is then judged false, never excused).
    if (endMs - (lastSpanMs.get(span.agentId) ?? endMs) > idleMs) tainted.delete(span.agentId);
    lastSpanMs.set(span.agentId, endMs);
    if (label !== null && !label.hardNegative && span.kind === 'tool') tainted.add(span.agentId);
  }

  const one: AgentSpan[] = [];
  let normalSpans = 0;
  let anomalySpans = 0;
  let detectMs = 0;
  let nextTickMs = 0;
  let nextEvictMs = 0;
  let count = 0;
  for (let generated = generator.next(); generated !== null; generated = generator.next()) {
    const { span, label } = generated;
    const endMs = spanEndMs(span);
    clockMs = Math.max(clockMs, endMs);
    noteTaint(span, label, endMs);
    if (nextTickMs === 0) nextTickMs = nextEvictMs = clockMs;
    if (label !== null) noteLabel(label, span);
    if (label === null || label.hardNegative) normalSpans++;
    else anomalySpans++;

    one[0] = span;
    const before = performance.now();
    const found = detectors.observe(one);
    detectMs += performance.now() - before;
    if (found.length > 0) {
      alerter.consume(found);
      for (const finding of found) {
        const alert = capture.openAlert(alertFingerprint(finding.kind, finding.agentId, finding.rule));
        alert?.findings.push(findings.length);
        findings.push({
          finding,
          trigger: label,
          candidates: candidatesOf(finding.agentId, finding.sessionId, finding.traceId),
          alertIndex: alert?.index ?? -1,
          tainted: tainted.has(finding.agentId),
          verdict: 'false',
          matched: null,
          hardNegative: null,
        });
      }
    }
    if (clockMs >= nextTickMs) {
      alerter.tick(clockMs);
      nextTickMs = clockMs + TICK_MS;
    }
    if (clockMs >= nextEvictMs) {
      detectors.evictIdle(clockMs);
      nextEvictMs = clockMs + EVICT_MS;
    }
    if (++count % PROGRESS_EVERY === 0) options.onProgress?.(count);
  }
  alerter.tick(clockMs);
  for (const record of findings) judgeFinding(record);
  return {
    generator,
    findings,
    alerts: capture.alerts,
    normalSpans,
    anomalySpans,
    progress,
    elapsedMs: performance.now() - started,
    detectMs,
    detectorStats: detectors.stats(),
    detectorErrors,
  };
}
