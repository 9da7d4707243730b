/** One measured figure of the report and the JSON. */
export interface Figure {
  key: string;
  label: string;
  value: number;
  unit: string;
  /** How it was measured, in a sentence. */
  method: string;
  /** value / a limit measured in the same run, with the limit's name. */
  ratio?: { value: number; of: string };
  /** The target, on the value or on the ratio. */
  target?: { on: 'value' | 'ratio'; op: '>=' | '<='; value: number };
}

export function targetMet(figure: Figure): boolean | undefined {
  if (figure.target === undefined) return undefined;
  const subject = figure.target.on === 'ratio' ? figure.ratio?.value : figure.value;
  if (subject === undefined || Number.isNaN(subject)) return false;
  return figure.target.op === '>=' ? subject >= figure.target.value : subject <= figure.target.value;
}
