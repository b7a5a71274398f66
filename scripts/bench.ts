/**
 * Synthesis benchmark: the library against plain aws-cdk-lib, and the library's growth with the number of spokes.
 *
 *   npm run bench                      # tsx scripts/bench.ts
 *   tsx scripts/bench.ts --runs 5      # more runs per case (default 3)
 *   tsx scripts/bench.ts --scales 10,120 --no-reference
 *
 * In one run on this machine it synthesizes, each case in a fresh `node --import tsx bench/synth.ts …` process that
 * writes a cloud assembly to a temporary directory (nothing is excluded: process start, TypeScript loading, aws-cdk-lib,
 * construction, validation, synthesis, asset staging and writing the templates):
 *   (a) the reference deployment (examples/reference-deployment, createReferenceApp, no cdk-nag);
 *   (b) the 120-account topology (examples/scale-120, createScaleApp);
 *   (c) both written with aws-cdk-lib only (bench/baseline-reference.ts, bench/baseline-scale.ts);
 *   (d) the 120-account topology (library and baseline) at 10, 30, 60 and 120 accounts.
 * One unmeasured warm-up run per case fills the tsx transform cache and the file cache; then the measured runs are
 * interleaved across cases (run 1 of every case, then run 2, …) so that background load spreads over all cases.
 *
 * Per case it records the wall time of the whole process (median, min, max), its CPU time (user + system), its peak
 * RSS (`process.resourceUsage().maxRSS` of the child), the resource count, the number of stacks, the largest template
 * (bytes and resources). It prints a markdown table, the ratios library / baseline and the growth from 10 to 120
 * accounts (per-spoke cost and how far 30 and 60 lie from the straight line), writes bench/results.json and
 * /tmp/bench-readme.md (the table with the machine description, for the README).
 *
 * Synthesis runs offline: explicit environments, availability zones from the plans, no lookups, no cdk-nag.
 *
 * Exit code 1 when a template is over CloudFormation's limits, or when a baseline no longer builds the same number of
 * resources as the library (the comparison would be meaningless: update bench/ with the library). A ratio above the
 * 1.3 target is reported, not failed: wall time on a shared machine varies more than that.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readAssembly } from './assembly';

const ROOT = path.resolve(__dirname, '..');
const SYNTH = path.join(ROOT, 'bench', 'synth.ts');
/** CloudFormation's limits per template. */
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1024 * 1024;

interface Options {
  readonly runs: number;
  readonly scales: number[];
  readonly reference: boolean;
  readonly baseline: boolean;
  readonly out: string;
  readonly readme: string;
}

interface Case {
  readonly id: string;
  readonly kind: 'library-reference' | 'baseline-reference' | 'library-scale' | 'baseline-scale';
  readonly topology: string;
  readonly implementation: 'library' | 'baseline';
  readonly accounts?: number;
}

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly constructMs: number;
  readonly synthMs: number;
}

interface CaseResult extends Case {
  readonly runs: Run[];
  readonly wallMs: Stats;
  readonly cpuMs: Stats;
  readonly maxRssMb: Stats;
  readonly stacks: number;
  readonly resources: number;
  readonly largestTemplateBytes: number;
  readonly largestTemplateStack: string;
  readonly maxResourcesPerTemplate: number;
  readonly withinCloudFormationLimits: boolean;
  /** Spoke VPCs (attachments) of a scale case: every account but the management account. */
  readonly spokes?: number;
}

interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function parseArgs(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(value('--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`--runs ${value('--runs')} is not a positive integer`);
  }
  const scales = (value('--scales') ?? '10,30,60,120').split(',').map(Number);
  if (scales.some((n) => !Number.isInteger(n) || n < 5 || n > 120)) {
    throw new Error(`--scales ${value('--scales')} must list account counts from 5 to 120, e.g. 10,30,60,120`);
  }
  return {
    runs,
    scales,
    reference: !argv.includes('--no-reference'),
    baseline: !argv.includes('--no-baseline'),
    out: value('--out') ?? path.join(ROOT, 'bench', 'results.json'),
    readme: value('--readme') ?? path.join(os.tmpdir(), 'bench-readme.md'),
  };
}

function cases(o: Options): Case[] {
  const list: Case[] = [];
  if (o.reference) {
    list.push({ id: 'library-reference', kind: 'library-reference', topology: 'reference', implementation: 'library' });
    if (o.baseline) {
      list.push({ id: 'baseline-reference', kind: 'baseline-reference', topology: 'reference', implementation: 'baseline' });
    }
  }
  for (const accounts of o.scales) {
    list.push({ id: `library-scale-${accounts}`, kind: 'library-scale', topology: `scale-${accounts}`, implementation: 'library', accounts });
    if (o.baseline) {
      list.push({ id: `baseline-scale-${accounts}`, kind: 'baseline-scale', topology: `scale-${accounts}`, implementation: 'baseline', accounts });
    }
  }
  return list;
}

/** One synthesis in a fresh process; returns its measurements and the assembly directory (to inspect, then delete). */
function runOnce(c: Case): { run: Run; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk-bench-${c.id}-`));
  const args = ['--import', 'tsx', SYNTH, c.kind, dir, ...(c.accounts !== undefined ? [String(c.accounts)] : [])];
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const line = (child.stdout ?? '').split('\n').reverse().find((l) => l.startsWith('{"case"'));
  if (child.status !== 0 || !line) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${c.id} failed (exit ${child.status}):\n${(child.stderr ?? '').split('\n').slice(-25).join('\n')}`);
  }
  const reported = JSON.parse(line);
  return {
    run: {
      wallMs,
      cpuMs: reported.cpuMs,
      // resourceUsage().maxRSS is in kilobytes.
      maxRssMb: reported.maxRssKb / 1024,
      constructMs: reported.constructMs,
      synthMs: reported.synthMs,
    },
    dir,
  };
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function inspect(dir: string) {
  const stacks = readAssembly(dir);
  const counts = stacks.map((s) => Object.keys(s.template.Resources ?? {}).length);
  const largest = stacks.reduce((a, b) => (b.templateBytes > a.templateBytes ? b : a));
  return {
    stacks: stacks.length,
    resources: counts.reduce((a, b) => a + b, 0),
    largestTemplateBytes: largest.templateBytes,
    largestTemplateStack: largest.name,
    maxResourcesPerTemplate: Math.max(...counts),
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    logicalCpus: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3 * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    awsCdkLib: JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version,
  };
}

/** Least-squares line y = a + b·x and its R². */
function fit(points: Array<[number, number]>) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const ssTot = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const ssRes = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  return { intercept, slope, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

/** Growth of one implementation over the scale cases: per-spoke cost and linearity. */
function growth(results: CaseResult[], implementation: 'library' | 'baseline') {
  const scale = results.filter((r) => r.kind.endsWith('scale') && r.implementation === implementation).sort((a, b) => a.spokes! - b.spokes!);
  if (scale.length < 2) {
    return undefined;
  }
  const first = scale[0];
  const last = scale[scale.length - 1];
  const metric = (m: (r: CaseResult) => number) => {
    const line = fit(scale.map((r) => [r.spokes!, m(r)]));
    // Where the middle points lie relative to the straight line through the two ends (0 % = exactly linear).
    const chord = (r: CaseResult) => m(first) + (m(last) - m(first)) * (r.spokes! - first.spokes!) / (last.spokes! - first.spokes!);
    return {
      perSpoke: (m(last) - m(first)) / (last.spokes! - first.spokes!),
      ratioLastToFirst: m(last) / m(first),
      fit: line,
      deviationFromChordPercent: scale.slice(1, -1).map((r) => ({ accounts: r.accounts, percent: (m(r) - chord(r)) / chord(r) * 100 })),
    };
  };
  return {
    from: { accounts: first.accounts, spokes: first.spokes },
    to: { accounts: last.accounts, spokes: last.spokes },
    wallMs: metric((r) => r.wallMs.median),
    cpuMs: metric((r) => r.cpuMs.median),
    maxRssMb: metric((r) => r.maxRssMb.median),
    resources: metric((r) => r.resources),
  };
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** A signed number: `+0.123` or `-0.123`. */
function signed(n: number, digits = 1): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
}

function table(results: CaseResult[]): string[] {
  const lines = [
    '| case | stacks | resources | largest template | wall s (median, min-max) | CPU s | peak RSS MB |',
    '|---|---:|---:|---|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(`| ${r.id} | ${r.stacks} | ${r.resources} | ${fmt(r.largestTemplateBytes / 1024)} KiB, ${r.maxResourcesPerTemplate} res. max | ` +
      `${fmt(r.wallMs.median / 1000, 2)} (${fmt(r.wallMs.min / 1000, 2)}-${fmt(r.wallMs.max / 1000, 2)}) | ${fmt(r.cpuMs.median / 1000, 2)} | ${fmt(r.maxRssMb.median, 0)} |`);
  }
  return lines;
}

function main(): number {
  const o = parseArgs(process.argv.slice(2));
  const list = cases(o);
  const loadBefore = os.loadavg();
  const startedAt = new Date();
  console.error(`bench: ${list.length} cases x (1 warm-up + ${o.runs} runs) on ${os.cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

  const runs = new Map<string, Run[]>(list.map((c) => [c.id, []]));
  const shapes = new Map<string, ReturnType<typeof inspect>>();
  for (const c of list) {
    const { run, dir } = runOnce(c);
    shapes.set(c.id, inspect(dir));
    fs.rmSync(dir, { recursive: true, force: true });
    console.error(`  warm-up ${c.id}: ${fmt(run.wallMs / 1000, 2)} s`);
  }
  for (let i = 0; i < o.runs; i++) {
    for (const c of list) {
      const { run, dir } = runOnce(c);
      fs.rmSync(dir, { recursive: true, force: true });
      runs.get(c.id)!.push(run);
      console.error(`  run ${i + 1}/${o.runs} ${c.id}: ${fmt(run.wallMs / 1000, 2)} s, ${fmt(run.maxRssMb, 0)} MB`);
    }
  }

  const results: CaseResult[] = list.map((c) => {
    const r = runs.get(c.id)!;
    const shape = shapes.get(c.id)!;
    return {
      ...c,
      runs: r,
      wallMs: stats(r.map((x) => x.wallMs)),
      cpuMs: stats(r.map((x) => x.cpuMs)),
      maxRssMb: stats(r.map((x) => x.maxRssMb)),
      ...shape,
      withinCloudFormationLimits: shape.maxResourcesPerTemplate <= MAX_RESOURCES && shape.largestTemplateBytes <= MAX_TEMPLATE_BYTES,
      spokes: c.accounts !== undefined ? c.accounts - 1 : undefined,
    };
  });

  const ratios = [...new Set(results.map((r) => r.topology))].flatMap((topology) => {
    const lib = results.find((r) => r.topology === topology && r.implementation === 'library');
    const base = results.find((r) => r.topology === topology && r.implementation === 'baseline');
    return lib && base ? [{
      topology,
      wall: lib.wallMs.median / base.wallMs.median,
      cpu: lib.cpuMs.median / base.cpuMs.median,
      memory: lib.maxRssMb.median / base.maxRssMb.median,
      resources: lib.resources / base.resources,
      largestTemplate: lib.largestTemplateBytes / base.largestTemplateBytes,
    }] : [];
  });
  const growthOf = { library: growth(results, 'library'), baseline: growth(results, 'baseline') };
  const loadAfter = os.loadavg();
  const report = {
    generatedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: machine(),
    loadAverage: { before: loadBefore, after: loadAfter },
    method: `${o.runs} measured runs per case after one warm-up, interleaved across cases; each run is a fresh ` +
      '`node --import tsx bench/synth.ts <case> <tmpdir>` process (wall time measured by the parent, CPU time and peak RSS ' +
      'reported by the child); no cdk-nag, no network.',
    targets: { ratio: 1.3, maxResourcesPerTemplate: MAX_RESOURCES, maxTemplateBytes: MAX_TEMPLATE_BYTES },
    cases: results,
    ratios,
    growth: growthOf,
  };
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, JSON.stringify(report, null, 2) + '\n');

  const m = report.machine;
  const lines: string[] = [];
  lines.push(`Measured ${startedAt.toISOString().slice(0, 10)} on ${m.logicalCpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, ` +
    `Node ${m.node}, aws-cdk-lib ${m.awsCdkLib}; load average ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; ` +
    `median of ${o.runs} runs per case.`);
  lines.push('');
  lines.push(...table(results));
  if (ratios.length > 0) {
    lines.push('');
    lines.push('| topology | library / baseline: wall | CPU | peak RSS | resources |');
    lines.push('|---|---:|---:|---:|---:|');
    for (const r of ratios) {
      lines.push(`| ${r.topology} | ${fmt(r.wall, 2)} | ${fmt(r.cpu, 2)} | ${fmt(r.memory, 2)} | ${fmt(r.resources, 2)} |`);
    }
  }
  for (const [name, g] of Object.entries(growthOf)) {
    if (!g) {
      continue;
    }
    const dev = (x: typeof g.wallMs) => x.deviationFromChordPercent.map((d) => `${d.accounts}: ${signed(d.percent)} %`).join(', ') || 'none';
    lines.push('');
    lines.push(`Growth (${name}) from ${g.from.accounts} to ${g.to.accounts} accounts (${g.from.spokes} to ${g.to.spokes} spoke VPCs): ` +
      `${signed(g.wallMs.perSpoke / 1000, 3)} s wall and ${signed(g.cpuMs.perSpoke / 1000, 3)} s CPU per spoke (x${fmt(g.wallMs.ratioLastToFirst, 2)} wall), ` +
      `${signed(g.maxRssMb.perSpoke, 2)} MB peak RSS per spoke, ${signed(g.resources.perSpoke, 1)} resources per spoke; ` +
      `linear fit R² ${fmt(g.wallMs.fit.r2, 3)} (wall), ${fmt(g.cpuMs.fit.r2, 3)} (CPU), ${fmt(g.maxRssMb.fit.r2, 3)} (RSS); ` +
      `middle points vs the straight line (wall): ${dev(g.wallMs)}.`);
  }
  const over = results.filter((r) => !r.withinCloudFormationLimits);
  lines.push('');
  lines.push(over.length === 0
    ? `Every template of every case is within CloudFormation's limits (${MAX_RESOURCES} resources, 1 MB).`
    : `Over CloudFormation's limits: ${over.map((r) => `${r.id} (${r.maxResourcesPerTemplate} resources, ${r.largestTemplateBytes} bytes)`).join(', ')}.`);
  const slow = ratios.filter((r) => r.wall > report.targets.ratio || r.cpu > report.targets.ratio || r.memory > report.targets.ratio);
  if (slow.length > 0) {
    lines.push('');
    lines.push(`Above the ${report.targets.ratio} target: ${slow.map((r) => `${r.topology} (wall ${fmt(r.wall, 2)}, CPU ${fmt(r.cpu, 2)}, RSS ${fmt(r.memory, 2)})`).join(', ')}.`);
  }
  const text = lines.join('\n');
  console.log(text);
  fs.writeFileSync(o.readme, text + '\n');
  console.error(`\nbench: wrote ${path.relative(process.cwd(), o.out)} and ${o.readme} in ${report.durationS} s`);
  const drifted = ratios.filter((r) => r.resources !== 1);
  if (drifted.length > 0) {
    console.error(`bench: the baseline builds a different number of resources than the library for ${drifted.map((r) => r.topology).join(', ')}; ` +
      'update bench/ so that both build the same deployment.');
  }
  return over.length > 0 || drifted.length > 0 ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exit(main());
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
