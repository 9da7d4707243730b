import { describe, expect, it } from 'vitest';
import { canonicalToolArgs, hashToolArgs } from '../../../src/normalizer/tool-args-hash.ts';

describe('tool arguments hash', () => {
  it('is 16 lowercase hex digits', () => {
    expect(hashToolArgs('{"city":"Paris"}', 'json')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not depend on whitespace or key order, at any depth', () => {
    const a = hashToolArgs('{"city":"Paris","opts":{"unit":"C","days":3}}', 'json');
    const b = hashToolArgs('{ "opts": { "days": 3, "unit": "C" },\n  "city": "Paris" }', 'json');
    expect(a).toBe(b);
  });

  it('hashes structured (decoded kvlist) and JSON-string arguments alike', () => {
    expect(hashToolArgs({ city: 'Paris' }, 'json')).toBe(hashToolArgs('{"city":"Paris"}', 'json'));
  });

  it('unwraps a JSON document encoded twice', () => {
    expect(hashToolArgs(JSON.stringify('{"city":"Paris"}'), 'json')).toBe(hashToolArgs('{"city":"Paris"}', 'json'));
  });

  it('distinguishes different arguments, and array order', () => {
    expect(hashToolArgs('{"city":"Paris"}', 'json')).not.toBe(hashToolArgs('{"city":"Tokyo"}', 'json'));
    expect(hashToolArgs('[1,2]', 'json')).not.toBe(hashToolArgs('[2,1]', 'json'));
  });

  it('hashes plain text as trimmed text, and tolerates invalid JSON', () => {
    expect(canonicalToolArgs('  refund policy ', 'json')).toBe('"refund policy"');
    expect(canonicalToolArgs('{not json', 'json')).toBe('"{not json"');
  });

  it('reads a Traceloop call record: kwargs alone, or a single positional argument', () => {
    const plain = hashToolArgs('{"city":"Paris"}', 'json');
    expect(hashToolArgs('{"args":[],"kwargs":{"city":"Paris"}}', 'traceloop-entity')).toBe(plain);
    expect(hashToolArgs('{"args":["{\\"city\\":\\"Paris\\"}"]}', 'traceloop-entity')).toBe(plain);
    expect(canonicalToolArgs('{"args":[1],"kwargs":{"x":2}}', 'traceloop-entity')).toBe('{"args":[1],"kwargs":{"x":2}}');
    // Only Traceloop records are unwrapped: elsewhere "args" is an ordinary argument name.
    expect(canonicalToolArgs('{"args":[],"kwargs":{"x":2}}', 'json')).toBe('{"args":[],"kwargs":{"x":2}}');
  });

  it('survives absurdly deep input', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(hashToolArgs(deep, 'json')).toMatch(/^[0-9a-f]{16}$/);
  });
});
