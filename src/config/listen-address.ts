import { z } from 'zod';

export interface ListenAddress {
  host: string;
  /** 0 asks the OS for any free port; the bound port is logged at start-up. */
  port: number;
}

/** Accepts `host:port`, `[v6]:port` or `:port` (loopback, because binding wide must be explicit). */
export const listenAddressSchema = z.string().transform((value, ctx): ListenAddress => {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `expected host:port (e.g. 127.0.0.1:4318), got "${value}"` });
    return z.NEVER;
  }
  const host = match[1] ?? (match[2] || '127.0.0.1');
  return { host, port };
});

export function formatAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
