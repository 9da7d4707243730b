import { actionChainColumnDdl } from './action-chain-ddl.ts';
import { alertColumnsDdl } from './alert-columns-ddl.ts';
import { detectorBaselinesDdl } from './detector-baselines-ddl.ts';
import { agentDirectoryDdl, agentDirectoryViewDdl, agentUsageDdl, agentUsageViewDdl } from './agent-summary-ddl.ts';
import { outboxDdl } from './outbox-ddl.ts';
import { ownerColumnsDdl } from './owner-columns-ddl.ts';
import { otelTracesDdl, traceIdTsDdl, traceIdTsViewDdl } from './otel-traces-ddl.ts';
import { reattributionsDdl } from './reattributions-ddl.ts';
import { TABLES } from '../table-names.ts';
import { distributedDdl } from './ddl-context.ts';
import type { DdlContext } from './ddl-context.ts';
import { actionsDdl, alertsDdl, outcomesDdl } from './warden-tables-ddl.ts';

export type MigrationContext = DdlContext;

// Sharding keys of the Distributed tables (cluster mode): an agent's spans on one shard so the
// views summarise it there; a replaced row's versions on one shard so they replace each other.
const BY_AGENT = 'cityHash64(AgentId)';

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
    statements: (ctx) => [
      otelTracesDdl(ctx),
      ...distributedDdl(ctx, TABLES.spans, BY_AGENT),
      traceIdTsDdl(ctx),
      ...distributedDdl(ctx, TABLES.traceIdTs, 'cityHash64(TraceId)'),
      traceIdTsViewDdl(ctx),
    ],
  },
  {
    version: 2,
    name: 'agent directory and per-minute usage',
    statements: (ctx) => [
      agentUsageDdl(ctx),
      ...distributedDdl(ctx, TABLES.agentUsage, BY_AGENT),
      agentUsageViewDdl(ctx),
      agentDirectoryDdl(ctx),
      ...distributedDdl(ctx, TABLES.agentDirectory, BY_AGENT),
      agentDirectoryViewDdl(ctx),
    ],
  },
  {
    version: 3,
    name: 'outcomes, alerts, actions',
    statements: (ctx) => [
      outcomesDdl(ctx),
      ...distributedDdl(ctx, TABLES.outcomes, 'cityHash64(agent_id)'),
      alertsDdl(ctx),
      ...distributedDdl(ctx, TABLES.alerts, 'cityHash64(id)'),
      actionsDdl(ctx),
      ...distributedDdl(ctx, TABLES.actions, 'cityHash64(agent_id)'),
    ],
  },
  {
    version: 4,
    name: 'span re-attributions',
    statements: (ctx) => [reattributionsDdl(ctx), ...distributedDdl(ctx, TABLES.reattributions, 'cityHash64(TraceId)')],
  },
  {
    version: 5,
    name: 'alert rule, session, resolution and merge columns',
    statements: (ctx) => alertColumnsDdl(ctx),
  },
  {
    version: 6,
    name: 'detector baselines',
    statements: (ctx) => [detectorBaselinesDdl(ctx), ...distributedDdl(ctx, TABLES.detectorBaselines, 'cityHash64(agent_id)')],
  },
  {
    version: 7,
    name: 'delivery outbox',
    statements: (ctx) => [outboxDdl(ctx), ...distributedDdl(ctx, TABLES.outbox, 'cityHash64(id)')],
  },
  {
    version: 8,
    name: 'actions chain per Warden instance',
    statements: (ctx) => actionChainColumnDdl(ctx),
  },
  {
    version: 9,
    name: 'owning instance of alerts and deliveries',
    statements: (ctx) => ownerColumnsDdl(ctx),
  },
];
