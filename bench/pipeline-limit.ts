import { readFileSync } from 'node:fs';
import { createDetectorSet } from '../src/detector/create-detector-set.ts';
import { createNormalizer } from '../src/normalizer/create-normalizer.ts';
import { decodeTraceRequestProto } from '../src/otlp/decode-proto.ts';
import { parsePolicy } from '../src/policy/parse-policy.ts';
import type { PolicySet } from '../src/policy/policy-set.ts';
import type { EncodedPayload } from './encoded-payload.ts';
import { patchPayload, shiftToNow } from './payload-patch.ts';
import { timedLoop } from './timed-loop.ts';

export function loadBenchPolicy(path: string): PolicySet {
  const parsed = parsePolicy(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

export interface PipelineLimit {
  spansPerSecond: number;
  /** Findings the background traffic raised (expected 0: it is built not to). */
  findings: number;
  /** Share of the timed loop spent patching payloads (left out of the rate). */
  patchPercent: number;
}

/**
 * Limit (c): what Warden does to a request besides storing it, on one core: decode, normalize
 * (identity resolution included) and every detector with the bench policy, wired as
 * ingest-pipeline.ts and detection-stage.ts do. Each pass patches the payload first (a new
 * send), as the load generator does, so detectors see new sessions, not a replayed loop; the
 * patching is the bench's work, timed apart and left out of the rate.
 */
export function measurePipelineLimit(payloads: readonly EncodedPayload[], policy: PolicySet, durationMs: number): PipelineLimit {
  const normalizer = createNormalizer();
  const detectors = createDetectorSet({ policyFor: (agentId) => policy.forAgent(agentId) });
  let findings = 0;
  let next = 0;
  let patchMs = 0;
  const step = (): number => {
    const payload = payloads[next++ % payloads.length]!;
    const patchStart = performance.now();
    patchPayload(payload, shiftToNow(payload));
    patchMs += performance.now() - patchStart;
    const decoded = decodeTraceRequestProto(payload.bytes);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const spans = normalizer.normalizeTraces(decoded.value);
    normalizer.outcomesFromSpans(spans);
    normalizer.takeReattributions();
    findings += detectors.observe(spans).length;
    return spans.length;
  };
  const rate = timedLoop(step, durationMs, Math.min(1500, durationMs / 3), () => patchMs);
  return { spansPerSecond: rate.perSecond, findings, patchPercent: (100 * rate.setupSeconds) / (rate.seconds + rate.setupSeconds) };
}
