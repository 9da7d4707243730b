import { fail, ok } from '../errors/warden-error.ts';
import type { Result } from '../errors/warden-error.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Database and table names are the only things spliced into SQL text (ClickHouse cannot bind
 * identifiers as query parameters), so they must come from config and pass this check.
 */
export function validateIdentifier(name: string, what: string): Result<string> {
  if (!IDENTIFIER.test(name)) {
    return fail('WARDEN_CONFIG_INVALID', `${what} ${JSON.stringify(name)} must match ${IDENTIFIER.source}`);
  }
  return ok(name);
}

/** `db`.`table` for names already validated by validateIdentifier. */
export function qualifiedTable(database: string, table: string): string {
  return `\`${database}\`.\`${table}\``;
}
