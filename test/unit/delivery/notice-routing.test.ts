import { describe, expect, it } from 'vitest';
import type { AlertChangeEvent } from '../../../src/alerter/alert-sink.ts';
import { routeNotices } from '../../../src/delivery/notice-routing.ts';
import type { NoticeDestination } from '../../../src/delivery/notice-routing.ts';
import { alert } from './alert-fixture.ts';

const ALL: NoticeDestination[] = ['slack', 'pagerduty', 'webhook'];

function routes(event: AlertChangeEvent, minimums = {}): string[] {
  return routeNotices(event, ALL, minimums).map((r) => `${r.destination}:${r.notice}:${r.alert.fingerprint.slice(0, 3)}`);
}

describe('routeNotices', () => {
  it('sends warnings to Slack and the webhook, and pages only for critical by default', () => {
    expect(routes({ type: 'opened', alert: alert({ severity: 'warning' }) })).toEqual(['slack:opened:5f0', 'webhook:opened:5f0']);
    expect(routes({ type: 'opened', alert: alert({ severity: 'critical' }) })).toEqual(['slack:opened:5f0', 'pagerduty:opened:5f0', 'webhook:opened:5f0']);
    expect(routes({ type: 'opened', alert: alert({ severity: 'info' }) })).toEqual([]);
  });

  it('follows configured minimums', () => {
    expect(routes({ type: 'opened', alert: alert({ severity: 'info' }) }, { slack: 'info', pagerduty: 'warning' })).toEqual(['slack:opened:5f0']);
    expect(routes({ type: 'opened', alert: alert({ severity: 'warning' }) }, { pagerduty: 'warning', webhook: 'critical' })).toEqual([
      'slack:opened:5f0',
      'pagerduty:opened:5f0',
    ]);
  });

  it('ignores repeats and reports a severity rise once', () => {
    const warning = alert({ severity: 'warning' });
    expect(routes({ type: 'updated', alert: alert({ severity: 'warning', count: 9 }), previous: warning })).toEqual([]);
    expect(routes({ type: 'updated', alert: alert({ severity: 'critical' }), previous: warning })).toEqual([
      'slack:escalated:5f0',
      'pagerduty:escalated:5f0',
      'webhook:escalated:5f0',
    ]);
  });

  it('resolves where it was heard, and acknowledges only on PagerDuty', () => {
    expect(routes({ type: 'resolved', alert: alert({ severity: 'warning', status: 'resolved' }) })).toEqual(['slack:resolved:5f0', 'webhook:resolved:5f0']);
    expect(routes({ type: 'acked', alert: alert() })).toEqual(['pagerduty:acked:5f0']);
  });

  it('moves a re-attributed alert: the old key resolves where state is kept, the new one opens', () => {
    const moved = alert({ fingerprint: '9'.repeat(32), agent_id: 'support-2' });
    expect(routes({ type: 'updated', alert: moved, previous: alert(), reason: 'reattributed' })).toEqual([
      'slack:opened:999',
      'pagerduty:resolved:5f0',
      'pagerduty:opened:999',
      'webhook:resolved:5f0',
      'webhook:opened:999',
    ]);
  });
});
