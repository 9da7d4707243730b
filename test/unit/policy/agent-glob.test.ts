import { describe, expect, it } from 'vitest';
import { compileAgentGlob } from '../../../src/policy/agent-glob.ts';

function matches(glob: string, id: string): boolean {
  return compileAgentGlob(glob).test(id);
}

describe('agent id globs', () => {
  it('* matches any run, across dots and slashes, including none', () => {
    expect(matches('support-*', 'support-7')).toBe(true);
    expect(matches('support-*', 'support-')).toBe(true);
    expect(matches('support-*', 'support-eu/west.7')).toBe(true);
    expect(matches('*', '')).toBe(true);
    expect(matches('*.internal', 'team/a.b.internal')).toBe(true);
    expect(matches('a*b*c', 'a/x.b.y/c')).toBe(true);
    expect(matches('a*b*c', 'a/x.c.y/b')).toBe(false);
  });

  it('? matches exactly one character, a code point', () => {
    expect(matches('batch-??', 'batch-01')).toBe(true);
    expect(matches('batch-??', 'batch-1')).toBe(false);
    expect(matches('batch-??', 'batch-001')).toBe(false);
    expect(matches('agent-?', 'agent-🤖')).toBe(true);
    expect(matches('agent-?', 'agent-/')).toBe(true);
  });

  it('is anchored and case-sensitive', () => {
    expect(matches('support', 'support-7')).toBe(false);
    expect(matches('support', 'my-support')).toBe(false);
    expect(matches('Support-*', 'support-7')).toBe(false);
  });

  it('takes regex metacharacters literally', () => {
    expect(matches('a.b', 'a.b')).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('a+b', 'aab')).toBe(false);
    expect(matches('a+b', 'a+b')).toBe(true);
    expect(matches('(x|y)[0-9]{2}^$', '(x|y)[0-9]{2}^$')).toBe(true);
    expect(matches('(x|y)[0-9]{2}^$', 'x12')).toBe(false);
    expect(matches('dir\\*', 'dir\\anything')).toBe(true);
    expect(matches('a/b-c', 'a/b-c')).toBe(true);
  });

  it('* and ? match line breaks in an id too', () => {
    expect(matches('a*', 'a\nb')).toBe(true);
    expect(matches('a?b', 'a\nb')).toBe(true);
  });

  it('collapses runs of * so a long id cannot make matching slow', () => {
    const started = performance.now();
    expect(matches('a**********b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
