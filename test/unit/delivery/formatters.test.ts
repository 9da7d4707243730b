import { describe, expect, it } from 'vitest';
import { alertmanagerMessage } from '../../../src/delivery/alertmanager-webhook.ts';
import { summarizeEvidence } from '../../../src/delivery/evidence-summary.ts';
import { pagerDutyEvent } from '../../../src/delivery/pagerduty-event.ts';
import { slackMessage } from '../../../src/delivery/slack-message.ts';
import { alert } from './alert-fixture.ts';

const LINKS = { publicUrl: 'http://warden.internal:4320/' };
const TRACE_URL = `http://warden.internal:4320/api/v1/traces/${'a'.repeat(32)}`;

describe('summarizeEvidence', () => {
  it('keeps scalar facts and short lists, counts spans, drops id lists and objects', () => {
    const summary = summarizeEvidence({
      span_ids: ['1', '2'],
      trace_ids: ['t'],
      tool: 'ssh',
      cycle: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      nested: { a: 1 },
      over: true,
      long: 'x'.repeat(200),
    });
    expect(summary.spanCount).toBe(2);
    expect(summary.fields).toEqual([
      ['tool', 'ssh'],
      ['cycle', 'a, b, c, d, e, … (7)'],
      ['over', 'true'],
      ['long', `${'x'.repeat(79)}…`],
    ]);
  });
});

describe('slackMessage', () => {
  it('has a text fallback and blocks: header with severity and kind, agent, summary, evidence, trace link', () => {
    const message = slackMessage(alert(), 'opened', LINKS);
    expect(message.text).toBe('[CRITICAL] loop on support-1: ticket-create called 5 times with the same arguments');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🔴 CRITICAL · loop', emoji: true } });
    expect(message.blocks[1]).toMatchObject({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Agent* `support-1`\nticket-create called 5 times with the same arguments' },
    });
    expect(JSON.stringify(message.blocks[1])).toContain('identical_calls');
    expect(message.blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Evidence* · 5 spans\n• tool: `ticket-create`\n• args_hash: `abc123`\n• count: `5`\n• limit: `5`' },
    });
    expect(JSON.stringify(message.blocks[3])).toContain(`<${TRACE_URL}|trace ${'a'.repeat(32)}>`);
  });

  it('marks resolutions, omits the link without a public URL, and escapes agent text', () => {
    const message = slackMessage(alert({ status: 'resolved', summary: '<!channel> & <http://evil|x>' }), 'resolved', {});
    expect(message.text).toBe('[RESOLVED] loop on support-1: <!channel> & <http://evil|x>');
    expect(message.blocks[0]).toMatchObject({ text: { text: '✅ Resolved: CRITICAL · loop' } });
    expect(JSON.stringify(message.blocks[1])).toContain('&lt;!channel&gt; &amp; &lt;http://evil|x&gt;');
    expect(JSON.stringify(message.blocks)).not.toContain('/api/v1/traces');
  });
});

describe('pagerDutyEvent', () => {
  it('triggers with the fingerprint as dedup_key and the severity mapped', () => {
    const event = pagerDutyEvent(alert({ severity: 'warning' }), 'opened', 'R'.repeat(32), LINKS);
    expect(event).toMatchObject({
      routing_key: 'R'.repeat(32),
      event_action: 'trigger',
      dedup_key: '5f0c2a9e7b1d4c3a8e6f0b2d4a6c8e0f',
      payload: {
        summary: '[loop] support-1: ticket-create called 5 times with the same arguments',
        source: 'support-1',
        severity: 'warning',
        timestamp: '2025-06-01T12:00:04.000Z',
        component: 'support-1',
        group: 'warden',
        class: 'loop',
        custom_details: { alert_id: alert().id, rule: 'identical_calls', span_count: 5, evidence: { tool: 'ticket-create', count: '5' } },
      },
      client_url: TRACE_URL,
      links: [{ href: TRACE_URL, text: 'Trace in Warden' }],
    });
  });

  it('caps the summary at 1024 characters', () => {
    const event = pagerDutyEvent(alert({ summary: 'y'.repeat(5000) }), 'escalated', 'k', {});
    expect(event.event_action === 'trigger' && event.payload.summary.length).toBe(1024);
  });

  it('resolves and acknowledges with only routing_key, dedup_key and event_action', () => {
    expect(pagerDutyEvent(alert(), 'resolved', 'k', LINKS)).toEqual({ routing_key: 'k', event_action: 'resolve', dedup_key: alert().fingerprint });
    expect(pagerDutyEvent(alert(), 'acked', 'k', LINKS)).toEqual({ routing_key: 'k', event_action: 'acknowledge', dedup_key: alert().fingerprint });
  });
});

describe('alertmanagerMessage', () => {
  it('is an Alertmanager v4 webhook message with one alert', () => {
    const message = alertmanagerMessage(alert(), LINKS);
    const labels = { alertname: 'loop', agent_id: 'support-1', rule: 'identical_calls', severity: 'critical', source: 'warden' };
    expect(message).toMatchObject({
      version: '4',
      groupKey: '{}:{alertname="loop", agent_id="support-1", rule="identical_calls"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'warden',
      groupLabels: { alertname: 'loop', agent_id: 'support-1', rule: 'identical_calls' },
      commonLabels: labels,
      externalURL: 'http://warden.internal:4320/',
    });
    expect(message.alerts).toEqual([
      {
        status: 'firing',
        labels,
        annotations: {
          summary: 'ticket-create called 5 times with the same arguments',
          alert_id: alert().id,
          action: 'suspend',
          count: '1',
          trace_id: 'a'.repeat(32),
          span_count: '5',
          evidence: 'tool=ticket-create; args_hash=abc123; count=5; limit=5',
          trace_url: TRACE_URL,
        },
        startsAt: '2025-06-01T12:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: TRACE_URL,
        fingerprint: alert().fingerprint,
      },
    ]);
  });

  it('ends a resolved alert at its resolution', () => {
    const message = alertmanagerMessage(alert({ status: 'resolved', resolved_at: '2025-06-01T12:10:00.000Z' }), {});
    expect(message.status).toBe('resolved');
    expect(message.alerts[0]).toMatchObject({ status: 'resolved', endsAt: '2025-06-01T12:10:00.000Z', generatorURL: '' });
  });
});
