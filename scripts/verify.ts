/**
 * Proves the access boundaries of the reference deployment offline (issue 9): synthesizes the four-account app,
 * builds the reachability model from the cloud assembly, verifies the intent of ARCHITECTURE.md
 * (examples/reference-deployment/intent.ts) and prints the matrix (sources × destinations with the open ports) and
 * every violation with its path, hop by hop.
 *
 * Usage:
 *   tsx scripts/verify.ts               synthesizes the reference deployment in-process into a temporary directory
 *                                       (offline: no lookups, no cdk-nag, no built-in CloudFormation schema check;
 *                                       `npx projen example` and `npx projen validate` cover those) and verifies it
 *   tsx scripts/verify.ts <cdk.out>     verifies an assembly synthesized before, e.g. examples/reference-deployment/cdk.out
 *
 * Exit code: 0 every declared flow works and nothing else is open; 1 at least one violation; 2 the verification
 * could not run (synthesis failed, no assembly, an endpoint of the intent that selects nothing).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createReferenceApp, cdkJsonContext } from '../examples/reference-deployment/app';
import { loadConfig, ReferenceConfig } from '../examples/reference-deployment/config';
import { referenceVerification } from '../examples/reference-deployment/intent';
import { ReachabilityVerifier, VerificationExitCode } from '../src';

export function main(args: string[]): number {
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    process.stderr.write('usage: tsx scripts/verify.ts [cdk.out directory]\n');
    return VerificationExitCode.ERROR;
  }
  const started = Date.now();
  let directory = args[0];
  let temporary: string | undefined;
  let config: ReferenceConfig;
  try {
    if (directory === undefined) {
      temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'gov-hybrid-verify-'));
      directory = temporary;
      // The schema check is `npx projen validate`'s job (cfn-lint); skipping it here saves most of the synthesis time.
      process.env.CDK_VALIDATION = 'false';
      const ref = createReferenceApp({ outdir: temporary, nag: false });
      ref.app.synth();
      config = ref.config;
      process.stdout.write(`Synthesized the reference deployment (${ref.stacks.length} stacks) in ${Date.now() - started} ms.\n`);
    } else {
      if (!fs.existsSync(path.join(directory, 'manifest.json'))) {
        process.stderr.write(`Reachability verification could not run: ${directory} holds no cloud assembly (manifest.json); ` +
          'run `npx projen example` first, or run this script without an argument to synthesize in-process.\n');
        return VerificationExitCode.ERROR;
      }
      const context = cdkJsonContext();
      config = loadConfig({ tryGetContext: (key: string) => context[key] });
      process.stdout.write(`Reading the cloud assembly in ${path.resolve(directory)}.\n`);
    }
  } catch (e) {
    process.stderr.write(`Reachability verification could not run: synthesizing the reference deployment failed: ${(e as Error).message}\n`);
    cleanUp(temporary);
    return VerificationExitCode.ERROR;
  }

  try {
    const { intent, modelOptions } = referenceVerification(config);
    const verifyStarted = Date.now();
    const outcome = ReachabilityVerifier.evaluate(directory, intent, modelOptions);
    if (outcome.exitCode === VerificationExitCode.ERROR || !outcome.report) {
      process.stderr.write(outcome.output + '\n');
      return VerificationExitCode.ERROR;
    }
    const report = outcome.report;
    process.stdout.write('\n' + outcome.output + '\n\n');
    const violations = report.violations.length;
    process.stdout.write(`verify: ${report.checks.length} flows checked between ${report.matrixEndpoints.length} matrix endpoints ` +
      `(${report.endpoints.length} endpoints in all) in ${Date.now() - verifyStarted} ms (${Date.now() - started} ms in all); ` +
      `${violations} violation${violations === 1 ? '' : 's'}, ${report.issues.length} model issue${report.issues.length === 1 ? '' : 's'}.\n`);
    return outcome.exitCode;
  } catch (e) {
    process.stderr.write(`Reachability verification could not run: ${(e as Error).message}\n`);
    return VerificationExitCode.ERROR;
  } finally {
    cleanUp(temporary);
  }
}

function cleanUp(directory: string | undefined): void {
  if (directory) {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
