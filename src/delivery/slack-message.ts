import type { Alert } from '../alerter/alert.ts';
import type { Severity } from '../policy/agent-policy.ts';
import { traceUrl, truncate } from './alert-notice.ts';
import type { AlertNotice, NoticeLinks } from './alert-notice.ts';
import { summarizeEvidence } from './evidence-summary.ts';

/** Slack incoming-webhook body (REFERENCE.md section 5): blocks plus the `text` fallback. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string }; fields?: Array<{ type: 'mrkdwn'; text: string }> }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> };

const ICON: Readonly<Record<Severity, string>> = { critical: '🔴', warning: '🟠', info: '🔵' };
const VERB: Readonly<Record<AlertNotice, string>> = { opened: '', escalated: 'Escalated: ', acked: 'Acknowledged: ', resolved: 'Resolved: ' };
// Slack's limits: header text 150 chars, section text 3000, a field 2000.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

/** One readable message: what happened, which agent, severity, evidence, link to the trace. */
export function slackMessage(alert: Alert, notice: AlertNotice, links: NoticeLinks): SlackMessage {
  const severity = alert.severity.toUpperCase();
  const icon = notice === 'resolved' ? '✅' : ICON[alert.severity];
  const evidence = summarizeEvidence(alert.evidence);
  const trace = traceUrl(alert, links);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${icon} ${VERB[notice]}${severity} · ${alert.kind}`, HEADER_MAX), emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*Agent* \`${escape(alert.agent_id)}\`\n${escape(alert.summary)}`, SECTION_MAX) },
      fields: [
        field('Severity', severity),
        field('Rule', `${alert.kind} / ${alert.rule}`),
        field('Action', alert.action),
        field('Seen', `${alert.count}× since ${alert.first_seen}`),
      ],
    },
  ];
  const facts = evidence.fields.map(([key, value]) => `• ${escape(key)}: \`${escape(value)}\``);
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate([`*Evidence* · ${evidence.spanCount} span${evidence.spanCount === 1 ? '' : 's'}`, ...facts].join('\n'), SECTION_MAX) },
  });
  const context = [`alert \`${alert.id}\``, `fingerprint \`${alert.fingerprint}\``];
  if (trace !== undefined) context.push(`<${trace}|trace ${alert.trace_id}>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  const state = notice === 'resolved' ? 'RESOLVED' : severity;
  return {
    text: truncate(`[${state}] ${alert.kind} on ${alert.agent_id}: ${alert.summary}`, SECTION_MAX),
    blocks,
    unfurl_links: false,
    unfurl_media: false,
  };
}

function field(label: string, value: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(`*${label}*\n${escape(value)}`, 2000) };
}

// Slack mrkdwn treats &, < and > as control characters (links, mentions); agent-supplied text
// must not turn into a @channel ping or a disguised link.
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
