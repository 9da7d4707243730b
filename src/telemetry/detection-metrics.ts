import { Gauge, type Registry } from 'prom-client';
import type { Alerter } from '../alerter/alerter.ts';
import type { DetectorSet } from '../detector/create-detector-set.ts';

/**
 * Detection and alerting gauges, read from the stages' own stats at scrape time so the hot path
 * does no metric work. Labels are detector kinds and fixed table names only.
 */
export function registerDetectionMetrics(registry: Registry, stages: { alerter: Alerter; detectors: DetectorSet }): void {
  new Gauge({
    name: 'warden_alerts_open',
    help: 'Alerts firing now (held in memory by the alerter)',
    registers: [registry],
    collect() {
      this.set(stages.alerter.stats().open);
    },
  });
  new Gauge({
    name: 'warden_detector_spans_observed',
    help: 'Spans the detectors have observed since start',
    registers: [registry],
    collect() {
      this.set(stages.detectors.stats().spans);
    },
  });
  new Gauge({
    name: 'warden_detector_findings',
    help: 'Findings the detectors have reported since start',
    registers: [registry],
    collect() {
      this.set(stages.detectors.stats().findings);
    },
  });
  new Gauge({
    name: 'warden_detector_state_entries',
    help: 'Entries in each detector state table (bounded by the detector limits)',
    labelNames: ['kind', 'table'],
    registers: [registry],
    collect() {
      this.reset();
      for (const detector of stages.detectors.stats().detectors) {
        for (const [table, stats] of Object.entries(detector.tables)) this.set({ kind: detector.kind, table }, stats.size);
      }
    },
  });
}
