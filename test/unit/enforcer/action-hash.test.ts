import { describe, expect, it } from 'vitest';
import type { ChainFields } from '../../../src/enforcer/action.ts';
import { actionHash, actionHashInput, GENESIS_HASH } from '../../../src/enforcer/action-hash.ts';
import { canonicalJson } from '../../../src/enforcer/canonical-json.ts';

const FIELDS: ChainFields = {
  chain: 'default',
  seq: 3,
  id: '0196c0de-0000-7000-8000-000000000003',
  atMs: 1_778_493_600_123,
  type: 'suspend',
  agentId: 'support-7',
  actor: 'warden',
  reason: 'loop: search_docs called 5 times with the same arguments',
  alertId: 'alert-1',
  payloadJson: canonicalJson({ severity: 'critical', rule: 'identical_calls' }),
  prevHash: 'a'.repeat(64),
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, whatever order they were built in', () => {
    const a = canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' } });
    const b = canonicalJson({ a: { c: 'x', d: [1, { y: null, z: true }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
  });

  it('writes numbers and strings as JSON does, leaves out undefined members', () => {
    expect(canonicalJson({ n: 1e21, f: 0.1, s: 'é"\n', u: undefined, l: [undefined] })).toBe('{"f":0.1,"l":[null],"n":1e+21,"s":"é\\"\\n"}');
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it('refuses values with no JSON form instead of changing them', () => {
    expect(() => canonicalJson({ cost: Number.NaN })).toThrow(/\$\.cost: NaN/);
    expect(() => canonicalJson({ big: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson({ list: [Infinity] })).toThrow(/\$\.list\[0\]/);
  });
});

describe('actionHash', () => {
  it('is deterministic lowercase hex SHA-256', () => {
    expect(actionHash(FIELDS)).toBe(actionHash({ ...FIELDS }));
    expect(actionHash(FIELDS)).toMatch(/^[0-9a-f]{64}$/);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('hashes the documented encoding', () => {
    expect(actionHashInput(FIELDS)).toBe(
      JSON.stringify(['warden.action.v1', 'default', '3', FIELDS.id, '1778493600123', 'suspend', 'support-7', 'warden', FIELDS.reason, 'alert-1', '{"rule":"identical_calls","severity":"critical"}', 'a'.repeat(64)]),
    );
  });

  it('does not depend on the payload key order', () => {
    const reordered = { ...FIELDS, payloadJson: canonicalJson({ rule: 'identical_calls', severity: 'critical' }) };
    expect(actionHash(reordered)).toBe(actionHash(FIELDS));
  });

  it('changes when any field changes', () => {
    const changes: Partial<ChainFields>[] = [
      { chain: 'other' },
      { seq: 4 },
      { id: 'x' },
      { atMs: FIELDS.atMs + 1 },
      { type: 'resume' },
      { agentId: 'support-8' },
      { actor: 'api:ops' },
      { reason: 'loop' },
      { alertId: '' },
      { payloadJson: canonicalJson({ severity: 'warning', rule: 'identical_calls' }) },
      { prevHash: GENESIS_HASH },
    ];
    const hashes = new Set(changes.map((change) => actionHash({ ...FIELDS, ...change })));
    expect(hashes.size).toBe(changes.length);
    expect(hashes.has(actionHash(FIELDS))).toBe(false);
  });

  it('cannot be fooled by moving text between adjacent fields', () => {
    const a = actionHash({ ...FIELDS, agentId: 'ab', actor: 'c' });
    const b = actionHash({ ...FIELDS, agentId: 'a', actor: 'bc' });
    expect(a).not.toBe(b);
  });
});
