import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/warden-error.ts';
import { configSchema, type WardenConfig } from './config-schema.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** WARDEN_* variable -> path in the config object, and how to read its text. */
const ENV_BINDINGS: ReadonlyArray<[string, string[], (raw: string) => unknown]> = [
  ['WARDEN_OTLP_GRPC_ADDR', ['otlp', 'grpcAddr'], String],
  ['WARDEN_OTLP_HTTP_ADDR', ['otlp', 'httpAddr'], String],
  ['WARDEN_OTLP_MAX_REQUEST_BYTES', ['otlp', 'maxRequestBytes'], Number],
  ['WARDEN_INGEST_TOKENS', ['otlp', 'ingestTokens'], splitList],
  ['WARDEN_API_ADDR', ['api', 'addr'], String],
  ['WARDEN_API_TOKEN', ['api', 'token'], String],
  ['WARDEN_DATA_DIR', ['storage', 'dataDir'], String],
  ['WARDEN_CLICKHOUSE_URL', ['storage', 'clickhouseUrl'], String],
  ['WARDEN_CLICKHOUSE_USER', ['storage', 'username'], String],
  ['WARDEN_CLICKHOUSE_PASSWORD', ['storage', 'password'], String],
  ['WARDEN_CLICKHOUSE_DATABASE', ['storage', 'database'], String],
  ['WARDEN_CLICKHOUSE_TLS_CA', ['storage', 'tls', 'caFile'], String],
  ['WARDEN_CLICKHOUSE_TLS_CERT', ['storage', 'tls', 'certFile'], String],
  ['WARDEN_CLICKHOUSE_TLS_KEY', ['storage', 'tls', 'keyFile'], String],
  ['WARDEN_CLICKHOUSE_CLUSTER', ['storage', 'cluster'], String],
  ['WARDEN_TTL_DAYS', ['storage', 'ttlDays'], Number],
  ['WARDEN_MAX_QUEUED_SPANS', ['storage', 'maxQueuedSpans'], Number],
  ['WARDEN_JOURNAL', ['storage', 'journal', 'enabled'], parseBoolean],
  ['WARDEN_JOURNAL_DIR', ['storage', 'journal', 'dir'], String],
  ['WARDEN_JOURNAL_MAX_BYTES', ['storage', 'journal', 'maxBytes'], Number],
  ['WARDEN_JOURNAL_FSYNC', ['storage', 'journal', 'fsync'], parseBoolean],
  ['WARDEN_POLICY', ['policyPath'], String],
  ['WARDEN_SUSPEND_URL', ['suspendUrl'], String],
  ['WARDEN_WEBHOOK_URL', ['webhookUrl'], String],
  ['WARDEN_SLACK_WEBHOOK_URL', ['slackWebhookUrl'], String],
  ['WARDEN_PAGERDUTY_ROUTING_KEY', ['pagerduty', 'routingKey'], String],
  ['WARDEN_PAGERDUTY_URL', ['pagerduty', 'url'], String],
  ['WARDEN_PAGERDUTY_MIN_SEVERITY', ['pagerduty', 'minSeverity'], String],
  ['WARDEN_SLACK_MIN_SEVERITY', ['slackMinSeverity'], String],
  ['WARDEN_WEBHOOK_MIN_SEVERITY', ['webhookMinSeverity'], String],
  ['WARDEN_INSTANCE_ID', ['instanceId'], String],
  ['WARDEN_SIGNING_SECRET', ['signingSecret'], String],
  ['WARDEN_PUBLIC_URL', ['publicUrl'], String],
  ['WARDEN_LOG_LEVEL', ['logLevel'], String],
  ['WARDEN_REDACT_PROMPTS', ['redaction', 'prompts'], parseBoolean],
  ['WARDEN_REDACT_KEYS', ['redaction', 'keys'], splitList],
  ['WARDEN_REDACT_PATTERNS', ['redaction', 'patterns'], splitList],
  ['WARDEN_REDACT_MODE', ['redaction', 'mode'], String],
  ['WARDEN_REDACTION_KEY', ['redaction', 'hashKey'], String],
];

/** true/false, 1/0, yes/no; anything else is passed on for the schema to reject by name. */
function parseBoolean(raw: string): unknown {
  const text = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) return true;
  if (['false', '0', 'no'].includes(text)) return false;
  return raw;
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function describeIssues(error: z.ZodError, origin: string): string {
  return error.issues
    .map((issue) => `${origin}: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('\n');
}

/**
 * The only place Warden reads the environment. Empty variables count as unset, so
 * `WARDEN_CLICKHOUSE_URL=` in a compose file means "embedded", as users expect.
 */
export function loadConfig(env: Env): Result<Readonly<WardenConfig>> {
  let fromFile: Record<string, unknown> = {};
  const configPath = env['WARDEN_CONFIG'];
  if (configPath) {
    try {
      const parsed: unknown = parseYaml(readFileSync(configPath, 'utf8'));
      if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
        return fail('WARDEN_CONFIG_INVALID', `${configPath}: expected a YAML mapping at the top level`);
      }
      fromFile = (parsed as Record<string, unknown> | null) ?? {};
    } catch (error) {
      return fail('WARDEN_CONFIG_INVALID', `${configPath}: ${(error as Error).message}`);
    }
  }
  const merged = structuredClone(fromFile);
  for (const [name, path, read] of ENV_BINDINGS) {
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== '') setPath(merged, path, read(raw.trim()));
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    return fail('WARDEN_CONFIG_INVALID', describeIssues(result.error, configPath ? `${configPath} + environment` : 'environment'));
  }
  return ok(deepFreeze(result.data));
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
