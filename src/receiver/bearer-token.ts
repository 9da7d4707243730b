import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>` against a set of accepted tokens in constant time.
 * Comparing fixed-length digests keeps the token length from leaking through timing too.
 */
export function createBearerCheck(tokens: readonly string[]): (authorization: string | undefined) => boolean {
  if (tokens.length === 0) return () => true;
  const digests = tokens.map(digest);
  return (authorization) => {
    const presented = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (presented === undefined) return false;
    const candidate = digest(presented);
    let matched = false;
    for (const expected of digests) matched = timingSafeEqual(candidate, expected) || matched;
    return matched;
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
