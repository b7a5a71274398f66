/**
 * One synthesis, in a fresh process, for the benchmark (scripts/bench.ts spawns this file once per run):
 *
 *   tsx bench/synth.ts <case> <outdir> [accounts]
 *
 * Cases: `library-reference`, `baseline-reference`, `library-scale`, `baseline-scale`. Only the modules of the chosen
 * case are loaded (a baseline run never loads the library). cdk-nag is not registered and nothing touches the
 * network. Prints one JSON line: the case, the construction and synthesis times inside the process, its CPU time and
 * its peak RSS.
 */
import { App } from 'aws-cdk-lib';

const [kind, outdir, accountsText] = process.argv.slice(2);
const accounts = accountsText ? Number(accountsText) : undefined;
const started = process.hrtime.bigint();

// Each case loads only its own modules, lazily, so that a baseline run never loads the library (hence require()).
/* eslint-disable @typescript-eslint/no-require-imports */
function build(): App {
  switch (kind) {
    case 'library-reference':
      return (require('../examples/reference-deployment/app') as typeof import('../examples/reference-deployment/app'))
        .createReferenceApp({ outdir, nag: false, env: {} }).app;
    case 'baseline-reference':
      return (require('./baseline-reference') as typeof import('./baseline-reference')).createBaselineReferenceApp({ outdir }).app;
    case 'library-scale':
      return (require('../examples/scale-120/app') as typeof import('../examples/scale-120/app')).createScaleApp({ outdir, accounts }).app;
    case 'baseline-scale':
      return (require('./baseline-scale') as typeof import('./baseline-scale')).createBaselineScaleApp({ outdir, accounts }).app;
    default:
      throw new Error(`unknown case ${kind}; use library-reference, baseline-reference, library-scale or baseline-scale`);
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

function main(): void {
  const app = build();
  const built = process.hrtime.bigint();
  app.synth();
  const done = process.hrtime.bigint();
  report(built, done);
}

function report(built: bigint, done: bigint): void {
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  console.log(JSON.stringify({
    case: kind,
    accounts,
    constructMs: ms(started, built),
    synthMs: ms(built, done),
    // User + system CPU time of the whole process so far (the tsx loader thread included), in milliseconds.
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    // resourceUsage().maxRSS is in kilobytes.
    maxRssKb: process.resourceUsage().maxRSS,
  }));
}

main();
