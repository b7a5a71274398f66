import { Stack, Validations } from 'aws-cdk-lib';
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

/**
 * The finding-level rule ID that cdk-nag reports for one IAM value, e.g.
 * `AwsSolutions-IAM5[Resource::arn:aws:ssm:ap-northeast-1:222222222222:session/*]`.
 *
 * cdk-nag renders the resolved CloudFormation value (a literal ARN in a stack with a concrete environment,
 * `<AWS::Region>`-style placeholders in an environment-agnostic one), and acknowledgements match it exactly. Building
 * the ID from the same value, resolved in the same stack, keeps an acknowledgement valid whatever the environment
 * and feature flags of the stack.
 *
 * @param rule e.g. `AwsSolutions-IAM5`, `AwsSolutions-IAM4`
 * @param kind `Resource` or `Action` for IAM5, `Policy` for IAM4
 * @param value the ARN, action or managed policy ARN as the construct wrote it (tokens allowed)
 */
export function nagFinding(scope: IConstruct, rule: string, kind: 'Resource' | 'Action' | 'Policy', value: string): string {
  return `${rule}[${kind}::${flattenLikeCdkNag(Stack.of(scope).resolve(value))}]`;
}

/** cdk-nag's rendering of a resolved CloudFormation value (its `flattenCfnReference`). */
function flattenLikeCdkNag(node: unknown): string {
  if (node === undefined) {
    return '';
  }
  if (typeof node === 'string') {
    return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const value = node as Record<string, any>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'];
    return (items as unknown[]).map(flattenLikeCdkNag).join(delimiter);
  }
  if (value['Fn::Sub']) {
    return flattenLikeCdkNag(value['Fn::Sub']);
  }
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'];
    return `<${flattenLikeCdkNag(resource)}.${flattenLikeCdkNag(attribute)}>`;
  }
  if (value['Fn::ImportValue']) {
    return flattenLikeCdkNag(value['Fn::ImportValue']);
  }
  if (value.Ref) {
    return `<${flattenLikeCdkNag(value.Ref)}>`;
  }
  return JSON.stringify(node);
}
