import { createHash } from 'node:crypto';
import { LineCounter, parseDocument } from 'yaml';
import { fail, ok, type Result } from '../errors/warden-error.ts';
import { formatPolicyIssues, formatYamlError } from './policy-issues.ts';
import { policyFileSchema } from './policy-schema.ts';
import { createPolicySet, type PolicySet } from './policy-set.ts';

export const BUILT_IN_SOURCE = 'built-in defaults';

/**
 * A policy file's text as a PolicySet, or WARDEN_POLICY_INVALID listing every problem as
 * `source:line:column: field.path: problem`. An empty file (or only comments) is valid and
 * means defaults only. `source` is how errors and logs name the file.
 */
export function parsePolicy(text: string, source: string): Result<PolicySet> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) return fail('WARDEN_POLICY_INVALID', formatYamlError(syntaxError, source));

  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    // Only aliases can fail here: too many of them (a billion-laughs file) or one left dangling.
    return fail('WARDEN_POLICY_INVALID', `${source}: ${(error as Error).message}`);
  }
  const parsed = policyFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return fail('WARDEN_POLICY_INVALID', formatPolicyIssues(parsed.error.issues, policyFileSchema, doc, lineCounter, source));
  }
  return ok(createPolicySet(parsed.data, { source, version: policyVersion(text) }));
}

/** The policy every agent gets without a policy file. */
export function builtInPolicySet(): PolicySet {
  return createPolicySet({}, { source: BUILT_IN_SOURCE, version: policyVersion('') });
}

export function policyVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
