import { ReachabilityIntent, VerificationReport } from './intent';
import { ReachabilityModel } from './model';
import { ReachabilityModelOptions } from './types';

/** Exit codes of `ReachabilityVerifier.run`. */
export enum VerificationExitCode {
  /** Every declared flow is allowed and nothing else is open (or unknown). */
  PASSED = 0,
  /** At least one violation. */
  VIOLATIONS = 1,
  /** The verification could not run: no cloud assembly, invalid options or intent, an endpoint that selects nothing. */
  ERROR = 2,
}

/** What a verification run produced. */
export interface VerificationOutcome {
  /** 0 passed, 1 violations, 2 error. */
  readonly exitCode: number;
  /** The text to print: the report, or the error. */
  readonly output: string;
  /**
   * The report.
   * @default - none, when the verification could not run
   */
  readonly report?: VerificationReport;
}

/**
 * Runs an intent against a synthesized cloud assembly, for a script such as `npm run verify`:
 *
 * ```ts
 * declare const intent: ReachabilityIntent;
 * declare const onPremisesSites: OnPremisesSite[];
 * process.exit(ReachabilityVerifier.run('cdk.out', intent, { onPremisesSites }));
 * ```
 */
export class ReachabilityVerifier {
  /** Builds the model, verifies the intent and renders the report, without printing. */
  public static evaluate(assemblyDirectory: string, intent: ReachabilityIntent, options: ReachabilityModelOptions = {}): VerificationOutcome {
    let report: VerificationReport;
    try {
      report = intent.verify(ReachabilityModel.fromAssemblyDirectory(assemblyDirectory, options));
    } catch (e) {
      return { exitCode: VerificationExitCode.ERROR, output: `Reachability verification could not run: ${(e as Error).message}` };
    }
    return { exitCode: report.passed ? VerificationExitCode.PASSED : VerificationExitCode.VIOLATIONS, output: report.render(), report };
  }

  /**
   * Like `evaluate`, and prints the output (to stdout, or stderr for an error). Returns the exit code for
   * `process.exit`: 0 passed, 1 violations, 2 error.
   */
  public static run(assemblyDirectory: string, intent: ReachabilityIntent, options: ReachabilityModelOptions = {}): number {
    const outcome = ReachabilityVerifier.evaluate(assemblyDirectory, intent, options);
    if (outcome.exitCode === VerificationExitCode.ERROR) {
      process.stderr.write(outcome.output + '\n');
    } else {
      process.stdout.write(outcome.output + '\n');
    }
    return outcome.exitCode;
  }

  private constructor() {}
}
