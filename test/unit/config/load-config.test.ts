import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('binds to loopback on the OTLP ports by default, with the documented defaults', () => {
    const config = loadConfig({});
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.otlp.grpcAddr).toEqual({ host: '127.0.0.1', port: 4317 });
    expect(config.value.otlp.httpAddr).toEqual({ host: '127.0.0.1', port: 4318 });
    expect(config.value.api.addr).toEqual({ host: '127.0.0.1', port: 4320 });
    expect(config.value.otlp.maxRequestBytes).toBe(64 * 1024 * 1024);
    expect(config.value.storage).toMatchObject({ dataDir: './data', database: 'warden', ttlDays: 30 });
    expect(config.value.pagerduty).toMatchObject({ url: 'https://events.pagerduty.com/v2/enqueue', minSeverity: 'critical' });
    expect(config.value.slackMinSeverity).toBe('warning');
    expect(Object.isFrozen(config.value.otlp)).toBe(true);
  });

  it('reads WARDEN_* variables, treating empty ones as unset', () => {
    const config = loadConfig({
      WARDEN_OTLP_HTTP_ADDR: '[::1]:0',
      WARDEN_INGEST_TOKENS: ' a , b ,',
      WARDEN_CLICKHOUSE_URL: '',
      WARDEN_TTL_DAYS: '7',
      WARDEN_SLACK_MIN_SEVERITY: 'critical',
    });
    expect(config.ok && config.value.otlp.httpAddr).toEqual({ host: '::1', port: 0 });
    expect(config.ok && config.value.otlp.ingestTokens).toEqual(['a', 'b']);
    expect(config.ok && config.value.storage.clickhouseUrl).toBeUndefined();
    expect(config.ok && config.value.storage.ttlDays).toBe(7);
    expect(config.ok && config.value.slackMinSeverity).toBe('critical');
  });

  it('overlays the environment on the YAML file named by WARDEN_CONFIG', () => {
    const file = join(dir, 'warden.yaml');
    writeFileSync(file, 'storage:\n  batchRows: 100\n  ttlDays: 3\nnormalizer:\n  prices:\n    my-model: { input: 1, output: 4 }\n');
    const config = loadConfig({ WARDEN_CONFIG: file, WARDEN_TTL_DAYS: '9' });
    expect(config.ok && config.value.storage).toMatchObject({ batchRows: 100, ttlDays: 9 });
    expect(config.ok && config.value.normalizer.prices['my-model']).toEqual({ input: 1, output: 4 });
  });

  it('lists every invalid setting with its field, and refuses SQL-unsafe database names', () => {
    const config = loadConfig({ WARDEN_OTLP_GRPC_ADDR: 'localhost', WARDEN_TTL_DAYS: '-1', WARDEN_CLICKHOUSE_DATABASE: 'x; DROP TABLE y', WARDEN_PAGERDUTY_MIN_SEVERITY: 'loud' });
    expect(config.ok).toBe(false);
    if (config.ok) return;
    expect(config.error.code).toBe('WARDEN_CONFIG_INVALID');
    for (const field of ['otlp.grpcAddr', 'storage.ttlDays', 'storage.database', 'pagerduty.minSeverity']) expect(config.error.message).toContain(field);
  });

  it('reads the redaction settings, and refuses hash mode without a key, unknown patterns and broken regexes', () => {
    const config = loadConfig({ WARDEN_REDACT_PROMPTS: 'true', WARDEN_REDACT_KEYS: 'user.email, http.request.header.*', WARDEN_REDACT_PATTERNS: 'card_number,email' });
    expect(config.ok && config.value.redaction).toEqual({ prompts: true, keys: ['user.email', 'http.request.header.*'], patterns: ['card_number', 'email'], customPatterns: [], mode: 'remove' });
    expect(loadConfig({}).ok && (loadConfig({}) as { value: { redaction: unknown } }).value.redaction).toMatchObject({ prompts: false, keys: [], patterns: [] });

    const bad = loadConfig({ WARDEN_REDACT_PROMPTS: 'sometimes', WARDEN_REDACT_PATTERNS: 'card_number,passport' });
    const message = bad.ok ? '' : bad.error.message;
    expect(message).toContain('redaction.prompts: Invalid input: expected boolean');
    expect(message).toContain('redaction.patterns.1: Invalid option');
    const hashWithoutKey = loadConfig({ WARDEN_REDACT_MODE: 'hash', WARDEN_REDACT_KEYS: 'user.id' });
    expect(hashWithoutKey.ok ? '' : hashWithoutKey.error.message).toContain('redaction.hashKey: mode "hash" needs a hash key (WARDEN_REDACTION_KEY)');
    expect(loadConfig({ WARDEN_REDACT_MODE: 'hash', WARDEN_REDACTION_KEY: 'k'.repeat(16) }).ok).toBe(true);

    const file = join(dir, 'redaction.yaml');
    writeFileSync(file, 'redaction:\n  customPatterns:\n    - { name: employee_id, regex: "EMP-[0-9]{6}" }\n    - { name: broken, regex: "([a-z" }\n');
    const custom = loadConfig({ WARDEN_CONFIG: file });
    expect(custom.ok ? '' : custom.error.message).toContain('redaction.customPatterns.1.regex: not a valid JavaScript regular expression');
  });

  it('names the file when WARDEN_CONFIG is missing or not a mapping', () => {
    const missing = loadConfig({ WARDEN_CONFIG: join(dir, 'nope.yaml') });
    expect(!missing.ok && missing.error.message).toContain('nope.yaml');
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    const notMapping = loadConfig({ WARDEN_CONFIG: list });
    expect(!notMapping.ok && notMapping.error.message).toContain('expected a YAML mapping');
  });
});

describe('loadConfig: cluster mode', () => {
  it('takes a cluster name from WARDEN_CLICKHOUSE_CLUSTER and refuses one that is not an identifier', () => {
    const config = loadConfig({ WARDEN_CLICKHOUSE_URL: 'http://127.0.0.1:8123', WARDEN_CLICKHOUSE_CLUSTER: 'warden_cluster' });
    expect(config.ok && config.value.storage.cluster).toBe('warden_cluster');
    const bad = loadConfig({ WARDEN_CLICKHOUSE_CLUSTER: 'a b; DROP' });
    expect(!bad.ok && bad.error.message).toContain('storage.cluster');
  });
});
