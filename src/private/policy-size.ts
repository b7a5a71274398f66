import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** S3's limit on a bucket policy, in bytes. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html */
export const BUCKET_POLICY_LIMIT = 20 * 1024;
/** KMS's limit on a key policy, in bytes. @see https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html */
export const KEY_POLICY_LIMIT = 32 * 1024;
/** IAM's limit on a customer managed policy, in characters (excluding whitespace). @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
export const MANAGED_POLICY_LIMIT = 6144;

/** What a reference or attribute that CloudFormation resolves at deployment is counted as: a long ARN. */
const UNRESOLVED_PLACEHOLDER = 'x'.repeat(96);

/**
 * The size in bytes of `document` (a policy document of `scope`'s stack) as the service will receive it: compact JSON,
 * with `Fn::Join` joined, `AWS::Partition`/`AWS::Region`/`AWS::AccountId` replaced by their stack values and any other
 * reference or attribute counted as a 96-character ARN (an upper bound for the key and bucket ARNs these policies
 * reference). Used to fail synthesis before the deployment fails on a policy size limit.
 */
export function estimatePolicyBytes(scope: IConstruct, document: iam.PolicyDocument): number {
  const stack = Stack.of(scope);
  const pseudo: { readonly [name: string]: string } = {
    'AWS::Partition': partitionOf(stack),
    'AWS::Region': Token.isUnresolved(stack.region) ? 'ap-southeast-5' : stack.region,
    'AWS::AccountId': '123456789012',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const flatten = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      return node.map(flatten);
    }
    if (node && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>);
      if (entries.length === 1) {
        const [key, value] = entries[0];
        if (key === 'Fn::Join' && Array.isArray(value)) {
          return (value[1] as unknown[]).map((part) => String(flatten(part))).join(String(value[0]));
        }
        if (key === 'Ref') {
          return pseudo[String(value)] ?? UNRESOLVED_PLACEHOLDER;
        }
        if (key.startsWith('Fn::')) {
          return UNRESOLVED_PLACEHOLDER;
        }
      }
      return Object.fromEntries(entries.map(([k, v]) => [k, flatten(v)]));
    }
    return node;
  };
  return Buffer.byteLength(JSON.stringify(flatten(stack.resolve(document))));
}

/** The stack's partition: a literal when known, else derived from a literal Region, else the longest name. */
function partitionOf(stack: Stack): string {
  if (!Token.isUnresolved(stack.partition)) {
    return stack.partition;
  }
  if (Token.isUnresolved(stack.region)) {
    return 'aws-us-gov';
  }
  return stack.region.startsWith('cn-') ? 'aws-cn' : stack.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}
