/**
 * Runs cfn-lint over every CloudFormation template of a synthesized cloud assembly, with the project's one
 * configuration file (.cfnlintrc.yaml: the rules we ignore, each with its reason). Zero errors and zero warnings
 * pass; anything else fails (exit 1), as does a missing cfn-lint (exit 2).
 *
 * Usage: tsx scripts/validate.ts <cdk.out directory> [more directories...]
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { readAssembly } from './assembly';

const ROOT = path.resolve(__dirname, '..');
/** The pinned cfn-lint, installed on first use into a project-local virtual environment. */
const CFN_LINT = path.join(ROOT, 'scripts', 'cfn-lint.sh');

function main(dirs: string[]): number {
  const templates = dirs.flatMap((dir) => readAssembly(dir).map((s) => s.templatePath));
  if (templates.length === 0) {
    console.error(`no stack templates found in ${dirs.join(', ')}`);
    return 1;
  }
  const version = spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    console.error(`could not install or run cfn-lint (needs python3 with venv and pip): ${version.stderr}`);
    return 2;
  }
  console.log(`${version.stdout.trim()}: linting ${templates.length} templates with ${path.relative(process.cwd(), path.join(ROOT, '.cfnlintrc.yaml'))}`);
  // --format parseable: one finding per line, path:line:col:...:rule:message
  const result = spawnSync(CFN_LINT, ['--config-file', path.join(ROOT, '.cfnlintrc.yaml'), '--format', 'parseable', '--', ...templates],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const findings = (result.stdout ?? '').split('\n').filter((l) => l.trim().length > 0);
  for (const finding of findings) {
    console.log(`  ${path.relative(process.cwd(), finding)}`);
  }
  if (result.stderr?.trim()) {
    console.error(result.stderr.trim());
  }
  // cfn-lint exit codes are a bit mask: 2 errors, 4 warnings, 8 informational; 1 a run failure.
  const status = result.status ?? 1;
  const errors = findings.filter((f) => /:E\d+:/.test(f)).length;
  const warnings = findings.filter((f) => /:W\d+:/.test(f)).length;
  const infos = findings.filter((f) => /:I\d+:/.test(f)).length;
  console.log(`cfn-lint: ${templates.length} templates, ${errors} errors, ${warnings} warnings, ${infos} informational (exit ${status}).`);
  return status === 0 && findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: tsx scripts/validate.ts <cdk.out directory> [more...]');
    process.exit(2);
  }
  process.exit(main(dirs));
}
