#!/usr/bin/env node
// `npm run eval`: the labelled evaluation of the detectors (README "Evaluation").
import { writeFile } from 'node:fs/promises';
import { EVAL_USAGE, parseEvalArgs } from './eval-args.ts';
import { summarize } from './eval-metrics.ts';
import { formatReport } from './eval-report.ts';
import { runEvaluation } from './eval-runner.ts';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseEvalArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`run-eval: ${parsed.message}\n${EVAL_USAGE}\n`);
    return 2;
  }
  const { options, out, strict } = parsed.args;
  // Progress only on a terminal: a log file gets the report alone.
  const tty = process.stderr.isTTY === true;
  const run = runEvaluation({ ...options, ...(tty ? { onProgress: (spans: number) => process.stderr.write(`\r${spans} spans`) } : {}) });
  if (tty) process.stderr.write('\r\x1b[K');
  const result = summarize(run, options);
  process.stdout.write(`${formatReport(result)}\n`);
  if (out !== null) {
    try {
      await writeFile(out, `${JSON.stringify({ ...result, policy: run.generator.policy.text }, null, 2)}\n`);
    } catch (error) {
      process.stderr.write(`run-eval: cannot write ${out}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  return strict && result.targets.some((target) => !target.met) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
