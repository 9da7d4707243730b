import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode } from '../errors/warden-error.ts';

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  WARDEN_API_BAD_REQUEST: 400,
  WARDEN_API_UNAUTHORIZED: 401,
  WARDEN_API_NOT_FOUND: 404,
  WARDEN_ALERT_OWNED_ELSEWHERE: 409,
  WARDEN_PIPELINE_SATURATED: 429,
  WARDEN_PIPELINE_STOPPING: 503,
  WARDEN_STORE_UNAVAILABLE: 503,
};

export function sendApiError(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.code(STATUS_OF[code] ?? 500).send({ code, message });
}

/** Zod issues as one line a user can act on: `[0].trace_id: trace_id must be 32 hex characters`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '') || 'body'}: ${issue.message}`)
    .join('; ');
}
