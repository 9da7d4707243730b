import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { fail, ok, type Result } from '../errors/warden-error.ts';

const gunzipAsync = promisify(gunzip);

/**
 * Inflates a gzip body without ever holding more than `maxBytes` of output, so a small
 * compressed "bomb" is refused with 413 instead of exhausting memory.
 */
export async function decompressBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Result<Buffer>> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '' || encoding === 'none') return ok(body);
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    return fail('WARDEN_OTLP_UNSUPPORTED_ENCODING', `Content-Encoding "${encoding}" is not supported; send gzip or no encoding`);
  }
  try {
    return ok(await gunzipAsync(body, { maxOutputLength: maxBytes }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail('WARDEN_OTLP_TOO_LARGE', `decompressed body exceeds the ${maxBytes}-byte limit`);
    }
    return fail('WARDEN_OTLP_BAD_GZIP', `gzip body could not be decompressed: ${(error as Error).message}`);
  }
}
