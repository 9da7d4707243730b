import { describe, expect, it } from 'vitest';
import { migrationsDdl } from '../../../src/store/schema/warden-tables-ddl.ts';
import { MIGRATIONS } from '../../../src/store/schema/migrations.ts';
import { TABLES } from '../../../src/store/table-names.ts';

const single = { database: 'warden', ttlDays: 30 };
const cluster = { database: 'warden', ttlDays: 30, cluster: 'wc' };
const ZK = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

const clusterStatements = MIGRATIONS.flatMap((m) => m.statements(cluster));

describe('cluster DDL', () => {
  it('puts ON CLUSTER on every statement of every migration', () => {
    for (const migration of MIGRATIONS) {
      for (const statement of migration.statements(cluster)) {
        expect(statement.split('\n')[0]).toContain('ON CLUSTER `wc`');
      }
    }
  });

  it('leaves single-node DDL without cluster clauses, Replicated engines or local tables', () => {
    for (const statement of MIGRATIONS.flatMap((m) => m.statements(single))) {
      expect(statement).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local/);
    }
  });

  it('replaces every MergeTree-family engine with its Replicated form on a _local table', () => {
    const creates = clusterStatements.filter((s) => /^CREATE TABLE/.test(s) && !s.includes('Distributed('));
    expect(creates.length).toBeGreaterThan(0);
    for (const statement of creates) {
      expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS `warden`\.`\w+_local` ON CLUSTER/);
      expect(statement).toMatch(/ENGINE = Replicated(Replacing|Aggregating)?MergeTree\(/);
      expect(statement).toContain(ZK);
      expect(statement).not.toMatch(/ENGINE = (Replacing|Aggregating)?MergeTree\(/);
    }
    const versioned = creates.filter((s) => s.includes('ReplicatedReplacingMergeTree'));
    expect(versioned.some((s) => s.includes(`${ZK}, version)`))).toBe(true);
  });

  it('puts a Distributed table named as the table Warden reads in front of each local table', () => {
    const locals = clusterStatements.flatMap((s) => /^CREATE TABLE IF NOT EXISTS `warden`\.`(\w+)_local`/.exec(s)?.[1] ?? []);
    for (const table of locals) {
      const distributed = clusterStatements.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`warden\`.\`${table}\` ON CLUSTER`));
      expect(distributed, table).toContain(`ENGINE = Distributed(\`wc\`, \`warden\`, \`${table}_local\`, `);
    }
    const stored = Object.values(TABLES).filter((t) => !t.endsWith('_mv') && t !== TABLES.migrations);
    expect(new Set(locals)).toEqual(new Set(stored));
  });

  it('attaches the materialized views to local tables on both ends', () => {
    const views = clusterStatements.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'));
    expect(views).toHaveLength(3);
    for (const view of views) {
      expect(view).toMatch(/\nTO `warden`\.`\w+_local`\n/);
      expect(view).toContain('FROM `warden`.`otel_traces_local`');
    }
  });

  it('alters local and Distributed tables alike', () => {
    const alters = clusterStatements.filter((s) => s.startsWith('ALTER'));
    // alerts (v5, v9), actions (v8), delivery_outbox (v9): each on its local and its Distributed table.
    expect(alters).toHaveLength(8);
    expect(alters.filter((s) => s.startsWith('ALTER TABLE `warden`.`alerts_local`'))).toHaveLength(2);
    expect(alters.filter((s) => s.startsWith('ALTER TABLE `warden`.`alerts` '))).toHaveLength(2);
    expect(alters.filter((s) => s.startsWith('ALTER TABLE `warden`.`delivery_outbox_local`'))).toHaveLength(1);
    expect(alters.filter((s) => s.startsWith('ALTER TABLE `warden`.`delivery_outbox` '))).toHaveLength(1);
  });

  it('makes schema_migrations Replicated ON CLUSTER too', () => {
    expect(migrationsDdl(cluster)).toContain('ON CLUSTER `wc`');
    expect(migrationsDdl(cluster)).toContain(`ReplicatedReplacingMergeTree(${ZK})`);
    expect(migrationsDdl(single)).toContain('ENGINE = ReplacingMergeTree()');
  });
});
