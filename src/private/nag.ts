import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One cdk-nag finding to acknowledge, with the reason it is acceptable here. */
export interface NagAcknowledgement {
  /**
   * The rule ID, optionally with its finding: `AwsSolutions-IAM4`, `AwsSolutions-IAM5[Resource::*]`,
   * `NIST.800.53.R5-EC2EBSOptimizedInstance`.
   */
  readonly id: string;
  /** Why the finding is acceptable for this resource; at least 30 characters, specific to the resource. */
  readonly reason: string;
}

const RULE_ID = /^(AwsSolutions|NIST\.800\.53\.R5|NIST\.800\.53\.R4|HIPAA\.Security|PCI\.DSS\.321|Serverless)-[A-Za-z0-9]+(\[.+\])?$/;
const MIN_REASON = 30;

/**
 * Acknowledges cdk-nag findings on `scope` (and its children) through aws-cdk-lib's `Validations` API, which
 * cdk-nag 3 reads, so the library itself needs cdk-nag only as a dev dependency.
 *
 * Throws when a rule ID is malformed or a reason is too short to say anything specific: an acknowledgement is a
 * security decision that must be explained next to the code that causes the finding.
 *
 * @see https://github.com/cdklabs/cdk-nag#acknowledging-a-rule
 */
export function acknowledgeNag(scope: IConstruct, ...acknowledgements: NagAcknowledgement[]): void {
  for (const ack of acknowledgements) {
    if (!RULE_ID.test(ack.id)) {
      throw new Error(`cdk-nag rule ID ${JSON.stringify(ack.id)} at ${scope.node.path} is malformed; use e.g. AwsSolutions-IAM4 or AwsSolutions-IAM5[Resource::*].`);
    }
    if (ack.reason.trim().length < MIN_REASON) {
      throw new Error(`cdk-nag acknowledgement of ${ack.id} at ${scope.node.path} needs a specific reason of at least ${MIN_REASON} characters.`);
    }
  }
  Validations.of(scope).acknowledge(...acknowledgements.map((ack) => ({ id: ack.id, reason: ack.reason })));
}
