// The run's result as plain-text tables for stdout.
import type { EvalResult, Spread } from './eval-result.ts';

function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const spread = (value: Spread | null): string => (value === null ? '-' : `${value.median} / ${value.max}`);
const ratio = (value: number | null): string => (value === null ? '-' : value.toFixed(3));

export function formatReport(result: EvalResult): string {
  const out: string[] = [];
  out.push(
    `Warden detector evaluation: seed ${result.seed}, ${result.agents} agents, ${result.normalSpans} normal + ${result.anomalySpans} anomalous spans over ${result.simulatedHours} simulated hours`,
    `${result.elapsedSeconds} s wall clock (${result.detectorSeconds} s in detectors), ${result.spansPerSecond} spans/s`,
    '',
    'Injected anomalies (time to detection from onset to the first matching finding; spans = the anomaly\'s spans seen by then; key = its key spans, e.g. the repeated call)',
    table(
      ['type', 'kind', 'injected', 'caught', 'recall', 'seconds med/max', 'spans med/max', 'key med/max', 'first rule'],
      result.types.map((type) => [
        type.type,
        type.kind,
        String(type.injected),
        String(type.detected),
        ratio(type.recall),
        spread(type.seconds),
        spread(type.spans),
        spread(type.keySpans),
        Object.keys(type.rules)
          .map((rule) => rule.split(':')[0])
          .filter((rule, i, all) => all.indexOf(rule) === i)
          .join(','),
      ]),
    ),
    '',
    'Per kind (alerts after dedup by fingerprint; false = no anomaly explains it; per million normal spans)',
    table(
      ['kind', 'injected', 'caught', 'recall', 'findings', 'alerts', 'true', 'collateral', 'false', 'critical false', 'precision', 'false/M'],
      result.kinds.map((kind) => [
        kind.kind,
        String(kind.injected),
        String(kind.detected),
        ratio(kind.recall),
        String(kind.findings),
        String(kind.alerts),
        String(kind.trueAlerts),
        String(kind.collateralAlerts),
        String(kind.falseAlerts),
        String(kind.criticalFalseAlerts),
        ratio(kind.precision),
        kind.falsePerMillion.toFixed(1),
      ]),
    ),
    `all: ${result.totals.alerts} alerts, ${result.totals.trueAlerts} true, ${result.totals.collateralAlerts} collateral, ${result.totals.falseAlerts} false (${result.totals.criticalFalseAlerts} critical), ${result.totals.falsePerMillion.toFixed(1)} false per million normal spans`,
    '',
    'Hard negatives (alerts of a kind forbidden on them)',
    table(
      ['type', 'count', 'spans', 'alerts'],
      result.hardNegatives.map((negative) => [negative.type, String(negative.count), String(negative.spans), String(negative.violations)]),
    ),
    '',
  );
  const skipped = Object.entries(result.skipped);
  if (skipped.length > 0) out.push(`skipped (no qualifying agent before the run ended): ${skipped.map(([type, count]) => `${type} ${count}`).join(', ')}`, '');
  out.push('Targets');
  for (const target of result.targets) out.push(`  ${target.met ? 'PASS' : 'FAIL'}  ${target.name}: ${target.detail}`);
  return out.join('\n');
}
