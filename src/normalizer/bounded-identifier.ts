import { createHash } from 'node:crypto';

/** Characters an identifier keeps: the API's limit for an agent id in a path. */
export const MAX_IDENTIFIER_CHARS = 512;
const HASH_CHARS = 16;

/**
 * Identifiers (agent, session, tool, model, target) become sort keys, detector state keys and
 * URL path segments, so their length is bounded. A longer one keeps its start and ends in a
 * hash of the whole: still readable, still distinct from every other, always the same for the
 * same input.
 */
export function boundedIdentifier(text: string): string {
  if (text.length <= MAX_IDENTIFIER_CHARS) return text;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, HASH_CHARS);
  // Never cut a surrogate pair in half: that would store U+FFFD.
  let keep = MAX_IDENTIFIER_CHARS - HASH_CHARS - 1;
  const last = text.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep--;
  return `${text.slice(0, keep)}~${digest}`;
}
