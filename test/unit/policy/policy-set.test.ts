import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/policy/parse-policy.ts';
import { createPolicySet } from '../../../src/policy/policy-set.ts';

const FIRST_MATCH = `
agents:
  - match: "support-vip-*"
    role: vip
    budget: { usd_per_hour: 50 }
  - match: "support-*"
    role: support
    budget: { usd_per_hour: 5 }
  - match: "support-vip-1"
    role: never-reached
`;

function parse(text: string) {
  const result = parsePolicy(text, 'policy.yaml');
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('PolicySet.forAgent', () => {
  const set = parse(FIRST_MATCH);

  it('uses the first entry whose glob matches, not the most specific', () => {
    expect(set.forAgent('support-vip-1').role).toBe('vip');
    expect(set.forAgent('support-vip-1').budget.usdPerHour).toBe(50);
    expect(set.forAgent('support-2').role).toBe('support');
    expect(set.forAgent('support-2').matchedRule).toBe('support-*');
    expect(set.forAgent('ops-1').matchedRule).toBeNull();
  });

  it('returns the same object for every agent of an entry, and on repeat', () => {
    expect(set.forAgent('support-2')).toBe(set.forAgent('support-3'));
    expect(set.forAgent('support-2')).toBe(set.forAgent('support-2'));
  });

  it('stays correct when its memo is full and emptied', () => {
    const small = createPolicySet({ agents: [{ match: 'a-*', role: 'a' }] }, { source: 's', version: 'v', maxCachedAgents: 3 });
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 10; i += 1) {
        expect(small.forAgent(`a-${i}`).role).toBe('a');
        expect(small.forAgent(`b-${i}`).role).toBeNull();
      }
    }
  });

  it('is immutable', () => {
    expect(Object.isFrozen(set)).toBe(true);
    expect(() => {
      (set.forAgent('support-2').budget as { usdPerHour: number | null }).usdPerHour = 1_000;
    }).toThrow(TypeError);
  });
});
