import { setTimeout as sleep } from 'node:timers/promises';
import type { EncodedPayload } from './encoded-payload.ts';
import { patchPayload, shiftToNow } from './payload-patch.ts';
import type { Sender } from './send-outcome.ts';

export interface DriveOptions {
  payloads: readonly EncodedPayload[];
  send: Sender;
  /** Requests in flight at once (the open throttle), and the cap in rate mode. */
  inFlight: number;
  durationMs: number;
  /** Spans per second to offer; undefined = open throttle (as fast as acknowledged). */
  rateSpansPerSecond?: number;
  /** How long a worker waits after a push-back before its next request. */
  pushbackPauseMs: number;
}

/** Client-side counts, updated live while the drive runs. */
export interface DriveCounts {
  requests: number;
  /** Spans in requests acknowledged, minus partial-success rejections. */
  ackSpans: number;
  rejectedSpans: number;
  pushedBackRequests: number;
  pushedBackSpans: number;
  errors: number;
  lastError: string;
  /** Round trip of acknowledged requests, ms. */
  ackLatenciesMs: number[];
  elapsedMs: number;
}

/**
 * Sends pre-encoded payloads for a fixed time from `inFlight` workers. Worker w only uses
 * payloads w, w + inFlight, ... so a buffer is never patched while another request sends it.
 */
export function drive(options: DriveOptions): { counts: DriveCounts; done: Promise<DriveCounts> } {
  if (options.payloads.length < options.inFlight) throw new Error(`need at least ${options.inFlight} payloads, have ${options.payloads.length}`);
  const counts: DriveCounts = {
    requests: 0,
    ackSpans: 0,
    rejectedSpans: 0,
    pushedBackRequests: 0,
    pushedBackSpans: 0,
    errors: 0,
    lastError: '',
    ackLatenciesMs: [],
    elapsedMs: 0,
  };
  const start = performance.now();
  const end = start + options.durationMs;
  const meanSpans = options.payloads.reduce((sum, p) => sum + p.spans, 0) / options.payloads.length;
  const intervalMs = options.rateSpansPerSecond === undefined ? 0 : (1000 * meanSpans) / options.rateSpansPerSecond;
  let nextAt = start;

  async function worker(w: number): Promise<void> {
    const mine = options.payloads.filter((_, i) => i % options.inFlight === w);
    for (let n = 0; performance.now() < end; n++) {
      if (intervalMs > 0) {
        const at = nextAt;
        nextAt += intervalMs;
        const wait = at - performance.now();
        if (wait > 0) await sleep(wait);
        if (performance.now() >= end) break;
      }
      const payload = mine[n % mine.length]!;
      patchPayload(payload, shiftToNow(payload));
      const sentAt = performance.now();
      const outcome = await options.send(payload.bytes);
      counts.requests++;
      if (outcome.kind === 'ok') {
        counts.ackSpans += payload.spans - outcome.rejected;
        counts.rejectedSpans += outcome.rejected;
        counts.ackLatenciesMs.push(performance.now() - sentAt);
      } else if (outcome.kind === 'pushback') {
        counts.pushedBackRequests++;
        counts.pushedBackSpans += payload.spans;
        await sleep(options.pushbackPauseMs);
      } else {
        counts.errors++;
        counts.lastError = outcome.message;
        await sleep(50);
      }
    }
  }

  const done = Promise.all(Array.from({ length: options.inFlight }, (_, w) => worker(w))).then(() => {
    counts.elapsedMs = performance.now() - start;
    return counts;
  });
  return { counts, done };
}
