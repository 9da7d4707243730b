import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureOf } from '../src/delivery/signature.ts';

export interface Arrival {
  /** performance.now() when the request head arrived. */
  atMs: number;
  agentId: string;
  /** Webhook: the alert kind (alertname); callback: the callback type. */
  kind: string;
  signatureValid: boolean;
}

/**
 * The two outside parties of the latency phase, in the bench process: a webhook receiver
 * (Alertmanager-format notices) and the agent runtime's suspension endpoint. Both answer 200 at
 * once and verify the x-warden-signature HMAC.
 */
export async function startAlertReceivers(signingSecret: string) {
  const notices: Arrival[] = [];
  const callbacks: Arrival[] = [];
  const verify = (req: IncomingMessage, body: string): boolean => {
    const timestamp = String(req.headers['x-warden-timestamp'] ?? '');
    const given = Buffer.from(String(req.headers['x-warden-signature'] ?? ''));
    const expected = Buffer.from(`sha256=${signatureOf(signingSecret, timestamp, body)}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const server = createServer((req, res) => {
    const atMs = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200).end();
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        const signatureValid = verify(req, body);
        if (req.url === '/webhook') {
          const alert = (parsed['alerts'] as Array<{ status: string; labels: Record<string, string> }> | undefined)?.[0];
          if (alert?.status === 'firing') notices.push({ atMs, agentId: alert.labels['agent_id'] ?? '', kind: alert.labels['alertname'] ?? '', signatureValid });
        } else if (req.url === '/suspend') {
          callbacks.push({ atMs, agentId: String(parsed['agent_id'] ?? ''), kind: String(parsed['type'] ?? ''), signatureValid });
        }
      } catch {
        // Not JSON: not one of Warden's; ignored.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    webhookUrl: `${base}/webhook`,
    suspendUrl: `${base}/suspend`,
    notices,
    callbacks,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type AlertReceivers = Awaited<ReturnType<typeof startAlertReceivers>>;
