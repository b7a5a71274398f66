import { spawnSync } from 'child_process';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Runs the project's pinned cfn-lint (scripts/cfn-lint.sh) with the project's configuration (.cfnlintrc.yaml) over
 * the templates of `stacks` after synthesizing `app`, and returns its findings, one line each (empty when clean).
 * Throws when cfn-lint cannot run, so a missing linter fails the test instead of passing it.
 */
export function cfnLintFindings(app: App, stacks: Stack[]): string[] {
  const assembly = app.synth();
  const templates = stacks.map((stack) => path.join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile));
  const result = spawnSync(path.join(ROOT, 'scripts', 'cfn-lint.sh'),
    ['--config-file', path.join(ROOT, '.cfnlintrc.yaml'), '--format', 'parseable', '--', ...templates], { encoding: 'utf8' });
  // cfn-lint exits 0 when clean, 2/4/8 (bit mask) with findings; anything else means it did not run.
  if (result.error || result.status === null || ![0, 2, 4, 6, 8, 10, 12, 14].includes(result.status)) {
    throw new Error(`cfn-lint did not run (status ${result.status}): ${result.error ?? result.stderr}`);
  }
  return result.stdout.split('\n').filter((line) => line.trim().length > 0);
}
