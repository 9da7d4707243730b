import type { Alert } from '../alerter/alert.ts';

/**
 * What a notification says happened to an alert: it opened, its severity rose while open,
 * it was acknowledged in Warden, or it resolved.
 */
export type AlertNotice = 'opened' | 'escalated' | 'acked' | 'resolved';

/** Where people follow a notification to; unset = no links. */
export interface NoticeLinks {
  /** Warden's address as people reach it (e.g. http://warden.internal:4320). */
  publicUrl?: string;
}

export function traceUrl(alert: Alert, links: NoticeLinks): string | undefined {
  if (links.publicUrl === undefined || links.publicUrl === '' || alert.trace_id === '') return undefined;
  return `${links.publicUrl.replace(/\/+$/, '')}/api/v1/traces/${encodeURIComponent(alert.trace_id)}`;
}

export function alertUrl(alert: Alert, links: NoticeLinks): string | undefined {
  if (links.publicUrl === undefined || links.publicUrl === '') return undefined;
  return `${links.publicUrl.replace(/\/+$/, '')}/api/v1/alerts?agent=${encodeURIComponent(alert.agent_id)}&kind=${encodeURIComponent(alert.kind)}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
