import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeNag } from './nag';

/** The construct ID aws-cdk-lib gives the stack-wide singleton Lambda of every `AwsCustomResource`. */
export const AWS_CUSTOM_RESOURCE_SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** The stack-level construct ID of the S3 prefix list lookup, shared by every construct of a stack. */
const S3_PREFIX_LIST_LOOKUP_ID = 'GovHybridS3PrefixListLookup';

/**
 * Looks up, at deployment, the ID of the AWS-managed prefix list `com.amazonaws.<region>.s3` of the stack's region.
 * One lookup per stack: every construct of the stack that calls this gets the same value.
 *
 * Security groups in an isolated VPC reach S3 (ECR image layers, dumps, session logs) through the S3 gateway endpoint,
 * so they need an egress rule to S3. A gateway endpoint is addressed by this prefix list, and CloudFormation returns
 * its ID from no resource, so an `AwsCustomResource` calls `ec2:DescribePrefixLists` (which has no resource-level
 * permissions). The Lambda uses the SDK bundled with its runtime (`installLatestAwsSdk: false`): it never downloads
 * packages from the internet.
 *
 * @returns the prefix list ID (a token), e.g. for `ec2.Peer.prefixList(id)`
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribePrefixLists.html
 */
export function lookupS3PrefixListId(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(S3_PREFIX_LIST_LOOKUP_ID) as cr.AwsCustomResource | undefined;
  const lookup = existing ?? createS3PrefixListLookup(stack);
  return lookup.getResponseField('PrefixLists.0.PrefixListId');
}

function createS3PrefixListLookup(stack: Stack): cr.AwsCustomResource {
  const name = `com.amazonaws.${stack.region}.s3`;
  const call: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'DescribePrefixLists',
    parameters: { Filters: [{ Name: 'prefix-list-name', Values: [name] }] },
    physicalResourceId: cr.PhysicalResourceId.of(`s3-prefix-list-${stack.region}`),
    outputPaths: ['PrefixLists.0.PrefixListId'],
  };
  const lookup = new cr.AwsCustomResource(stack, S3_PREFIX_LIST_LOOKUP_ID, {
    resourceType: 'Custom::S3PrefixListLookup',
    installLatestAwsSdk: false,
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['ec2:DescribePrefixLists'], resources: ['*'] }),
    ]),
  });
  acknowledgeNag(lookup,
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribePrefixLists has no resource-level permissions; the S3 prefix list lookup only reads the ID of the AWS-managed S3 prefix list.',
    },
    {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'aws-cdk-lib attaches the S3 prefix list lookup statement (ec2:DescribePrefixLists only) as an inline policy of the AwsCustomResource provider role.',
    },
  );
  acknowledgeAwsCustomResourceProvider(stack);
  return lookup;
}

/**
 * Acknowledges the cdk-nag findings on the stack-wide singleton Lambda that aws-cdk-lib creates for every
 * `AwsCustomResource` (the "AWS679f53fa…" provider). Call after creating an `AwsCustomResource` in `stack`.
 */
export function acknowledgeAwsCustomResourceProvider(stack: Stack): void {
  const provider: Construct | undefined = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON_ID) as Construct | undefined;
  if (!provider) {
    return;
  }
  const why = 'The AwsCustomResource provider Lambda (aws-cdk-lib singleton) runs only during CloudFormation deployments, to make the SDK calls of this stack\'s AwsCustomResources';
  acknowledgeNag(provider,
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `${why}; AWSLambdaBasicExecutionRole only lets it write its own CloudWatch logs.` },
    { id: 'NIST.800.53.R5-LambdaConcurrency', reason: `${why}; CloudFormation invokes it once per resource change, so reserved concurrency adds nothing.` },
    { id: 'NIST.800.53.R5-LambdaDLQ', reason: `${why}; it is invoked synchronously by CloudFormation, which reports failures in the stack events, so a DLQ adds nothing.` },
    { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: `${why}; it reaches the AWS API endpoint outside any VPC, so the isolated VPCs of this library need no extra endpoints for it.` },
  );
  // With @aws-cdk/aws-lambda:useCdkManagedLogGroup (recommended flags) aws-cdk-lib gives the provider its own log group.
  const logGroup = provider.node.tryFindChild('LogGroup');
  if (logGroup) {
    acknowledgeNag(logGroup, {
      id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      reason: `${why}; its log group holds only the provider's invocation logs (API names and lookup parameters, no data) and is encrypted at rest with the CloudWatch Logs service key.`,
    });
  }
}
