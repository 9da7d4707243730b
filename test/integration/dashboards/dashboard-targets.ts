import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_DIR = join(import.meta.dirname, '..', '..', '..', 'dashboards');

export interface PanelQuery {
  dashboard: string;
  /** Panel title, or `variable <name>` for a variable's query. */
  where: string;
  rawSql: string;
  format: number | undefined;
}

export function dashboardFiles(): string[] {
  return readdirSync(DASHBOARD_DIR).filter((name) => name.endsWith('.json')).sort();
}

export function readDashboard(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every SQL query of a dashboard: all targets of all panels (rows included) and query variables. */
export function queriesOf(file: string): PanelQuery[] {
  const found: PanelQuery[] = [];
  const walkPanels = (panels: unknown): void => {
    if (!Array.isArray(panels)) return;
    for (const panel of panels) {
      if (!isRecord(panel)) continue;
      for (const target of Array.isArray(panel['targets']) ? panel['targets'] : []) {
        if (isRecord(target) && typeof target['rawSql'] === 'string') {
          const format = target['format'];
          found.push({ dashboard: file, where: String(panel['title']), rawSql: target['rawSql'], format: typeof format === 'number' ? format : undefined });
        }
      }
      walkPanels(panel['panels']);
    }
  };
  const dashboard = readDashboard(file);
  walkPanels(dashboard['panels']);
  const templating = dashboard['templating'];
  const variables = isRecord(templating) && Array.isArray(templating['list']) ? templating['list'] : [];
  for (const variable of variables) {
    if (isRecord(variable) && variable['type'] === 'query' && typeof variable['query'] === 'string') {
      found.push({ dashboard: file, where: `variable ${String(variable['name'])}`, rawSql: variable['query'], format: 1 });
    }
  }
  return found;
}
