// The numbers of a run, per anomaly type and per finding kind. Alerts are counted after the
// alerter's dedup (one per fingerprint while open): an alert is true when one of its findings
// matched an anomaly, collateral when none did but an anomaly caused one (finding-match.ts),
// false otherwise.
import { ANOMALY_TYPES, FORBIDDEN_ON, KIND_OF, type EvalLabel, type HardNegativeType } from './eval-labels.ts';
import { SCORED_KINDS, type Detection, type EvalResult, type HardNegativeResult, type KindResult, type Spread, type TypeResult } from './eval-result.ts';
import type { EvalRun } from './eval-runner.ts';
import { checkTargets } from './eval-targets.ts';
import type { FindingRecord } from './finding-match.ts';

type AlertVerdict = 'true' | 'collateral' | 'false';

const FALSE_ALERTS_LISTED = 50;

function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median: round(median), max: round(sorted[sorted.length - 1]!) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function summarize(run: EvalRun, options: { seed: number; agents: number; hours: number; normalSpans: number }): EvalResult {
  const { generator, findings, alerts } = run;
  const anomalies = generator.labels.filter((label) => !label.hardNegative);
  const first = new Map<EvalLabel, FindingRecord>();
  for (const record of findings) if (record.matched !== null && !first.has(record.matched)) first.set(record.matched, record);

  const verdicts: AlertVerdict[] = alerts.map((alert) => {
    const judged = alert.findings.map((i) => findings[i]!.verdict);
    return judged.includes('matched') ? 'true' : judged.includes('collateral') ? 'collateral' : 'false';
  });
  const perMillion = (count: number): number => round((count / Math.max(1, run.normalSpans)) * 1e6);

  const detections: Detection[] = [];
  const types: TypeResult[] = ANOMALY_TYPES.map((type) => {
    const labels = anomalies.filter((label) => label.type === type);
    const seconds: number[] = [];
    const spans: number[] = [];
    const keys: number[] = [];
    const rules: Record<string, number> = {};
    const missed: TypeResult['missed'] = [];
    for (const label of labels) {
      const record = first.get(label);
      const detection: Detection = { label: label.id, type, agent: label.agentId, onset: new Date(label.onsetMs).toISOString(), detail: label.detail, rule: null, seconds: null, spans: null, keySpans: null };
      detections.push(detection);
      if (record === undefined) {
        missed.push({ label: label.id, agent: label.agentId });
        continue;
      }
      const at = record.candidates.find((candidate) => candidate.label === label);
      detection.rule = record.finding.rule;
      detection.seconds = round((record.finding.observedAtMs - Math.floor(label.onsetMs)) / 1000);
      detection.spans = at?.spans ?? 0;
      detection.keySpans = at?.keySpans ?? 0;
      seconds.push(detection.seconds);
      spans.push(detection.spans);
      keys.push(detection.keySpans);
      rules[record.finding.rule] = (rules[record.finding.rule] ?? 0) + 1;
    }
    const detected = labels.length - missed.length;
    return { type, kind: KIND_OF[type], injected: labels.length, detected, recall: labels.length === 0 ? 1 : round(detected / labels.length), seconds: spread(seconds), spans: spread(spans), keySpans: spread(keys), rules, missed };
  });

  const kinds: KindResult[] = SCORED_KINDS.map((kind) => {
    const ofKind = types.filter((type) => type.kind === kind);
    const injected = ofKind.reduce((sum, type) => sum + type.injected, 0);
    const detected = ofKind.reduce((sum, type) => sum + type.detected, 0);
    const kindAlerts = alerts.map((alert, i) => ({ alert, verdict: verdicts[i]! })).filter(({ alert }) => alert.kind === kind);
    const count = (verdict: AlertVerdict): number => kindAlerts.filter((entry) => entry.verdict === verdict).length;
    const trueAlerts = count('true');
    const falseAlerts = count('false');
    return {
      kind,
      injected,
      detected,
      recall: injected === 0 ? 1 : round(detected / injected),
      findings: findings.filter((record) => record.finding.kind === kind).length,
      alerts: kindAlerts.length,
      trueAlerts,
      collateralAlerts: count('collateral'),
      falseAlerts,
      criticalFalseAlerts: kindAlerts.filter((entry) => entry.verdict === 'false' && entry.alert.severity === 'critical').length,
      precision: trueAlerts + falseAlerts === 0 ? null : round(trueAlerts / (trueAlerts + falseAlerts)),
      falsePerMillion: perMillion(falseAlerts),
    };
  });

  const hardNegatives: HardNegativeResult[] = (Object.keys(FORBIDDEN_ON) as HardNegativeType[]).map((type) => {
    const labels = generator.labels.filter((label) => label.type === type);
    const broken = new Set<number>();
    for (const record of findings) if (record.hardNegative !== null && record.hardNegative.type === type && record.alertIndex >= 0) broken.add(record.alertIndex);
    return { type, count: labels.length, spans: labels.reduce((sum, label) => sum + (run.progress.get(label.id)?.spans ?? 0), 0), violations: broken.size };
  });

  const falseIndexes = alerts.map((_, i) => i).filter((i) => verdicts[i] === 'false');
  const falseAlerts = falseIndexes.length;
  const criticalFalseAlerts = falseIndexes.filter((i) => alerts[i]!.severity === 'critical').length;
  const totals = {
    alerts: alerts.length,
    trueAlerts: verdicts.filter((verdict) => verdict === 'true').length,
    collateralAlerts: verdicts.filter((verdict) => verdict === 'collateral').length,
    falseAlerts,
    criticalFalseAlerts,
    falsePerMillion: perMillion(falseAlerts),
  };

  const tables: Record<string, number> = {};
  for (const detector of run.detectorStats.detectors) for (const [name, table] of Object.entries(detector.tables)) tables[`${detector.kind}.${name}`] = table.size;

  return {
    seed: options.seed,
    agents: options.agents,
    hours: options.hours,
    requestedNormalSpans: options.normalSpans,
    normalSpans: run.normalSpans,
    anomalySpans: run.anomalySpans,
    simulatedHours: round((run.detectorStats.clockMs - generator.run.startMs) / 3_600_000),
    elapsedSeconds: round(run.elapsedMs / 1000),
    detectorSeconds: round(run.detectMs / 1000),
    spansPerSecond: Math.round((run.normalSpans + run.anomalySpans) / (run.elapsedMs / 1000)),
    kinds,
    types,
    hardNegatives,
    totals,
    targets: checkTargets(types, kinds, totals),
    skipped: { ...generator.skipped },
    // Up to FALSE_ALERTS_LISTED per kind, so a rare kind is not hidden behind a frequent one.
    falseAlerts: SCORED_KINDS.flatMap((kind) => falseIndexes.filter((i) => alerts[i]!.kind === kind).slice(0, FALSE_ALERTS_LISTED)).map((i) => {
      const alert = alerts[i]!;
      const record = findings[alert.findings[0]!]!;
      return { kind: alert.kind, rule: alert.rule, agent: alert.agentId, severity: alert.severity, at: new Date(record.finding.observedAtMs).toISOString(), summary: record.finding.summary };
    }),
    detections,
    detector: { spans: run.detectorStats.spans, findings: run.detectorStats.findings, errors: run.detectorErrors, tables },
  };
}
