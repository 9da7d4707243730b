// Terminal output of the demo: plain text, a little ANSI colour only when stdout is a terminal
// (a pipe or a test reading the output gets the same words without escape codes).

const useColour = process.stdout.isTTY === true && !process.env['NO_COLOR'];

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(colour: Colour, text: string): string {
  return useColour ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

const started = Date.now();

/** One event line: seconds since the demo started, a fixed-width tag, the message. */
export function say(tag: string, colour: Colour, message: string): void {
  const elapsed = `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  process.stdout.write(`${paint('dim', elapsed)}  ${paint(colour, tag.padEnd(9))} ${message}\n`);
}

export function severityColour(severity: string): Colour {
  return severity === 'critical' ? 'red' : severity === 'warning' ? 'yellow' : 'dim';
}

/** Rows as left-aligned columns under a header, for the summary. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
