// The detectors' memory with many agents, in its own process (run with --expose-gc) so the heap
// holds nothing else: every agent sends one session through the normalizer into the detector
// set with the bench policy (every budget set, so every detector keeps state per agent); heap
// used after a full GC with only the detector set alive, minus before it existed.
import { createPrng } from '../src/eval/prng.ts';
import { createDetectorSet } from '../src/detector/create-detector-set.ts';
import { createNormalizer } from '../src/normalizer/create-normalizer.ts';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createFleet, sessionSpans } from './fleet-spans.ts';
import { loadBenchPolicy } from './pipeline-limit.ts';
import { toTraceRequest } from './trace-request.ts';

export interface DetectorMemoryArgs {
  agents: number;
  services: number;
  seed: number;
  policyPath: string;
}

export interface DetectorMemoryResult {
  agents: number;
  spans: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  bytesPerAgent: number;
  rssMiB: number;
  /** Agents the detectors report tracking (stats), to show the state is really there. */
  trackedAgents: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as DetectorMemoryArgs;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const MiB = 1024 * 1024;
const policy = loadBenchPolicy(args.policyPath);
const prng = createPrng(args.seed);
const fleet = createFleet({ agents: args.agents, services: args.services }, prng.fork());
gc();
const heapBefore = process.memoryUsage().heapUsed;
const detectors = createDetectorSet({ policyFor: (agentId) => policy.forAgent(agentId) });
let normalizer: ReturnType<typeof createNormalizer> | undefined = createNormalizer();
const baseNs = BigInt(Date.now()) * 1_000_000n;
let spans = 0;
let batch: ReadableSpan[] = [];
const flush = (): void => {
  const normalized = normalizer!.normalizeTraces(toTraceRequest(batch));
  normalizer!.takeReattributions();
  detectors.observe(normalized);
  spans += normalized.length;
  batch = [];
};
for (let agent = 0; agent < args.agents; agent++) {
  // Sessions spread over ten minutes of span clock, as a fleet's would be.
  const startNs = baseNs + BigInt(Math.floor((agent / args.agents) * 600e9));
  batch.push(...sessionSpans(fleet, agent, startNs, prng));
  if (batch.length >= 500) flush();
  if (agent % 20_000 === 0 && agent > 0) process.stderr.write(`  detector memory: ${agent} agents fed\n`);
}
if (batch.length > 0) flush();
normalizer = undefined; // its identity cache is not detector state
gc();
gc();
const heapAfter = process.memoryUsage().heapUsed;
const stats = detectors.stats();
const trackedAgents = Math.max(0, ...stats.detectors.map((d) => d.tables['agents']?.size ?? 0));
const result: DetectorMemoryResult = {
  agents: args.agents,
  spans,
  heapBeforeMiB: heapBefore / MiB,
  heapAfterMiB: heapAfter / MiB,
  bytesPerAgent: (heapAfter - heapBefore) / args.agents,
  rssMiB: process.memoryUsage().rss / MiB,
  trackedAgents,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
