// Stands in for the agent runtime: receives Warden's suspension callbacks, checks the signature
// and tells the simulated agent to stop, the way a real runtime honours the kill switch.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  readonly type: string;
  readonly agentId: string;
  readonly idempotencyKey: string;
  readonly signatureOk: boolean;
  readonly alertKind: string | null;
  readonly at: Date;
}

export interface CallbackReceiver {
  readonly url: string;
  readonly received: readonly ReceivedCallback[];
  close(): Promise<void>;
}

export function verifySignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface ReceiverAddress {
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
}

/** Callbacks remembered (for the summary and to spot retries); a long-running fleet forgets the oldest. */
const MAX_REMEMBERED = 10_000;

/**
 * Listens on 127.0.0.1 and a free port unless told otherwise (a container binds 0.0.0.0 and a
 * known port, so Warden's WARDEN_SUSPEND_URL can name it). Every POST is a callback; GET /healthz
 * answers 200 for container health checks.
 */
export async function startCallbackReceiver(
  secret: string,
  onCallback: (callback: ReceivedCallback) => void,
  listen: ReceiverAddress = { host: '127.0.0.1', port: 0 },
): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const server: Server = createServer((request, response) => {
    if (request.method !== 'POST') {
      request.resume();
      const health = request.method === 'GET' && request.url === '/healthz';
      response.writeHead(health ? 200 : 405, health ? {} : { allow: 'POST' }).end(health ? 'ok\n' : '');
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const timestamp = String(request.headers['x-warden-timestamp'] ?? '');
      const signatureOk = verifySignature(secret, timestamp, body, String(request.headers['x-warden-signature'] ?? ''));
      let parsed: { type?: unknown; agent_id?: unknown; alert?: { kind?: unknown } | null } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        // An unreadable body is still shown, as a failed signature or an unknown type.
      }
      const callback: ReceivedCallback = {
        type: String(parsed.type ?? 'unknown'),
        agentId: String(parsed.agent_id ?? 'unknown'),
        idempotencyKey: String(request.headers['idempotency-key'] ?? ''),
        signatureOk,
        alertKind: parsed.alert && typeof parsed.alert.kind === 'string' ? parsed.alert.kind : null,
        at: new Date(),
      };
      // A retry of a callback already acted on is acknowledged without a second effect.
      const repeat = received.some((r) => r.idempotencyKey !== '' && r.idempotencyKey === callback.idempotencyKey);
      if (!repeat) {
        received.push(callback);
        if (received.length > MAX_REMEMBERED) received.shift();
        // Before answering: once Warden counts the callback delivered, the agent has stopped.
        onCallback(callback);
      }
      // A forged callback is refused, as a runtime must.
      response.writeHead(signatureOk ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${listen.host}:${port}/agents/callback`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
