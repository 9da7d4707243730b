import type { Dashboard, Panel, VariableModel } from '@grafana/schema';
import { describe, expect, it } from 'vitest';
import agentDrilldown from '../../../dashboards/agent-drilldown.json' with { type: 'json' };
import alertsEnforcement from '../../../dashboards/alerts-enforcement.json' with { type: 'json' };
import costOutcomes from '../../../dashboards/cost-outcomes.json' with { type: 'json' };
import fleetOverview from '../../../dashboards/fleet-overview.json' with { type: 'json' };
import { dashboardFiles, queriesOf, readDashboard } from './dashboard-targets.ts';

// Compile time: each dashboard JSON, as TypeScript infers it, must be assignable to
// @grafana/schema's Dashboard (v1 model). JSON imports widen string literals to string, so the
// string-union fields (variable `type`, ...) are re-checked at run time below.
type Widened<T> = T extends string ? string : T extends object ? { [K in keyof T]: Widened<T[K]> } : T;
const typed: Array<Widened<Dashboard>> = [fleetOverview, agentDrilldown, alertsEnforcement, costOutcomes];

const VARIABLE_TYPES: Array<VariableModel['type']> = ['adhoc', 'constant', 'custom', 'datasource', 'interval', 'query', 'textbox', 'groupby', 'switch', 'snapshot', 'system'];

describe('dashboard JSON', () => {
  it('imports every dashboard file in the typed check above', () => {
    expect(typed.map((d) => d.uid).sort()).toEqual(dashboardFiles().map((file) => readDashboard(file)['uid']).sort());
  });

  it.each(dashboardFiles())('%s has the fields Grafana needs', (file) => {
    const dashboard = readDashboard(file) as unknown as Dashboard & { panels: Panel[] };
    expect(dashboard.title).toMatch(/^Warden \/ /);
    expect(dashboard.uid).toMatch(/^warden-[a-z-]+$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    const variables = dashboard.templating?.list ?? [];
    for (const variable of variables) expect(VARIABLE_TYPES).toContain(variable.type);
    expect(variables.find((v) => v.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'grafana-clickhouse-datasource' });
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(panel.gridPos, panel.title).toMatchObject({ x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target).toMatchObject({ datasource: { type: 'grafana-clickhouse-datasource', uid: '${datasource}' }, editorType: 'sql', refId: expect.any(String) });
      }
    }
    // Time-series panels get format 0, traces panels 3, the rest tables (1).
    for (const query of queriesOf(file)) expect([0, 1, 3]).toContain(query.format);
  });
});
