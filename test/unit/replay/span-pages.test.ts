import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { createSpanPager } from '../../../src/store/queries/span-pages.ts';
import type { StoredSpanRow } from '../../../src/store/queries/stored-span.ts';
import { countSpans } from '../../../src/store/queries/read-spans.ts';

const MS = 1_000_000n;
const T0_NS = BigInt(Date.UTC(2026, 4, 11)) * MS;

function row(startNs: bigint, traceId: string, spanId: string): StoredSpanRow {
  return {
    start_unix_nano: String(startNs), duration_ns: '1000', trace_id: traceId, span_id: spanId, parent_span_id: '', trace_state: '', name: 'span',
    span_kind: 'Client', service_name: 'svc', scope_name: '', scope_version: '', resource_attributes: {}, attributes: { 'gen_ai.usage.input_tokens': '12' },
    status_code: 'Error', status_message: 'boom', event_times: [String(startNs)], event_names: ['agent.outcome'], event_attributes: [{ 'agent.outcome.name': 'x' }],
    link_trace_ids: [], link_span_ids: [], link_trace_states: [], link_attributes: [],
    agent_id: 'a-1', agent_id_source: 'ancestor', agent_name: 'A', agent_role: '', session_id: 's', task_id: '', kind: 'tool', tool_name: 'search', tool_args_hash: 'h',
    model: '', provider: '', input_tokens: '12', output_tokens: '3', cost_usd: 0.5, data_classes: ['ssn'], data_access: 'read', target: 'crm', delegation_from: '',
    action_tier: 'gated', approval_id: '', confidence: 0.25, intent: '', status: 'error', error_type: 'Timeout',
  };
}

const key = (r: StoredSpanRow): [bigint, string, string] => [BigInt(r.start_unix_nano), r.trace_id, r.span_id];
function compareRows(a: StoredSpanRow, b: StoredSpanRow): number {
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < 3; i++) if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}
const nanos = (param: unknown): bigint => {
  const [seconds, fraction = '0'] = String(param).split('.');
  return BigInt(seconds!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
};

/** ClickHouse reduced to what the queries ask of it: the range, the keyset cursor, the limit. */
function fakeStore(rows: StoredSpanRow[]) {
  const stats = { queries: 0, maxWindowRows: 0 };
  const client = {
    async query({ query, query_params: p }: { query: string; query_params: Record<string, unknown> }) {
      stats.queries++;
      const from = nanos(p['from']);
      const to = nanos(p['to']);
      const inWindow = rows.filter((r) => BigInt(r.start_unix_nano) >= from && BigInt(r.start_unix_nano) < to);
      if (query.includes('count()')) {
        const first = inWindow.reduce((min, r) => (BigInt(r.start_unix_nano) < min ? BigInt(r.start_unix_nano) : min), to);
        return { json: async () => [{ spans: String(inWindow.length), first: String(first) }] };
      }
      stats.maxWindowRows = Math.max(stats.maxWindowRows, inWindow.length);
      const after = p['afterTs'] === undefined ? null : row(nanos(p['afterTs']), String(p['afterTrace']), String(p['afterSpan']));
      const page = inWindow.filter((r) => after === null || compareRows(r, after) > 0).sort(compareRows).slice(0, Number(p['limit']));
      return { json: async () => page };
    },
  };
  return { context: { client: client as unknown as ClickHouseClient, database: 'warden' }, stats };
}

describe('span pages', () => {
  it('returns every span of the range once, in (Timestamp, TraceId, SpanId) order, in bounded windows', async () => {
    const rows: StoredSpanRow[] = [];
    // 250 spans at one instant (more than a page), a dense hour, a two-day gap, a sparse day.
    for (let i = 0; i < 250; i++) rows.push(row(T0_NS, `t${i % 7}`, `s${String(i).padStart(4, '0')}`));
    for (let i = 0; i < 1000; i++) rows.push(row(T0_NS + BigInt(i) * 3600n * MS, 'dense', `d${i}`));
    for (let i = 0; i < 48; i++) rows.push(row(T0_NS + BigInt(2 * 86_400_000 + i * 1_800_000) * MS, 'sparse', `p${i}`));
    rows.push(row(T0_NS + 4n * 86_400_000n * MS, 'late', 'outside'));
    rows.reverse();
    const { context, stats } = fakeStore(rows);
    const range = { fromNs: T0_NS, toNs: T0_NS + 3n * 86_400_000n * MS };

    const count = await countSpans(context, range);
    expect(count).toEqual({ ok: true, value: { spans: 1298, firstNs: T0_NS } });
    const pager = createSpanPager(context, range, { pageRows: 100 });
    const seen: string[] = [];
    for (;;) {
      const page = await pager.next();
      if (!page.ok) throw new Error(page.error.message);
      if (page.value === null) break;
      expect(page.value.length).toBeGreaterThan(0);
      expect(page.value.length).toBeLessThanOrEqual(100);
      seen.push(...page.value.map((span) => span.spanId));
    }
    const expected = rows.filter((r) => r.span_id !== 'outside').sort(compareRows).map((r) => r.span_id);
    expect(seen).toEqual(expected);
    // A window holds a few pages at most (the instant holds 250 spans on its own).
    expect(stats.maxWindowRows).toBeLessThanOrEqual(500);
    // Empty hours cost a query each (the window never grows past an hour).
    expect(stats.queries).toBeLessThan(120);
  });

  it('reads rows back as the AgentSpans the detectors saw', async () => {
    const { context } = fakeStore([row(T0_NS, 'trace', 'span')]);
    const page = await createSpanPager(context, { fromNs: T0_NS, toNs: T0_NS + MS }).next();
    expect(page.ok && page.value?.[0]).toMatchObject({
      traceId: 'trace', spanId: 'span', spanKind: 3, statusCode: 2, startTimeUnixNano: T0_NS, durationNs: 1000n,
      attributes: { 'gen_ai.usage.input_tokens': '12' }, events: [{ timeUnixNano: T0_NS, name: 'agent.outcome', attributes: { 'agent.outcome.name': 'x' } }],
      agentId: 'a-1', agentIdSource: 'ancestor', kind: 'tool', toolName: 'search', inputTokens: 12, outputTokens: 3, costUsd: 0.5,
      dataClasses: ['ssn'], actionTier: 'gated', confidence: 0.25, status: 'error', errorType: 'Timeout',
    });
  });

  it('passes a failed query on as a value', async () => {
    const client = { query: async () => Promise.reject(new Error('Code: 60. DB::Exception: Unknown table (UNKNOWN_TABLE)')) };
    const page = await createSpanPager({ client: client as unknown as ClickHouseClient, database: 'warden' }, { fromNs: T0_NS, toNs: T0_NS + MS }).next();
    expect(page).toMatchObject({ ok: false, error: { code: 'WARDEN_STORE_UNAVAILABLE' } });
  });
});
