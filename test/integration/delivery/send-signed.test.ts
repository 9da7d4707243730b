import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendSigned } from '../../../src/delivery/send-signed.ts';
import { startReceiver } from './fixtures/receiver.ts';

describe('sendSigned (real HTTP)', () => {
  it('retries a receiver that does not answer within the timeout', async () => {
    // A server that accepts the connection and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    expect(await sendSigned({ url: `http://127.0.0.1:${port}/`, body: '{}', timeoutMs: 200 })).toEqual({ type: 'retry', message: 'timed out' });
    expect(Date.now() - started).toBeLessThan(2000);
    silent.closeAllConnections();
    silent.close();
  });

  it('does not follow redirects, and quotes a short error body', async () => {
    const receiver = await startReceiver((_, n) =>
      n === 0 ? { status: 308, headers: { location: 'http://elsewhere.invalid/' } } : { status: 404, body: `channel_not_found${' '.repeat(10)}\n${'x'.repeat(2000)}` },
    );
    expect(await sendSigned({ url: receiver.url, body: '{}' })).toEqual({ type: 'failed', status: 308, message: 'HTTP 308' });
    const notFound = await sendSigned({ url: receiver.url, body: '{}' });
    expect(notFound).toMatchObject({ type: 'failed', status: 404 });
    expect(notFound.type === 'failed' && notFound.message.startsWith('HTTP 404: channel_not_found x')).toBe(true);
    expect(notFound.type === 'failed' && notFound.message.length).toBeLessThan(600);
    await receiver.close();
  });

  it('retries a refused connection, naming it', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    await receiver.close();
    expect(await sendSigned({ url: receiver.url, body: '{}' })).toMatchObject({ type: 'retry', message: expect.stringMatching(/^network error: ECONNREFUSED/) });
  });
});
