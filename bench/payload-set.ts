import { createPrng } from '../src/eval/prng.ts';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodePayload, type EncodedPayload } from './encoded-payload.ts';
import { createFleet, sessionSpans } from './fleet-spans.ts';

export interface PayloadSetOptions {
  seed: number;
  agents: number;
  services: number;
  /** Spans per request, at least (whole sessions are kept together). */
  spansPerRequest: number;
  payloads: number;
}

export interface PayloadSet {
  readonly payloads: EncodedPayload[];
  readonly spans: number;
  readonly bytes: number;
}

// Sessions start within this window of the generation time and end well inside RANGE_NS.
const START_SPREAD_NS = 20_000_000_000n;
const RANGE_NS = 600_000_000_000n;

/**
 * Requests as a collector batching a fleet sends them: several services' sessions per request,
 * every session whole (its root last). Deterministic for a seed; timestamps are around now.
 */
export function buildPayloadSet(options: PayloadSetOptions): PayloadSet {
  const prng = createPrng(options.seed);
  const fleet = createFleet({ agents: options.agents, services: options.services }, prng.fork());
  const baseNs = BigInt(Date.now()) * 1_000_000n;
  const payloads: EncodedPayload[] = [];
  let spans = 0;
  let bytes = 0;
  for (let p = 0; p < options.payloads; p++) {
    const request: ReadableSpan[] = [];
    while (request.length < options.spansPerRequest) {
      const startNs = baseNs + BigInt(Math.floor(prng.next() * Number(START_SPREAD_NS)));
      request.push(...sessionSpans(fleet, prng.int(options.agents), startNs, prng));
    }
    const payload = encodePayload(request, baseNs, RANGE_NS);
    payloads.push(payload);
    spans += payload.spans;
    bytes += payload.bytes.length;
  }
  return { payloads, spans, bytes };
}
