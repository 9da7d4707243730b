import { SEVERITIES } from '../alerter/alert.ts';
import { FINDING_KINDS } from '../policy/agent-policy.ts';
import type { ReplayAlert } from './replay-alert.ts';
import type { ReplayResult } from './replay-session.ts';

/** Alerts listed one per line; the rest are counted (`--json` prints them all). */
export const DEFAULT_REPORT_ALERT_LINES = 50;

export interface ReportContext {
  /** Where the spans came from: a file name, or the store and the range asked for. */
  source: string;
  /** The policy's one-line description (PolicySet.describe()). */
  policy: string;
  alertLines?: number;
}

/** The summary `warden replay` prints on stdout: totals by kind and severity, then the alerts. */
export function formatReplayReport(result: ReplayResult, context: ReportContext): string {
  const lines: string[] = [];
  lines.push(`Replayed ${result.spans} spans from ${context.source}`);
  if (result.spans > 0) lines.push(`Span ends: ${iso(result.firstSpanEndMs)} to ${iso(result.lastSpanEndMs)}`);
  lines.push(`Policy: ${context.policy}`);
  lines.push('');
  const { alerts } = result;
  if (alerts.length === 0) {
    lines.push('No alerts would have fired.');
  } else {
    lines.push(`${alerts.length} ${alerts.length === 1 ? 'alert' : 'alerts'} would have fired:`, '');
    lines.push(...table(['KIND', ...SEVERITIES.map((s) => s.toUpperCase()), 'TOTAL'], bySeverity(alerts), 1));
    lines.push('');
    const limit = context.alertLines ?? DEFAULT_REPORT_ALERT_LINES;
    const rows = alerts.slice(0, limit).map((a) => [a.first_seen, a.kind, a.rule, a.agent_id, a.severity, a.action, String(a.count), a.summary]);
    lines.push(...table(['FIRST SEEN', 'KIND', 'RULE', 'AGENT', 'SEVERITY', 'ACTION', 'COUNT', 'SUMMARY'], rows, 6, 7));
    if (alerts.length > limit) lines.push(`... and ${alerts.length - limit} more (--json prints every alert)`);
  }
  if (result.droppedAlerts > 0) lines.push(`${result.droppedAlerts} more alerts opened but were not kept: a replay keeps at most ${result.maxAlerts}`);
  return `${lines.join('\n')}\n`;
}

function bySeverity(alerts: readonly ReplayAlert[]): string[][] {
  const rows: string[][] = [];
  for (const kind of FINDING_KINDS) {
    const ofKind = alerts.filter((alert) => alert.kind === kind);
    if (ofKind.length === 0) continue;
    const counts = SEVERITIES.map((severity) => String(ofKind.filter((alert) => alert.severity === severity).length));
    rows.push([kind, ...counts, String(ofKind.length)]);
  }
  return rows;
}

/**
 * Columns padded to their widest cell; columns from `firstNumeric` on are right-aligned,
 * except the last column from `unpaddedFrom` (free text, left as it is).
 */
function table(headers: string[], rows: string[][], firstNumeric: number, unpaddedFrom = headers.length): string[] {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        if (i >= unpaddedFrom) return cell;
        const width = widths[i] ?? 0;
        return i >= firstNumeric ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [render(headers), ...rows.map(render)];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
