// Like the OpenTelemetry Collector's testdata: every good example parses, every bad one fails
// with the error its first line promises (`# error: line:column: field: problem`).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/policy/parse-policy.ts';

const POLICIES_DIR = path.resolve(import.meta.dirname, '../../fixtures/policies');
const files = readdirSync(POLICIES_DIR).filter((file) => file.endsWith('.yaml'));
const bad = files.filter((file) => file.startsWith('bad-'));
const good = files.filter((file) => !file.startsWith('bad-'));

function read(file: string): string {
  return readFileSync(path.join(POLICIES_DIR, file), 'utf8');
}

describe('policy fixtures', () => {
  it('has good and bad examples', () => {
    expect(good.length).toBeGreaterThanOrEqual(3);
    expect(bad.length).toBeGreaterThanOrEqual(5);
  });

  it.each(good)('%s parses', (file) => {
    const result = parsePolicy(read(file), file);
    expect(result.ok ? result.value.source : result.error.message).toBe(file);
  });

  it.each(bad)('%s fails with the error on its first line', (file) => {
    const text = read(file);
    const expected = /^# error: (.+)$/m.exec(text)?.[1];
    expect(expected, `${file} must start with "# error: line:column: ..."`).toBeDefined();
    const result = parsePolicy(text, file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('WARDEN_POLICY_INVALID');
    expect(result.error.message.split('\n')).toContain(`${file}:${expected}`);
  });
});
