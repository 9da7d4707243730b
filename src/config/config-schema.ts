import { z } from 'zod';
import { BUILTIN_PATTERN_NAMES } from '../redaction/value-patterns.ts';
import { DEFAULT_BATCH_ROWS } from '../store/batch-writer.ts';
import { listenAddressSchema } from './listen-address.ts';

const MiB = 1024 * 1024;
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)');
const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

const severitySchema = z.enum(['info', 'warning', 'critical']);

const regexSource = z.string().min(1).refine((source) => {
  try {
    new RegExp(source, 'g');
    return true;
  } catch {
    return false;
  }
}, 'not a valid JavaScript regular expression');

const priceSchema = z.object({
  input: z.number().nonnegative().describe('USD per million input tokens'),
  output: z.number().nonnegative().describe('USD per million output tokens'),
});

/**
 * Every setting Warden reads, with its default and unit. Parsed once at start-up from the
 * optional YAML file (WARDEN_CONFIG) overlaid by WARDEN_* environment variables, then frozen.
 */
export const configSchema = z.object({
  otlp: z
    .object({
      grpcAddr: listenAddressSchema.prefault('127.0.0.1:4317'),
      httpAddr: listenAddressSchema.prefault('127.0.0.1:4318'),
      /** Bytes; applies to the request body after decompression too (OTLP recommends 64 MiB). */
      maxRequestBytes: z.number().int().positive().default(64 * MiB),
      /** Bearer tokens accepted on OTLP; empty = ingest is open. */
      ingestTokens: z.array(z.string().min(1)).default([]),
      /** Seconds a saturated receiver asks clients to wait (Retry-After / RetryInfo). */
      retryAfterSeconds: z.number().int().positive().default(2),
    })
    .prefault({}),
  api: z
    .object({
      addr: listenAddressSchema.prefault('127.0.0.1:4320'),
      /** Bearer token for the REST API; when set, write endpoints require it. */
      token: z.string().min(1).optional(),
      /** Bytes; JSON bodies of the REST API. */
      maxBodyBytes: z.number().int().positive().default(1 * MiB),
    })
    .prefault({}),
  storage: z
    .object({
      dataDir: z.string().min(1).default('./data'),
      /** Unset = the embedded engine under dataDir. */
      clickhouseUrl: optionalUrl,
      username: z.string().optional(),
      password: z.string().optional(),
      database: identifier.default('warden'),
      /** A ClickHouse cluster name: DDL ON CLUSTER, Replicated and Distributed tables. Unset = one node. */
      cluster: identifier.optional(),
      /**
       * TLS to a ClickHouse server (an https:// URL): a CA bundle to trust, and optionally a
       * client certificate and key for mutual TLS. PEM file paths.
       */
      tls: z
        .object({ caFile: z.string().min(1), certFile: z.string().min(1).optional(), keyFile: z.string().min(1).optional() })
        .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), 'certFile and keyFile go together (mutual TLS)')
        .optional(),
      /** Days spans and outcomes are kept; 0 keeps them forever. */
      ttlDays: z.number().int().nonnegative().default(30),
      /** Rows per insert (see DEFAULT_BATCH_ROWS). */
      batchRows: z.number().int().positive().default(DEFAULT_BATCH_ROWS),
      /** Milliseconds a partial batch waits before it is written. */
      flushIntervalMs: z.number().int().positive().default(200),
      /**
       * Spans held in memory awaiting insert; beyond this receivers answer 429/UNAVAILABLE, or,
       * while ClickHouse is failing, requests wait in the journal. Default 50 000 with the
       * journal (measured: same throughput, 290 MiB less peak RSS than 200 000), 200 000 without.
       */
      maxQueuedSpans: z.number().int().positive().optional(),
      /**
       * The write-ahead journal: a request is acknowledged once its rows are on disk
       * (fdatasync), replayed after a crash, and spilled to while ClickHouse is slow or down.
       */
      journal: z
        .object({
          enabled: z.boolean().default(true),
          /** Default <dataDir>/journal. */
          dir: z.string().min(1).optional(),
          /** Bytes of rows not yet in ClickHouse held on disk; beyond this, receivers push back. */
          maxBytes: z.number().int().positive().default(1024 * MiB),
          /** false skips fdatasync: a process crash still loses nothing, a power loss may lose the last acknowledged writes. */
          fsync: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  normalizer: z
    .object({
      /** Spans whose agent identity is remembered so later children inherit it. */
      identityCacheSpans: z.number().int().positive().default(100_000),
      /** Overrides of the shipped price table, keyed by model name. */
      prices: z.record(z.string(), priceSchema).default({}),
    })
    .prefault({}),
  /** What is removed from spans before anything stores or forwards them (README "Redaction"). */
  redaction: z
    .object({
      /** Message content: prompts, completions, system instructions, tool call arguments and results. */
      prompts: z.boolean().default(false),
      /** Attribute keys to redact, `*` matching any characters (span, resource, event, link attributes). */
      keys: z.array(z.string().min(1)).default([]),
      /** Built-in value patterns redacted inside every string attribute. */
      patterns: z.array(z.enum(BUILTIN_PATTERN_NAMES)).default([]),
      /** More value patterns (YAML only): a name for the marker and a regular expression; keep it linear. */
      customPatterns: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ - (1-40)'), regex: regexSource })).default([]),
      /** remove: keys dropped, matches replaced by [redacted:<pattern>]; hash: both replaced by an HMAC-SHA256 of the value. */
      mode: z.enum(['remove', 'hash']).default('remove'),
      /** The HMAC key of hash mode (at least 16 characters): without it, hashes of short values like card numbers can be reversed. */
      hashKey: z.string().min(16, 'at least 16 characters').optional(),
    })
    .refine((redaction) => redaction.mode !== 'hash' || redaction.hashKey !== undefined, {
      message: 'mode "hash" needs a hash key (WARDEN_REDACTION_KEY)',
      path: ['hashKey'],
    })
    .prefault({}),
  policyPath: z.string().optional(),
  suspendUrl: optionalUrl,
  webhookUrl: optionalUrl,
  slackWebhookUrl: optionalUrl,
  pagerduty: z
    .object({
      routingKey: z.string().optional(),
      url: z.url().default('https://events.pagerduty.com/v2/enqueue'),
      /** Lowest alert severity paged. */
      minSeverity: severitySchema.default('critical'),
    })
    .prefault({}),
  /** Lowest alert severity sent to Slack and to the generic webhook. */
  slackMinSeverity: severitySchema.default('warning'),
  webhookMinSeverity: severitySchema.default('warning'),
  /**
   * Names this Warden's chain in the shared actions log. Several Wardens writing to one
   * ClickHouse need distinct, stable ids (e.g. the pod name of a StatefulSet).
   */
  instanceId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, . _ - (1-64)').default('default'),
  signingSecret: z.string().min(1).optional(),
  /** Base URL people reach this Warden's API at, for links in notifications; default the API address. */
  publicUrl: optionalUrl,
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type WardenConfig = z.output<typeof configSchema>;
export type WardenConfigInput = z.input<typeof configSchema>;
