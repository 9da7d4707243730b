import type { WardenError } from '../errors/warden-error.ts';
import { wardenError } from '../errors/warden-error.ts';
import { clickHouseCode, errorMessage } from './store-error.ts';

// ClickHouse codes meaning "these bytes are not valid rows for this table": sending the same
// rows again fails the same way. Everything else (network, timeouts, memory, too many parts,
// a table being re-created) may pass later and is retried.
const MALFORMED_DATA_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
]);

/** A failed insert as a WardenError: retryable unless ClickHouse said the data is malformed. */
export function insertError(table: string, error: unknown): WardenError {
  const code = clickHouseCode(error);
  const message = `insert into ${table} failed: ${errorMessage(error)}`;
  return code !== undefined && MALFORMED_DATA_CODES.has(code)
    ? wardenError('WARDEN_STORE_ROWS_REJECTED', message)
    : wardenError('WARDEN_STORE_UNAVAILABLE', message);
}
