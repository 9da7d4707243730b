// Long-running fuzzer: the properties of test/unit/otlp/decoder-fuzz.test.ts and
// test/unit/normalizer/mapper-fuzz.test.ts (test/fuzz/*-properties.ts) for millions of inputs.
//
//   npx node scripts/fuzz.ts [--seconds S] [--runs N] [--only TEXT] [--seed N [--path P]]
//
// Time-bounded (default 180 s) and/or input-bounded; each property gets an equal share of the
// time, in batches of fresh seeds. Prints inputs/s per property, the slowest single decode and
// normalization, and peak RSS. On a failure it prints the property, seed and shrink path, and
// the command that replays exactly that counterexample; the exit code is then 1.
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { decoderProperties, decodeStats, type NamedProperty } from '../test/fuzz/decoder-properties.ts';
import { mapperProperties, normalizeStats } from '../test/fuzz/mapper-properties.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '180' },
    runs: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
  },
});

const seconds = Number(values.seconds);
const maxRuns = values.runs === undefined ? Number.POSITIVE_INFINITY : Number(values.runs);
if (!(seconds > 0) || !(maxRuns > 0)) {
  console.error('usage: npx node scripts/fuzz.ts [--seconds S] [--runs N] [--only TEXT] [--seed N [--path P]]');
  process.exit(2);
}

const all = [...decoderProperties(), ...mapperProperties()];
const selected = values.only === undefined ? all : all.filter((p) => p.name.includes(values.only as string));
if (selected.length === 0) {
  console.error(`no property matches --only ${values.only}; properties:\n${all.map((p) => `  ${p.name}`).join('\n')}`);
  process.exit(2);
}

function reportFailure(property: NamedProperty, details: fc.RunDetails<never>): never {
  const counterexample = fc.stringify(details.counterexample);
  console.error(`\nFAILED: ${property.name}`);
  console.error(`  seed ${details.seed}, path ${details.counterexamplePath ?? '(none)'}, after ${details.numRuns} runs (${details.numShrinks} shrinks)`);
  console.error(`  error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  console.error(`  counterexample: ${counterexample.length > 2000 ? `${counterexample.slice(0, 2000)}... (${counterexample.length} chars)` : counterexample}`);
  console.error('  replay:');
  console.error(`    npx node scripts/fuzz.ts --only ${JSON.stringify(property.name)} --seed ${details.seed} --path ${JSON.stringify(details.counterexamplePath ?? '')}`);
  console.error(`    fc.assert(property, { seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath ?? '')}, endOnFailure: true })`);
  process.exit(1);
}

// Replay one counterexample.
if (values.seed !== undefined) {
  const seed = Number(values.seed);
  for (const property of selected) {
    const details = fc.check(property.property, { seed, ...(values.path ? { path: values.path } : {}), endOnFailure: true, numRuns: 1000 });
    if (details.failed) reportFailure(property, details);
    console.log(`passes: ${property.name} (seed ${seed})`);
  }
  process.exit(0);
}

interface Tally {
  runs: number;
  ms: number;
  batch: number;
}

const tallies = new Map<NamedProperty, Tally>(selected.map((p) => [p, { runs: 0, ms: 0, batch: 100 }]));
const started = performance.now();
const deadline = started + seconds * 1000;
let total = 0;
let peakRss = 0;
let lastReport = started;
// A fresh seed per batch; the base seed is printed so a whole session can be repeated.
const baseSeed = Date.now() ^ (process.pid << 16);
let batchNo = 0;
console.log(`fuzzing ${selected.length} properties for ${seconds} s${Number.isFinite(maxRuns) ? ` or ${maxRuns} inputs` : ''} (base seed ${baseSeed})`);

const BATCH_TARGET_MS = 500;
outer: while (performance.now() < deadline && total < maxRuns) {
  for (const property of selected) {
    const tally = tallies.get(property) as Tally;
    const numRuns = Math.max(1, Math.min(tally.batch, maxRuns - total));
    const seed = (baseSeed + batchNo++ * 0x9e3779b1) | 0;
    const start = performance.now();
    const details = fc.check(property.property, { seed, numRuns });
    const ms = performance.now() - start;
    if (details.failed) reportFailure(property, details);
    tally.runs += numRuns;
    tally.ms += ms;
    total += numRuns;
    // Aim each batch at BATCH_TARGET_MS so slow and fast properties share the time evenly.
    tally.batch = Math.max(10, Math.min(100_000, Math.round((numRuns * BATCH_TARGET_MS) / Math.max(ms, 1))));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const now = performance.now();
    if (now - lastReport > 30_000) {
      lastReport = now;
      console.log(`  ${((now - started) / 1000).toFixed(0)} s: ${total.toLocaleString('en')} inputs, ${Math.round(total / ((now - started) / 1000)).toLocaleString('en')}/s, RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    }
    if (now >= deadline || total >= maxRuns) break outer;
  }
}

const elapsed = (performance.now() - started) / 1000;
console.log(`\n${total.toLocaleString('en')} inputs in ${elapsed.toFixed(1)} s: ${Math.round(total / elapsed).toLocaleString('en')} inputs/s, no failure`);
for (const [property, tally] of tallies) {
  console.log(`  ${tally.runs.toLocaleString('en').padStart(11)}  ${Math.round(tally.runs / (tally.ms / 1000)).toLocaleString('en').padStart(8)}/s  ${property.name}`);
}
console.log(`slowest decode ${decodeStats.maxMs.toFixed(1)} ms, slowest normalization ${normalizeStats.maxMs.toFixed(1)} ms`);
console.log(`peak RSS ${(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0)} MiB`);
