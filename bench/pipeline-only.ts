// Limit (c) alone (decode + normalize + detect, one core) on the bench's own payloads, for quick
// A/B measurements and profiles of the pipeline without the rest of `npm run bench`.
// Usage: npx node bench/pipeline-only.ts [--seconds 4] [--runs 1] [--seed 1]
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPayloadSet } from './payload-set.ts';
import { loadBenchPolicy, measurePipelineLimit } from './pipeline-limit.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { seconds: { type: 'string', default: '4' }, runs: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' } },
  strict: true,
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
// The same traffic as a full `npm run bench` run (bench-args.ts defaults).
const set = buildPayloadSet({ seed: Number(values.seed), agents: 2000, services: 40, spansPerRequest: 500, payloads: 64 });
const policy = loadBenchPolicy(join(resolve(import.meta.dirname), 'bench-policy.yaml'));
for (let run = 0; run < runs; run++) {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const result = measurePipelineLimit(set.payloads, policy, seconds * 1000);
  const cpu = process.cpuUsage(cpuStart);
  // On a shared machine the process does not get a whole core: the rate per CPU second (this
  // process's share over the whole call, warm-up included) is steadier for A/B comparisons.
  const share = (cpu.user + cpu.system) / 1000 / (performance.now() - wallStart);
  process.stdout.write(`${Math.round(result.spansPerSecond)} spans/s, ${Math.round(result.spansPerSecond / share)} spans per CPU second, ${result.findings} findings\n`);
}
