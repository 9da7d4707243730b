// Helpers for replay tests: the shared captures, policies on disk, spans, and the command run
// in-process with its output captured.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { replayCommand } from '../../../src/cli/replay-command.ts';
import type { AgentSpan } from '../../../src/normalizer/agent-span.ts';
import { parsePolicy } from '../../../src/policy/parse-policy.ts';
import type { PolicySet } from '../../../src/policy/policy-set.ts';

export const FIXTURES_DIR = resolve(import.meta.dirname, '../../../../shared/fixtures');
/** Captures holding looping-agent with a session (the broken OpenLLMetry one has none). */
export const LOOPING_FIXTURES = [
  'langchain-openinference.otlp.json',
  'openai-agents-openinference.otlp.json',
  'openai-agents-openinference-chat.otlp.json',
  'openllmetry-openai.otlp.json',
  'otel-openai-genai.otlp.json',
  'vercel-ai-v5.otlp.json',
];

export function fixturePath(file: string): string {
  return join(FIXTURES_DIR, file);
}

const tempDirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-replay-unit-'));
  tempDirs.push(dir);
  return dir;
}

/** For afterAll: removes every directory tempDir() made. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes a file into a fresh temporary directory and returns its path. */
export function tempFile(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

export const STRICT_LOOP_POLICY = 'defaults:\n  loop: { max_identical_calls: 4 }\n';

export function policySet(text: string): PolicySet {
  const parsed = parsePolicy(text, 'test-policy.yaml');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

interface RawRequest {
  resourceSpans: Array<{ resource?: unknown; scopeSpans: Array<{ scope?: unknown; spans: RawSpan[] }> }>;
}
interface RawSpan {
  spanId: string;
  name: string;
  attributes?: Array<{ key: string; value: { stringValue?: string } }>;
}

export function rawRequest(file: string): RawRequest {
  return JSON.parse(readFileSync(fixturePath(file), 'utf8')) as RawRequest;
}

/** Span ids of a capture whose name or a string attribute names the tool: read from the raw
 *  JSON, independently of the decoder and mappers. */
export function spanIdsNaming(file: string, tool: string): string[] {
  const ids: string[] = [];
  for (const rs of rawRequest(file).resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        if (span.name.includes(tool) || (span.attributes ?? []).some((a) => a.value.stringValue === tool)) ids.push(span.spanId);
      }
    }
  }
  return ids;
}

/** The capture as JSON Lines: one request per span, in file order, with its resource and scope. */
export function asJsonLines(file: string, newline = '\n'): string {
  const lines: string[] = [];
  for (const rs of rawRequest(file).resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) lines.push(JSON.stringify({ resourceSpans: [{ resource: rs.resource, scopeSpans: [{ scope: ss.scope, spans: [span] }] }] }));
    }
  }
  return lines.join(newline) + newline;
}

export interface CommandRun {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runReplay(argv: string[], env: Record<string, string> = {}, isTTY = false): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const status = await replayCommand(argv, env, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY },
  });
  return { status, stdout, stderr };
}

export const T0_MS = Date.UTC(2026, 4, 11, 10, 0, 0);
let nextId = 0;

/** A tool call of `agent` in `session` ending at atMs (100 ms long). */
export function toolCall(fields: { agentId?: string; sessionId?: string; atMs: number; tool?: string; argsHash?: string; spanId?: string; traceId?: string }): AgentSpan {
  nextId++;
  return {
    traceId: fields.traceId ?? 'a'.repeat(32),
    spanId: fields.spanId ?? nextId.toString(16).padStart(16, '0'),
    parentSpanId: '',
    traceState: '',
    name: `execute_tool ${fields.tool ?? 'search_docs'}`,
    spanKind: 1,
    startTimeUnixNano: BigInt(fields.atMs - 100) * 1_000_000n,
    durationNs: 100_000_000n,
    serviceName: 'svc',
    scopeName: 'test',
    scopeVersion: '1',
    resourceAttributes: {},
    attributes: {},
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    agentId: fields.agentId ?? 'agent-1',
    agentIdSource: 'span',
    agentName: '',
    agentRole: '',
    sessionId: fields.sessionId ?? 'session-1',
    taskId: '',
    kind: 'tool',
    toolName: fields.tool ?? 'search_docs',
    toolArgsHash: fields.argsHash ?? 'hash-1',
    model: '',
    provider: '',
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    dataClasses: [],
    dataAccess: '',
    target: '',
    delegationFrom: '',
    actionTier: '',
    approvalId: '',
    confidence: null,
    intent: '',
    status: 'ok',
    errorType: '',
  };
}
