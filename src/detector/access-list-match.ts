import type { AccessList } from '../policy/agent-policy.ts';

/** Where a value stands against an access list: the deny list wins over the allow list. */
export type AccessVerdict = 'allowed' | 'denied' | 'not_allowed';

// Policy lists are frozen and live until the next reload; long ones get a Set, built once.
const LINEAR_SCAN_MAX = 8;
const listSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function listHas(list: readonly string[], value: string): boolean {
  if (list.length <= LINEAR_SCAN_MAX) return list.includes(value);
  let set = listSets.get(list);
  if (set === undefined) {
    set = new Set(list);
    listSets.set(list, set);
  }
  return set.has(value);
}

export function accessVerdict(list: AccessList, value: string): AccessVerdict {
  if (list.deny.length > 0 && listHas(list.deny, value)) return 'denied';
  if (list.allow !== null && !listHas(list.allow, value)) return 'not_allowed';
  return 'allowed';
}
