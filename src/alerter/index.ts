export type { Alert, AlertAction, AlertStatus, AlertVersion } from './alert.ts';
export { ALERT_ACTIONS, ALERT_STATUSES, SEVERITIES } from './alert.ts';
export type { AlertChangeEvent, AlertChangeReason, AlertChangeType, AlertSink } from './alert-sink.ts';
export type { AlertStore } from './alert-store.ts';
export type { Alerter, AlerterStats, OpenAlertFilter } from './alerter.ts';
export { ALERTER_DEFAULTS, createAlerter, type AlerterDeps } from './create-alerter.ts';
export { alertFingerprint } from './alert-identity.ts';
export type { RestoreSummary } from './restore-alerts.ts';
