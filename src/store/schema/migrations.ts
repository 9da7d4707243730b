import { actionChainColumnDdl } from './action-chain-ddl.ts';
import { alertColumnsDdl } from './alert-columns-ddl.ts';
import { detectorBaselinesDdl } from './detector-baselines-ddl.ts';
import { agentDirectoryDdl, agentDirectoryViewDdl, agentUsageDdl, agentUsageViewDdl } from './agent-summary-ddl.ts';
import { outboxDdl } from './outbox-ddl.ts';
import { otelTracesDdl, traceIdTsDdl, traceIdTsViewDdl } from './otel-traces-ddl.ts';
import { reattributionsDdl } from './reattributions-ddl.ts';
import { actionsDdl, alertsDdl, outcomesDdl } from './warden-tables-ddl.ts';

export interface MigrationContext {
  database: string;
  ttlDays: number;
}

/**
 * One schema version. Statements must be idempotent (IF NOT EXISTS, ADD COLUMN IF NOT
 * EXISTS, ...): a crash between a statement and the version's record re-runs the version,
 * and two Wardens starting together may both run it. Versions are never edited once
 * released; a change is a new version that ALTERs.
 */
export interface Migration {
  version: number;
  name: string;
  statements(context: MigrationContext): string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'otel_traces with agent columns, trace id lookup',
    statements: ({ database, ttlDays }) => [
      otelTracesDdl(database, ttlDays),
      traceIdTsDdl(database, ttlDays),
      traceIdTsViewDdl(database),
    ],
  },
  {
    version: 2,
    name: 'agent directory and per-minute usage',
    statements: ({ database, ttlDays }) => [
      agentUsageDdl(database, ttlDays),
      agentUsageViewDdl(database),
      agentDirectoryDdl(database, ttlDays),
      agentDirectoryViewDdl(database),
    ],
  },
  {
    version: 3,
    name: 'outcomes, alerts, actions',
    statements: ({ database, ttlDays }) => [outcomesDdl(database, ttlDays), alertsDdl(database), actionsDdl(database)],
  },
  {
    version: 4,
    name: 'span re-attributions',
    statements: ({ database, ttlDays }) => [reattributionsDdl(database, ttlDays)],
  },
  {
    version: 5,
    name: 'alert rule, session, resolution and merge columns',
    statements: ({ database }) => [alertColumnsDdl(database)],
  },
  {
    version: 6,
    name: 'detector baselines',
    statements: ({ database }) => [detectorBaselinesDdl(database)],
  },
  {
    version: 7,
    name: 'delivery outbox',
    statements: ({ database }) => [outboxDdl(database)],
  },
  {
    version: 8,
    name: 'actions chain per Warden instance',
    statements: ({ database }) => [actionChainColumnDdl(database)],
  },
];
