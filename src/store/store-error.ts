/** The message of whatever the client threw, for a WardenError or a log line. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * ClickHouse's numeric error code when the failure carries one: `code` ('27') on
 * @clickhouse/client's ClickHouseError, `clickhouseCode` (27) on the embedded engine's own
 * errors (its raw insert reports `code: 'CHDB_INSERT'`).
 */
export function clickHouseCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  for (const key of ['clickhouseCode', 'code'] as const) {
    if (!(key in error)) continue;
    const code = Number((error as Record<string, unknown>)[key]);
    if (Number.isInteger(code) && code > 0) return code;
  }
  return undefined;
}
