/** One scrape of Warden's /metrics (Prometheus text format). */
export interface MetricsScrape {
  /** Sum of the samples named `name` whose labels include every given label. NaN if none. */
  value(name: string, labels?: Record<string, string>): number;
  has(name: string): boolean;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): MetricsScrape {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return {
    value(name, wanted = {}) {
      let sum = Number.NaN;
      for (const sample of samples) {
        if (sample.name !== name) continue;
        if (!Object.entries(wanted).every(([key, value]) => sample.labels[key] === value)) continue;
        sum = Number.isNaN(sum) ? sample.value : sum + sample.value;
      }
      return sum;
    },
    has: (name) => samples.some((sample) => sample.name === name),
  };
}

export async function scrapeMetrics(apiUrl: string): Promise<MetricsScrape> {
  const response = await fetch(`${apiUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/** Rows Warden has written to otel_traces: the "stored" signal. */
export const STORED_SPANS = ['warden_store_rows_written_total', { table: 'otel_traces' }] as const;
/** Spans Warden acknowledged, by its own count. */
export const ACCEPTED_SPANS = ['warden_ingest_items_accepted_total', { signal: 'traces' }] as const;
/** prom-client's event-loop delay, reset at every scrape (so each covers the interval since). */
export const EVENT_LOOP_P99 = 'warden_process_nodejs_eventloop_lag_p99_seconds';
export const EVENT_LOOP_MAX = 'warden_process_nodejs_eventloop_lag_max_seconds';
