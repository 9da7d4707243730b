import type { ClickHouseClient } from '@clickhouse/client';
import { fail, ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { errorMessage } from '../store-error.ts';

/** What every read query needs: the client and the validated database name. */
export interface StoreContext {
  client: ClickHouseClient;
  database: string;
}

/**
 * Runs one parameterised SELECT and returns its rows. Values only ever travel in `params`
 * ({name:Type} placeholders); the SQL text holds nothing but validated identifiers.
 */
export async function queryJson<T>(
  context: StoreContext,
  what: string,
  query: string,
  params: Record<string, unknown>,
): Promise<Result<T[]>> {
  try {
    const result = await context.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return ok(await result.json<T>());
  } catch (error) {
    return fail('WARDEN_STORE_UNAVAILABLE', `${what} failed: ${errorMessage(error)}`);
  }
}

/** A UInt64 read back: a number, or a decimal string when the server quotes 64-bit integers. */
export function numberOf(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}
