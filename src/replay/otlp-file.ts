import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fail, ok, type Result } from '../errors/warden-error.ts';
import { decodeTraceRequestJson } from '../otlp/decode-json.ts';
import type { TraceRequest } from '../otlp/otlp-types.ts';

/** A single (not line-delimited) JSON document is read whole; beyond this, write JSON Lines. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
const NEWLINE_BUFFER = Buffer.from('\n');

export interface OtlpFileRequest {
  request: TraceRequest;
  /** 1-based line the request starts on. */
  line: number;
  /** Bytes of the file consumed so far, for progress. */
  bytesRead: number;
}

export interface OtlpFile {
  readonly path: string;
  readonly sizeBytes: number;
  /** The export requests in file order; a failure is the last item. Read once. */
  requests(): AsyncGenerator<Result<OtlpFileRequest>>;
}

/**
 * An OTLP/JSON traces file: one ExportTraceServiceRequest (pretty-printed or not), or JSON
 * Lines of them as the Collector's file exporter writes. The first non-blank line decides:
 * a line that is a whole object (`{...}`) means JSON Lines, read one line at a time in
 * bounded memory; anything else is one document, read whole (at most MAX_DOCUMENT_BYTES).
 */
export async function openOtlpFile(path: string, options: { maxDocumentBytes?: number } = {}): Promise<Result<OtlpFile>> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return fail('WARDEN_REPLAY_INPUT', `${path}: not a regular file`);
    sizeBytes = info.size;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return fail('WARDEN_REPLAY_INPUT', `${path}: cannot read the file (${code ?? message})`);
  }
  return ok({ path, sizeBytes, requests: () => readRequests(path, options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES) });
}

async function* readRequests(path: string, maxDocumentBytes: number): AsyncGenerator<Result<OtlpFileRequest>> {
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  const document: Buffer[] = [];
  let documentBytes = 0;
  try {
    for await (const { line, number, bytesRead } of readLines(path)) {
      if (mode === 'unknown') {
        const text = line.toString('utf8').trim();
        if (text === '') continue;
        mode = text.startsWith('{') && text.endsWith('}') ? 'lines' : 'document';
      }
      if (mode === 'document') {
        document.push(line, NEWLINE_BUFFER);
        documentBytes += line.length + 1;
        if (documentBytes > maxDocumentBytes) {
          yield fail('WARDEN_REPLAY_INPUT', `${path}: a single JSON document over ${maxDocumentBytes} bytes; write JSON Lines (one request per line) instead`);
          return;
        }
        continue;
      }
      if (isBlank(line)) continue;
      const decoded = decode(line, `${path}:${number}`, number, bytesRead);
      yield decoded;
      if (!decoded.ok) return;
    }
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    yield fail('WARDEN_REPLAY_INPUT', `${path}: cannot read the file (${code ?? message})`);
    return;
  }
  if (mode === 'document') yield decode(Buffer.concat(document), path, 1, documentBytes);
}

/** The file's lines as bytes (without the newline), with the bytes consumed up to each. */
async function* readLines(path: string): AsyncGenerator<{ line: Buffer; number: number; bytesRead: number }> {
  let pending: Buffer[] = [];
  let number = 0;
  let bytesRead = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      const line = pending.length === 0 ? chunk.subarray(start, newline) : Buffer.concat([...pending, chunk.subarray(start, newline)]);
      pending = [];
      start = newline + 1;
      bytesRead += line.length + 1;
      yield { line, number: ++number, bytesRead };
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) {
    const line = Buffer.concat(pending);
    yield { line, number: ++number, bytesRead: bytesRead + line.length };
  }
}

function decode(body: Buffer, where: string, line: number, bytesRead: number): Result<OtlpFileRequest> {
  const decoded = decodeTraceRequestJson(body);
  if (!decoded.ok) return fail('WARDEN_REPLAY_INPUT', `${where}: not an OTLP/JSON ExportTraceServiceRequest: ${decoded.error.message}`);
  return ok({ request: decoded.value, line, bytesRead });
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
