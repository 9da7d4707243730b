import { describe, expect, it } from 'vitest';
import { isRecord, readRepoYaml, recordAt } from './deploy-files.ts';

const CONFIGS = ['collector/gateway-single.yaml', 'collector/gateway-loadbalancing.yaml'] as const;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

describe.each(CONFIGS)('%s', (path) => {
  const config = readRepoYaml(path);

  it('wires every pipeline to defined receivers, processors and exporters', () => {
    const pipelines = recordAt(config, 'service', 'pipelines');
    expect(Object.keys(pipelines).sort()).toEqual(['logs', 'traces']);
    for (const [name, pipeline] of Object.entries(pipelines)) {
      expect(isRecord(pipeline), name).toBe(true);
      for (const section of ['receivers', 'processors', 'exporters'] as const) {
        const used = stringList(recordAt(pipelines, name)[section]);
        if (section !== 'processors') expect(used.length, `${name}.${section}`).toBeGreaterThan(0);
        for (const component of used) {
          expect(Object.keys(recordAt(config, section)), `${name} uses ${section} ${component}`).toContain(component);
        }
      }
      // memory_limiter must see data first to refuse it before anything else allocates.
      expect(stringList(recordAt(pipelines, name)['processors'])).toEqual(['memory_limiter', 'batch']);
    }
    for (const extension of stringList(recordAt(config, 'service')['extensions'])) {
      expect(Object.keys(recordAt(config, 'extensions'))).toContain(extension);
    }
  });

  it('receives OTLP from agents on 4317 (gRPC) and 4318 (HTTP) on every interface', () => {
    const protocols = recordAt(config, 'receivers', 'otlp', 'protocols');
    expect(recordAt(protocols, 'grpc')['endpoint']).toBe('0.0.0.0:4317');
    expect(recordAt(protocols, 'http')['endpoint']).toBe('0.0.0.0:4318');
  });
});

describe('collector/gateway-single.yaml', () => {
  const exporter = recordAt(readRepoYaml('collector/gateway-single.yaml'), 'exporters', 'otlp/warden');

  it("forwards to Warden's OTLP/gRPC port with retries and a queue", () => {
    expect(exporter['endpoint']).toBe('warden:4317');
    expect(recordAt(exporter, 'retry_on_failure')['enabled']).toBe(true);
    expect(recordAt(exporter, 'sending_queue')['enabled']).toBe(true);
  });
});

describe('collector/gateway-loadbalancing.yaml', () => {
  const exporter = recordAt(readRepoYaml('collector/gateway-loadbalancing.yaml'), 'exporters', 'loadbalancing');

  it('routes by agent id over a static list of Wardens', () => {
    expect(exporter['routing_key']).toBe('attributes');
    expect(exporter['routing_attributes']).toEqual(['agent.id']);
    const hostnames = stringList(recordAt(exporter, 'resolver', 'static')['hostnames']);
    expect(hostnames.length).toBeGreaterThan(1);
    for (const hostname of hostnames) expect(hostname).toMatch(/:4317$/);
  });

  it('leaves the backend endpoint to the resolver and keeps retries and a queue', () => {
    expect(recordAt(exporter, 'protocol', 'otlp')['endpoint']).toBeUndefined();
    expect(recordAt(exporter, 'retry_on_failure')['enabled']).toBe(true);
    expect(recordAt(exporter, 'sending_queue')['enabled']).toBe(true);
  });
});
