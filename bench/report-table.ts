import { targetMet, type Figure } from './figure.ts';

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function targetText(figure: Figure): string {
  if (figure.target === undefined) return '';
  const subject = figure.target.on === 'ratio' ? 'ratio' : figure.unit;
  return `${figure.target.op} ${figure.target.value} ${subject}`;
}

/** The figures as a fixed-width table, then how each was measured. */
export function renderReport(figures: readonly Figure[]): string {
  const rows = figures.map((figure, i) => {
    const met = targetMet(figure);
    return [
      `${i + 1}`,
      figure.label,
      formatNumber(figure.value),
      figure.unit,
      figure.ratio ? `${figure.ratio.value.toFixed(2)} of ${figure.ratio.of}` : '',
      targetText(figure),
      met === undefined ? '' : met ? 'ok' : 'MISSED',
    ];
  });
  const header = ['#', 'figure', 'value', 'unit', 'ratio to limit', 'target', 'status'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '', 'How each figure was measured:'];
  figures.forEach((figure, i) => out.push(`  ${i + 1}. ${figure.method}`));
  return `${out.join('\n')}\n`;
}
