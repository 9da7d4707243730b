/**
 * Expands the Grafana template variables and grafana-clickhouse-datasource macros that Warden's
 * dashboards use, for a fixed time range, so tests can run every panel's SQL on the real engine.
 *
 * Same output as the plugin (v4, REFERENCE.md section 4) except one deliberate difference: the
 * plugin expands `$__timeFilter(col)` to `col >= toDateTime(<from s>) AND col <= toDateTime(<to s>)`;
 * here the bounds are `toDateTime64(<from s.mmm>, 3)`, because on the embedded engine comparing a
 * DateTime64 column with a whole-second DateTime silently drops rows. The rows selected are the
 * same as the plugin's whenever the range ends on whole seconds (Grafana's default).
 */
export interface MacroRange {
  fromMs: number;
  toMs: number;
  /** Grafana's $__interval for the panel; the plugin floors it to whole seconds, at least 1. */
  intervalMs: number;
  /** Variable values; ALL_VALUE stands for the "All" option. */
  variables: Readonly<Record<string, string>>;
}

export const ALL_VALUE = '$__all';

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function intervalSeconds(range: MacroRange): number {
  return Math.max(1, Math.floor(range.intervalMs / 1000));
}

/** Replaces `name(args)` calls, with arguments split on top-level commas (args may nest). */
function replaceCalls(sql: string, name: string, render: (args: string[]) => string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const start = sql.indexOf(`${name}(`, at);
    if (start < 0) return out + sql.slice(at);
    let depth = 0;
    let end = start + name.length;
    const args: string[] = [];
    let argStart = end + 1;
    for (; end < sql.length; end++) {
      const ch = sql[end];
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
      else if (ch === ',' && depth === 1) {
        args.push(sql.slice(argStart, end).trim());
        argStart = end + 1;
      }
    }
    if (depth !== 0) throw new Error(`unbalanced parentheses after ${name} at ${start}`);
    args.push(sql.slice(argStart, end).trim());
    out += sql.slice(at, start) + render(args);
    at = end + 1;
  }
}

function arg(args: string[], index: number, macro: string): string {
  const value = args[index];
  if (value === undefined || value === '') throw new Error(`${macro} needs argument ${index + 1}`);
  return value;
}

/** Template variables: `${name}`, `${name:raw}` and `$name`, longest names first. */
function expandVariables(sql: string, variables: MacroRange['variables']): string {
  let out = sql.replace(/\$\{(\w+)(?::\w+)?\}/g, (whole, name: string) => variables[name] ?? whole);
  for (const name of Object.keys(variables).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`\\$${name}\\b`, 'g'), variables[name] ?? '');
  }
  return out;
}

export function expandMacros(sql: string, range: MacroRange): string {
  // $__conditionalAll looks at the variable before it is substituted.
  let out = replaceCalls(sql, '$__conditionalAll', (args) => {
    const variable = arg(args, 1, '$__conditionalAll').replace(/^\$\{?(\w+)\}?$/, '$1');
    return range.variables[variable] === ALL_VALUE ? '1=1' : arg(args, 0, '$__conditionalAll');
  });
  out = expandVariables(out, range.variables);
  const from = `toDateTime64(${seconds(range.fromMs)}, 3)`;
  const to = `toDateTime64(${seconds(range.toMs)}, 3)`;
  const step = intervalSeconds(range);
  // Longer names first: $__timeFilter_ms before $__timeFilter, $__fromTime_ms before $__fromTime.
  out = replaceCalls(out, '$__timeFilter_ms', (args) => {
    const col = arg(args, 0, '$__timeFilter_ms');
    return `${col} >= fromUnixTimestamp64Milli(${range.fromMs}) AND ${col} <= fromUnixTimestamp64Milli(${range.toMs})`;
  });
  out = replaceCalls(out, '$__timeFilter', (args) => {
    const col = arg(args, 0, '$__timeFilter');
    return `${col} >= ${from} AND ${col} <= ${to}`;
  });
  out = replaceCalls(out, '$__timeInterval_ms', (args) => `toStartOfInterval(toDateTime64(${arg(args, 0, '$__timeInterval_ms')}, 3), INTERVAL ${step * 1000} millisecond)`);
  out = replaceCalls(out, '$__timeInterval', (args) => `toStartOfInterval(toDateTime(${arg(args, 0, '$__timeInterval')}), INTERVAL ${step} second)`);
  out = out
    .replaceAll('$__fromTime_ms', `fromUnixTimestamp64Milli(${range.fromMs})`)
    .replaceAll('$__toTime_ms', `fromUnixTimestamp64Milli(${range.toMs})`)
    .replaceAll('$__fromTime', `toDateTime(${Math.floor(range.fromMs / 1000)})`)
    .replaceAll('$__toTime', `toDateTime(${Math.floor(range.toMs / 1000)})`)
    .replaceAll('$__interval_s', String(step));
  const left = /\$__\w+/.exec(out);
  if (left) throw new Error(`macro not expanded: ${left[0]}`);
  return out;
}
