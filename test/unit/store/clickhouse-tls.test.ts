import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { openClickHouse } from '../../../src/store/clickhouse-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TLS to a ClickHouse server', () => {
  it('reads the CA (and client cert and key) named by WARDEN_CLICKHOUSE_TLS_*', async () => {
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n');
    const config = loadConfig({ WARDEN_CLICKHOUSE_URL: 'https://127.0.0.1:8443', WARDEN_CLICKHOUSE_TLS_CA: pem });
    expect(config.ok && config.value.storage.tls).toEqual({ caFile: pem });
    if (!config.ok) return;
    const client = openClickHouse({ url: config.value.storage.clickhouseUrl, database: 'warden', dataDir: dir, tls: config.value.storage.tls });
    await client.close();
  });

  it('refuses a client certificate without its key, and names an unreadable file', () => {
    const halfMutual = loadConfig({ WARDEN_CLICKHOUSE_TLS_CA: '/ca.pem', WARDEN_CLICKHOUSE_TLS_CERT: '/client.pem' });
    expect(!halfMutual.ok && halfMutual.error.message).toContain('certFile and keyFile go together');
    expect(() =>
      openClickHouse({ url: 'https://127.0.0.1:8443', database: 'warden', dataDir: dir, tls: { caFile: join(dir, 'missing.pem') } }),
    ).toThrow(/WARDEN_CLICKHOUSE_TLS_CA: cannot read .*missing\.pem/);
  });
});
