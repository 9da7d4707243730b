import { Agent, request } from 'node:http';
import { decodeExportResponseProto } from '../src/otlp/export-response.ts';
import type { SendOutcome, SenderHandle } from './send-outcome.ts';

/** OTLP/HTTP protobuf: POST /v1/traces on kept-alive connections, one per request in flight. */
export function createHttpSender(baseUrl: string, maxInFlight: number): SenderHandle {
  const url = new URL('/v1/traces', baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  const send = (body: Buffer): Promise<SendOutcome> =>
    new Promise((resolve) => {
      const req = request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status === 429 || status === 503) return resolve({ kind: 'pushback' });
            const payload = Buffer.concat(chunks);
            if (status < 200 || status >= 300) return resolve({ kind: 'error', message: `HTTP ${status}: ${payload.toString('utf8', 0, 200)}` });
            const decoded = decodeExportResponseProto(payload);
            if (!decoded.ok) return resolve({ kind: 'error', message: decoded.error.message });
            resolve({ kind: 'ok', rejected: decoded.value?.rejected ?? 0 });
          });
          res.on('error', (error) => resolve({ kind: 'error', message: error.message }));
        },
      );
      req.on('error', (error) => resolve({ kind: 'error', message: error.message }));
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}
