/**
 * A ClickHouse HTTP front for tests: stands in for a ClickHouse server where none can be
 * installed, so Warden's server mode (WARDEN_CLICKHOUSE_URL, `openClickHouse({ url })`) and
 * several Warden processes sharing one ClickHouse can be tested. Only the HTTP layer is ours:
 * every statement runs on the real ClickHouse engine (chdb), so SQL, types, formats and error
 * codes are the engine's own.
 *
 *   node test/helpers/clickhouse-http-front.ts --data-dir DIR [--host 127.0.0.1] [--port 0]
 *        [--user default] [--password '']
 *
 * Prints one line `{"url":"http://HOST:PORT"}` once listening; SIGTERM/SIGINT finish the
 * running request, close the engine and exit 0.
 *
 * The subset of https://clickhouse.com/docs/interfaces/http implemented, as @clickhouse/client
 * 1.23 uses it (node_base_connection.js, socket_pool.js, common/utils/url.js):
 * - `GET /ping` (and `GET /` without a query) answer `Ok.\n` without authentication.
 * - `POST /` and `GET /?query=`: the statement is the `query` URL parameter followed by a
 *   newline and the body, as the server concatenates them; an INSERT's body is its data, handed
 *   to the engine as bytes. An INSERT with an empty body inserts nothing and succeeds.
 * - URL parameters: `query_id`, `database`, `default_format` (TabSeparated when absent, as on
 *   the server), `param_<name>` for `{name:Type}` placeholders (the raw text goes to the engine's
 *   parameter binding, parsed there exactly as the server parses it), and every other name is a
 *   setting for this request only. Settings that belong to the HTTP layer
 *   (wait_end_of_query, enable_http_compression, ...) are consumed here.
 * - Authentication: HTTP Basic, X-ClickHouse-User/X-ClickHouse-Key, or user/password URL
 *   parameters (mixing them is refused); one user, from --user/--password. A failure is
 *   `Code: 516 ... (AUTHENTICATION_FAILED)` with 403, as exceptionCodeToHTTPStatus.cpp does.
 * - Request bodies with Content-Encoding gzip, deflate, br or zstd; responses compressed with the
 *   codec named in Accept-Encoding when enable_http_compression=1.
 * - Responses carry X-ClickHouse-Query-Id, X-ClickHouse-Format, X-ClickHouse-Timezone and
 *   X-ClickHouse-Summary; errors carry X-ClickHouse-Exception-Code, the server's HTTP status for
 *   that code and the body `Code: N. DB::Exception: ... (TYPE) (version V)`.
 * - Bodies are capped at 256 MiB (before and after decompression): 413.
 *
 * Not implemented: session_id and multipart query parameters (answered 501), readonly for GET,
 * progress headers, mid-stream exceptions (results are materialized before the first byte is
 * sent, as with wait_end_of_query=1). One divergence: the engine accepts several `;`-separated
 * statements in one request, which the server refuses. A SET or USE statement lasts for its own
 * request only, as on the server: the front puts the engine's state back afterwards.
 *
 * Requests run one at a time: the engine keeps settings per connection, so a request's settings
 * are applied before it runs and the previous ones undone, and concurrent requests would see
 * each other's. The engine calls go to chdb's native binding (the one chdb's own Session uses)
 * because its JS parameter binding re-escapes values that arrive here already escaped.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { Session } from 'chdb';

const MAX_BODY_BYTES = 256 * 1024 * 1024;
const DISPLAY_NAME = 'warden-test-clickhouse-front';

// ---------------------------------------------------------------------------------------------
// The engine

interface NativeResult {
  bytes: Uint8Array;
  elapsed: number;
  rowsRead: number;
  bytesRead: number;
}
interface NativeInsertResult {
  elapsed: number;
  rowsWritten: number;
  bytesWritten: number;
}
interface ChdbNative {
  QueryAsyncConnection(connection: unknown, sql: string, format: string, params?: Record<string, string>): Promise<NativeResult>;
  InsertRawAsyncConnection(connection: unknown, prefix: string, data: Buffer, countLines: boolean): Promise<NativeInsertResult>;
}

// chdb's package exports do not list its loader; a require relative to its own entry point
// reaches the same (cached) native module its Session uses.
const chdbRequire = createRequire(createRequire(import.meta.url).resolve('chdb'));
const native = (chdbRequire('./dist/loader.js') as { loadNative(): ChdbNative }).loadNative();

/** An engine error in the server's wording, with its code and type name. */
class EngineError extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}

function engineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = /Code: (\d+)\./.exec(message)?.[1];
  return new EngineError(message, code === undefined ? 1001 : Number(code));
}

function exception(code: number, type: string, text: string): EngineError {
  return new EngineError(`Code: ${code}. DB::Exception: ${text}. (${type})`, code);
}

const sqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sqlIdentifier = (value: string): string => `\`${value.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

interface Execution {
  body: Buffer;
  format: string;
  summary: Record<string, string>;
}

/**
 * The engine connection and the per-request state the server keeps per query: settings and
 * the current database. Every call goes through `run`, one at a time.
 */
class Engine {
  readonly version: string;
  readonly timezone: string;
  /** HTTP status per error code, from STATUS_BY_ERROR. */
  readonly statusByCode: ReadonlyMap<number, number>;
  readonly #session: Session;
  /** Every setting as the engine started, and whether it differed from the default. */
  readonly #baseline: Map<string, { value: string; changed: boolean }>;
  /** Settings this front has SET and not yet undone. */
  readonly #applied = new Map<string, string>();
  #database = 'default';
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    session: Session,
    info: { version: string; timezone: string; statusByCode: ReadonlyMap<number, number> },
    baseline: Map<string, { value: string; changed: boolean }>,
  ) {
    this.#session = session;
    this.version = info.version;
    this.timezone = info.timezone;
    this.statusByCode = info.statusByCode;
    this.#baseline = baseline;
  }

  static async open(path: string): Promise<Engine> {
    const session = new Session(path);
    const query = async (sql: string): Promise<string[][]> => {
      const result = await native.QueryAsyncConnection(session.connection, sql, 'TabSeparated');
      const text = Buffer.from(result.bytes).toString('utf8');
      return text === '' ? [] : text.replace(/\n$/, '').split('\n').map((line) => line.split('\t'));
    };
    const [info] = await query('SELECT version(), timezone()');
    const baseline = new Map<string, { value: string; changed: boolean }>();
    for (const [name, value, changed] of await query('SELECT name, value, changed FROM system.settings')) {
      if (name !== undefined && value !== undefined) baseline.set(name, { value: unescapeTsv(value), changed: changed === '1' });
    }
    const statusByName = new Map(Object.entries(STATUS_BY_ERROR).flatMap(([status, names]) => names.map((name) => [name, Number(status)] as const)));
    const statusByCode = new Map<number, number>();
    for (const [code, name] of await query('SELECT number, errorCodeToName(number) FROM numbers(2000) WHERE errorCodeToName(number) != \'\'')) {
      const status = name === undefined ? undefined : statusByName.get(name);
      if (status !== undefined) statusByCode.set(Number(code), status);
    }
    return new Engine(session, { version: info?.[0] ?? 'unknown', timezone: info?.[1] ?? 'UTC', statusByCode }, baseline);
  }

  /** Runs one request's statement with its settings and database, after the ones before it. */
  run(request: EngineRequest): Promise<Execution> {
    const next = this.#queue.then(() => this.#execute(request));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for the running requests, then closes the engine. */
  async close(): Promise<void> {
    await this.#queue;
    this.#session.close();
  }

  async #execute(request: EngineRequest): Promise<Execution> {
    await this.#prepare(request.settings, request.database);
    const stateful = /^\s*(SET|USE)\b/i.test(request.statement);
    try {
      return await this.#statement(request);
    } finally {
      // The server forgets a SET or USE with the request; the engine connection would not.
      if (stateful) await this.#resync();
    }
  }

  async #statement(request: EngineRequest): Promise<Execution> {
    const connection = this.#session.connection;
    if (request.insertData !== undefined) {
      try {
        const result = await native.InsertRawAsyncConnection(connection, request.statement, request.insertData, false);
        return { body: Buffer.alloc(0), format: request.format, summary: summary({ written: result, elapsed: result.elapsed }) };
      } catch (error) {
        throw engineError(error);
      }
    }
    try {
      const params = Object.keys(request.params).length > 0 ? request.params : undefined;
      const result = await native.QueryAsyncConnection(connection, request.statement, request.format, params);
      const body = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
      return { body, format: outputFormat(request.statement, request.format), summary: summary({ read: result, resultBytes: body.length, elapsed: result.elapsed }) };
    } catch (error) {
      const failed = engineError(error);
      // An INSERT ... FORMAT with no rows: the server inserts nothing and answers 200.
      if (failed.code === 108 && /^\s*INSERT\b/i.test(request.statement)) {
        return { body: Buffer.alloc(0), format: request.format, summary: summary({ elapsed: 0 }) };
      }
      throw failed;
    }
  }

  /** Makes the connection's settings and database those of the request, changing only what differs. */
  async #prepare(settings: Map<string, string>, database: string): Promise<void> {
    const assignments: string[] = [];
    for (const name of this.#applied.keys()) {
      if (!settings.has(name)) assignments.push(this.#restore(name));
    }
    for (const [name, value] of settings) {
      if (this.#applied.get(name) !== value) assignments.push(`${name} = ${sqlString(value)}`);
    }
    if (assignments.length > 0) {
      try {
        await this.#query(`SET ${assignments.join(', ')}`);
      } catch (error) {
        // Part of the SET may have taken effect; start again from the baseline.
        await this.#resync();
        throw engineError(error);
      }
      this.#applied.clear();
      for (const [name, value] of settings) this.#applied.set(name, value);
    }
    if (database !== this.#database) {
      await this.#query(`USE ${sqlIdentifier(database)}`).catch((error: unknown) => {
        throw engineError(error);
      });
      this.#database = database;
    }
  }

  #restore(name: string): string {
    const base = this.#baseline.get(name);
    return base === undefined || !base.changed ? `${name} = DEFAULT` : `${name} = ${sqlString(base.value)}`;
  }

  /** Puts every setting and the database back to the engine's start, after a SET/USE/failed SET. */
  async #resync(): Promise<void> {
    this.#applied.clear();
    const result = await native.QueryAsyncConnection(this.#session.connection, 'SELECT name, value FROM system.settings', 'TabSeparated');
    const drifted: string[] = [];
    for (const line of Buffer.from(result.bytes).toString('utf8').split('\n')) {
      const [name, value] = line.split('\t');
      if (name === undefined || value === undefined || name === '') continue;
      if (this.#baseline.get(name)?.value !== unescapeTsv(value)) drifted.push(this.#restore(name));
    }
    if (drifted.length > 0) await this.#query(`SET ${drifted.join(', ')}`);
    await this.#query(`USE ${sqlIdentifier(this.#database)}`);
  }

  async #query(sql: string): Promise<void> {
    await native.QueryAsyncConnection(this.#session.connection, sql, 'TabSeparated');
  }
}

function unescapeTsv(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' })[char] ?? char);
}

function summary(parts: { read?: NativeResult; written?: NativeInsertResult; resultBytes?: number; elapsed: number }): Record<string, string> {
  const writtenRows = parts.written?.rowsWritten ?? 0;
  const writtenBytes = parts.written?.bytesWritten ?? 0;
  return {
    read_rows: String(parts.read?.rowsRead ?? writtenRows),
    read_bytes: String(parts.read?.bytesRead ?? writtenBytes),
    written_rows: String(writtenRows),
    written_bytes: String(writtenBytes),
    total_rows_to_read: '0',
    // The engine reports rows read, not rows returned; for the small results of tests it is
    // the closest figure available.
    result_rows: String(parts.read?.rowsRead ?? 0),
    result_bytes: String(parts.resultBytes ?? 0),
    elapsed_ns: String(Math.max(0, Math.round(parts.elapsed * 1e9))),
  };
}

/** The format the output is in: the statement's FORMAT clause, else default_format. */
function outputFormat(statement: string, fallback: string): string {
  return /\bFORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*;?\s*$/i.exec(statement)?.[1] ?? fallback;
}

function contentType(format: string): string {
  if (/EachRow|Lines$/i.test(format) && /^JSON/i.test(format)) return 'application/x-ndjson; charset=UTF-8';
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8';
  if (/^(TSV|TabSeparated)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8; header=absent';
  return 'text/plain; charset=UTF-8';
}

// ---------------------------------------------------------------------------------------------
// The HTTP layer

interface EngineRequest {
  statement: string;
  /** An INSERT's data: handed to the engine as bytes after the statement. */
  insertData?: Buffer;
  params: Record<string, string>;
  settings: Map<string, string>;
  database: string;
  format: string;
}

/** URL parameters the server's HTTP handler reads itself; everything else is a setting. */
const RESERVED_PARAMS = new Set([
  'query', 'query_id', 'database', 'default_format', 'user', 'password', 'quota_key', 'session_id',
  'session_timeout', 'session_check', 'role', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query',
  'stacktrace', 'client_protocol_version', 'close_session', 'http_native_compression_disable_checksumming_on_decompress',
]);
/** Settings the server's HTTP layer applies; the engine has no use for them (and refuses some). */
const HTTP_SETTINGS = new Set([
  'enable_http_compression', 'http_zlib_compression_level', 'http_response_compression_method',
  'send_progress_in_http_headers', 'http_headers_progress_interval_ms', 'http_send_progress_interval_ms',
  'http_response_buffer_size', 'http_wait_end_of_query', 'http_write_exception_in_output_format',
  'cancel_http_readonly_queries_on_client_close', 'add_http_cors_header',
]);
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface FrontOptions {
  engine: Engine;
  user: string;
  password: string;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(): EngineError {
  return exception(229, 'QUERY_IS_TOO_LARGE', `Request body exceeds ${MAX_BODY_BYTES} bytes, the limit of this test front`);
}

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  const codec = (encoding ?? '').trim().toLowerCase();
  if (codec === '' || codec === 'identity' || body.length === 0) return body;
  const limit = { maxOutputLength: MAX_BODY_BYTES };
  try {
    switch (codec) {
      case 'gzip':
      case 'x-gzip':
        return zlib.gunzipSync(body, limit);
      case 'deflate':
        return zlib.inflateSync(body, limit);
      case 'br':
        return zlib.brotliDecompressSync(body, limit);
      case 'zstd':
        return zlib.zstdDecompressSync(body, limit);
      default:
        throw exception(89, 'UNKNOWN_COMPRESSION_METHOD', `Unknown HTTP compression method: ${codec}`);
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    if (error instanceof RangeError) throw tooLarge();
    throw exception(271, 'CANNOT_DECOMPRESS', `Cannot decompress the request body (${codec}): ${(error as Error).message}`);
  }
}

/** The server's rules in authenticateUserByHTTP.cpp: one method per request, default user. */
function authenticate(request: IncomingMessage, url: URL, options: FrontOptions): void {
  const headerUser = headerValue(request, 'x-clickhouse-user');
  const headerKey = headerValue(request, 'x-clickhouse-key');
  const authorization = headerValue(request, 'authorization');
  const inParams = url.searchParams.has('user') || url.searchParams.has('password');
  const multiple = (a: string, b: string): EngineError =>
    exception(516, 'AUTHENTICATION_FAILED', `Invalid authentication: it is not allowed to use ${a} and ${b} simultaneously`);
  let user: string;
  let password: string;
  if (headerUser !== '' || headerKey !== '') {
    if (authorization !== '') throw multiple('X-ClickHouse HTTP headers', 'Authorization HTTP header');
    if (inParams) throw multiple('X-ClickHouse HTTP headers', 'authentication via parameters');
    user = headerUser;
    password = headerKey;
    if (user === '') throw exception(516, 'AUTHENTICATION_FAILED', 'Got an empty user name from X-ClickHouse HTTP headers');
  } else if (authorization !== '') {
    if (inParams) throw multiple('Authorization HTTP header', 'authentication via parameters');
    const [scheme = '', info = ''] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() !== 'basic') {
      throw exception(516, 'AUTHENTICATION_FAILED', `Invalid authentication: '${scheme}' HTTP Authorization scheme is not supported`);
    }
    const decoded = Buffer.from(info, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    user = colon < 0 ? decoded : decoded.slice(0, colon);
    password = colon < 0 ? '' : decoded.slice(colon + 1);
    if (user === '') throw exception(516, 'AUTHENTICATION_FAILED', 'Got an empty user name from Authorization HTTP header');
  } else {
    user = url.searchParams.get('user') ?? 'default';
    password = url.searchParams.get('password') ?? '';
    if (user === '') throw exception(516, 'AUTHENTICATION_FAILED', 'Got an empty user name from authentication via parameters');
  }
  if (user !== options.user || password !== options.password) {
    throw exception(516, 'AUTHENTICATION_FAILED', `${user}: Authentication failed: password is incorrect, or there is no user with such name`);
  }
}

function headerValue(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Turns the URL and body into what the engine runs, as the server's HTTPHandler reads them. */
function engineRequest(url: URL, body: Buffer): EngineRequest {
  const params: Record<string, string> = {};
  const settings = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (name.startsWith('param_')) params[name.slice('param_'.length)] = value;
    else if (RESERVED_PARAMS.has(name) || HTTP_SETTINGS.has(name)) continue;
    else if (!SETTING_NAME.test(name)) throw exception(115, 'UNKNOWN_SETTING', `Unknown setting '${name}'`);
    else settings.set(name, value);
  }
  const database = url.searchParams.get('database') ?? 'default';
  const format = url.searchParams.get('default_format') ?? 'TabSeparated';
  const query = url.searchParams.get('query') ?? '';
  const base = { params, settings, database: database === '' ? 'default' : database, format };
  if (query !== '' && body.length > 0 && /^\s*INSERT\b/i.test(query)) return { ...base, statement: query, insertData: body };
  const statement = query === '' ? body.toString('utf8') : body.length === 0 ? query : `${query}\n${body.toString('utf8')}`;
  if (statement.trim() === '') throw exception(62, 'SYNTAX_ERROR', 'Empty query');
  return { ...base, statement };
}

/**
 * The status the server gives an exception (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp and
 * the REQUIRED_PASSWORD case of setHTTPResponseStatusAndHeadersForException), by error name;
 * the engine turns the names into codes at start (errorCodeToName).
 */
const STATUS_BY_ERROR: Record<number, readonly string[]> = {
  401: ['REQUIRED_PASSWORD'],
  403: ['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED'],
  400: [
    'BAD_ARGUMENTS', 'CANNOT_COMPILE_REGEXP', 'CANNOT_PARSE_TEXT', 'CANNOT_PARSE_ESCAPE_SEQUENCE',
    'CANNOT_PARSE_QUOTED_STRING', 'CANNOT_PARSE_DATE', 'CANNOT_PARSE_DATETIME', 'CANNOT_PARSE_NUMBER',
    'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING', 'CANNOT_PARSE_IPV4', 'CANNOT_PARSE_IPV6',
    'CANNOT_PARSE_INPUT_ASSERTION_FAILED', 'CANNOT_PARSE_UUID', 'DUPLICATE_COLUMN', 'ILLEGAL_COLUMN',
    'UNKNOWN_ELEMENT_IN_AST', 'UNKNOWN_TYPE_OF_AST_NODE', 'THERE_IS_NO_COLUMN', 'TOO_DEEP_AST', 'TOO_BIG_AST',
    'UNEXPECTED_AST_STRUCTURE', 'SYNTAX_ERROR', 'INCORRECT_DATA', 'TYPE_MISMATCH', 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  ],
  404: [
    'UNKNOWN_TABLE', 'UNKNOWN_FUNCTION', 'UNKNOWN_IDENTIFIER', 'UNKNOWN_TYPE', 'UNKNOWN_STORAGE', 'UNKNOWN_DATABASE',
    'UNKNOWN_SETTING', 'UNKNOWN_DIRECTION_OF_SORTING', 'UNKNOWN_AGGREGATE_FUNCTION', 'UNKNOWN_FORMAT',
    'UNKNOWN_DATABASE_ENGINE', 'UNKNOWN_TYPE_OF_QUERY', 'UNKNOWN_ROLE',
  ],
  413: ['QUERY_IS_TOO_LARGE'],
  501: ['NOT_IMPLEMENTED'],
  503: ['SOCKET_TIMEOUT', 'CANNOT_OPEN_FILE', 'CANNOT_SCHEDULE_TASK'],
  411: ['HTTP_LENGTH_REQUIRED'],
  408: ['TIMEOUT_EXCEEDED'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
};

/** The response codec the server would pick from Accept-Encoding, or undefined. */
function responseCodec(request: IncomingMessage, url: URL): 'zstd' | 'br' | 'gzip' | 'deflate' | undefined {
  const enabled = url.searchParams.get('enable_http_compression');
  if (enabled !== '1' && enabled?.toLowerCase() !== 'true') return undefined;
  const accepted = headerValue(request, 'accept-encoding').toLowerCase();
  for (const codec of ['zstd', 'br', 'gzip', 'deflate'] as const) {
    if (accepted.includes(codec)) return codec;
  }
  return undefined;
}

function encode(body: Buffer, codec: ReturnType<typeof responseCodec>, url: URL): Buffer {
  const level = Number(url.searchParams.get('http_zlib_compression_level') ?? 3);
  switch (codec) {
    case 'gzip':
      return zlib.gzipSync(body, { level });
    case 'deflate':
      return zlib.deflateSync(body, { level });
    case 'br':
      return zlib.brotliCompressSync(body);
    case 'zstd':
      return zlib.zstdCompressSync(body);
    default:
      return body;
  }
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, codec: ReturnType<typeof responseCodec>, url: URL): void {
  const encoded = encode(body, codec, url);
  response.writeHead(status, {
    ...headers,
    ...(codec === undefined ? {} : { 'Content-Encoding': codec }),
    'Content-Length': String(encoded.length),
    'X-ClickHouse-Server-Display-Name': DISPLAY_NAME,
  });
  response.end(encoded);
}

async function handle(request: IncomingMessage, response: ServerResponse, options: FrontOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://front');
  const method = request.method ?? 'GET';
  const queryId = url.searchParams.get('query_id') || randomUUID();
  const codec = responseCodec(request, url);
  const text = (status: number, body: string): void => send(response, status, { 'Content-Type': 'text/plain; charset=UTF-8' }, Buffer.from(body), undefined, url);

  if ((method === 'GET' || method === 'HEAD') && (url.pathname === '/ping' || (url.pathname === '/' && !url.searchParams.has('query')))) {
    text(200, 'Ok.\n');
    return;
  }
  if (url.pathname !== '/') {
    request.resume();
    text(404, `There is no handle ${url.pathname}\n\nUse / or /ping for health checks.\n`);
    return;
  }
  try {
    if (method !== 'GET' && method !== 'POST') {
      throw exception(48, 'NOT_IMPLEMENTED', `HTTP method ${method} is not supported by this test front`);
    }
    const raw = await readBody(request);
    authenticate(request, url, options);
    if (url.searchParams.has('session_id')) {
      throw exception(48, 'NOT_IMPLEMENTED', 'session_id is not supported by this test front');
    }
    if (headerValue(request, 'content-type').toLowerCase().startsWith('multipart/form-data')) {
      throw exception(48, 'NOT_IMPLEMENTED', 'multipart/form-data query parameters are not supported by this test front');
    }
    const body = decodeBody(raw, headerValue(request, 'content-encoding'));
    const executed = await options.engine.run(engineRequest(url, body));
    send(response, 200, {
      'Content-Type': contentType(executed.format),
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Format': executed.format,
      'X-ClickHouse-Timezone': options.engine.timezone,
      'X-ClickHouse-Summary': JSON.stringify(executed.summary),
    }, executed.body, codec, url);
  } catch (error) {
    const failed = engineError(error);
    if (!request.complete) {
      // A refused oversized body is not read to its end; the connection cannot be reused.
      response.setHeader('Connection', 'close');
      response.once('finish', () => request.destroy());
    }
    const message = /\(version [^)]*\)\s*$/.test(failed.message) ? failed.message : `${failed.message} (version ${options.engine.version})`;
    send(response, options.engine.statusByCode.get(failed.code) ?? 500, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Exception-Code': String(failed.code),
      'X-ClickHouse-Timezone': options.engine.timezone,
    }, Buffer.from(`${message}\n`), codec, url);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      user: { type: 'string', default: 'default' },
      password: { type: 'string', default: '' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'];
  if (dataDir === undefined || dataDir === '') throw new Error('--data-dir is required');
  mkdirSync(dataDir, { recursive: true });
  const engine = await Engine.open(dataDir);
  const options: FrontOptions = { engine, user: values.user, password: values.password };

  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      process.stderr.write(`clickhouse-http-front: ${String(error)}\n`);
      response.destroy();
    });
  });
  // The server's default keep_alive_timeout (10 s) is above the client's idle socket TTL (2.5 s).
  server.keepAliveTimeout = 10_000;
  server.listen(Number(values.port), values.host, () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected server address');
    process.stdout.write(`${JSON.stringify({ url: `http://${values.host}:${address.port}` })}\n`);
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    engine
      .close()
      .then(() => {
        server.closeAllConnections();
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`clickhouse-http-front: closing the engine failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`clickhouse-http-front: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
