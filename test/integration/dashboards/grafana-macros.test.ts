import { describe, expect, it } from 'vitest';
import { ALL_VALUE, expandMacros, type MacroRange } from '../../helpers/grafana-macros.ts';

const range: MacroRange = { fromMs: 1_700_000_000_000, toMs: 1_700_003_600_500, intervalMs: 30_500, variables: { agent: 'bot-1', kinds: ALL_VALUE } };

describe('grafana macro expander', () => {
  it('expands $__timeFilter with DateTime64 bounds, nested arguments included', () => {
    expect(expandMacros('WHERE $__timeFilter(max(LastSeen))', range)).toBe(
      'WHERE max(LastSeen) >= toDateTime64(1700000000.000, 3) AND max(LastSeen) <= toDateTime64(1700003600.500, 3)',
    );
  });

  it('expands the millisecond filter, time bounds and the interval as the plugin does', () => {
    expect(expandMacros('$__timeFilter_ms(at)', range)).toBe('at >= fromUnixTimestamp64Milli(1700000000000) AND at <= fromUnixTimestamp64Milli(1700003600500)');
    expect(expandMacros('$__fromTime|$__toTime|$__fromTime_ms', range)).toBe('toDateTime(1700000000)|toDateTime(1700003600)|fromUnixTimestamp64Milli(1700000000000)');
    expect(expandMacros('SELECT $__timeInterval(Timestamp) AS t, count() / $__interval_s', range)).toBe(
      'SELECT toStartOfInterval(toDateTime(Timestamp), INTERVAL 30 second) AS t, count() / 30',
    );
  });

  it('substitutes variables and $__conditionalAll', () => {
    expect(expandMacros("AgentId = '${agent}' OR AgentId = '$agent'", range)).toBe("AgentId = 'bot-1' OR AgentId = 'bot-1'");
    expect(expandMacros("WHERE $__conditionalAll(kind IN ('a'), $kinds)", range)).toBe('WHERE 1=1');
    expect(expandMacros("WHERE $__conditionalAll(AgentId = '$agent', $agent)", range)).toBe("WHERE AgentId = 'bot-1'");
  });

  it('refuses a macro it does not know, so a dashboard cannot use one untested', () => {
    expect(() => expandMacros('SELECT $__lttb(x)', range)).toThrow(/not expanded: \$__lttb/);
  });
});
