import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { PropsValidator } from './validation';

/** An S3 bucket ARN (no key part). */
const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** An AWS Organizations organization ID. */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * The AWS-owned S3 objects that workloads of an isolated VPC read through the S3 gateway endpoint, by purpose.
 * Each list is of object ARNs (`arn:<partition>:s3:::<bucket>/*`) in the stack's Region; only `s3:GetObject` is
 * allowed on them.
 */
export class AwsOwnedS3Objects {
  /**
   * ECR image layers: ECR hands the client a pre-signed URL into this bucket.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms
   */
  public static ecrImageLayers(scope: IConstruct): string[] {
    const stack = Stack.of(scope);
    return [`arn:${stack.partition}:s3:::prod-${stack.region}-starport-layer-bucket/*`];
  }

  /**
   * The Amazon Linux 2023 package repositories (dnf) of the Region.
   * @see https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html
   */
  public static amazonLinux2023Repositories(scope: IConstruct): string[] {
    const stack = Stack.of(scope);
    return [`arn:${stack.partition}:s3:::al2023-repos-${stack.region}-de612dc2/*`];
  }

  /**
   * The buckets SSM Agent reads on Linux (agent updates, documents, Distributor packages, Patch Manager baselines),
   * as listed by "SSM Agent communications with AWS managed S3 buckets".
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html
   */
  public static systemsManagerAgent(scope: IConstruct): string[] {
    const stack = Stack.of(scope);
    const r = stack.region;
    return [
      `aws-ssm-${r}`,
      `amazon-ssm-${r}`,
      `amazon-ssm-packages-${r}`,
      `${r}-birdwatcher-prod`,
      `aws-ssm-distributor-file-${r}`,
      `aws-ssm-document-attachments-${r}`,
      `patch-baseline-snapshot-${r}`,
      `patch-baseline-snapshot-${r}-*`,
      `aws-patch-manager-${r}-*`,
    ].map((bucket) => `arn:${stack.partition}:s3:::${bucket}/*`);
  }

  private constructor() {}
}

/** Options of `restrictS3GatewayEndpoint`. */
export interface S3GatewayEndpointPolicyOptions {
  /** AWS-owned objects the VPC's workloads read (`AwsOwnedS3Objects`), with `s3:GetObject` only. */
  readonly awsOwnedObjects: string[];
  /** What the AWS-owned objects are for, for the statement ID, e.g. `EcrImageLayers`. */
  readonly awsOwnedSid: string;
  /**
   * Buckets of other accounts that the VPC's workloads use, e.g. the central log archive bucket of the Security
   * account; every S3 action on the bucket and its objects (the callers' IAM policies narrow it).
   * @default - none
   */
  readonly additionalBucketArns?: string[];
  /**
   * An AWS Organizations organization ID (`o-...`): also allow buckets owned by any account of the organization
   * (`aws:ResourceOrgID`).
   * @default - none
   */
  readonly organizationId?: string;
}

/**
 * Replaces the default full-access policy of an S3 gateway endpoint with a data-perimeter policy: S3 requests that
 * leave the VPC through the endpoint may only reach buckets owned by the VPC's own account (`aws:ResourceAccount`),
 * the AWS-owned objects the workloads need (read only), the listed buckets of other accounts, and (optionally) the
 * buckets of the organization. Anything else, e.g. copying data to an attacker's bucket with stolen or foreign
 * credentials, is refused by the endpoint whatever the caller's IAM permissions.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 */
export function restrictS3GatewayEndpoint(endpoint: ec2.GatewayVpcEndpoint, options: S3GatewayEndpointPolicyOptions): void {
  const stack = Stack.of(endpoint);
  endpoint.addToPolicy(new iam.PolicyStatement({
    sid: 'OwnAccountBuckets',
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:ResourceAccount': stack.account } },
  }));
  endpoint.addToPolicy(new iam.PolicyStatement({
    sid: options.awsOwnedSid,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: options.awsOwnedObjects,
  }));
  const buckets = options.additionalBucketArns ?? [];
  if (buckets.length > 0) {
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'AdditionalBuckets',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: buckets.flatMap((arn) => [arn, `${arn}/*`]),
    }));
  }
  if (options.organizationId !== undefined) {
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'OrganizationBuckets',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:ResourceOrgID': options.organizationId } },
    }));
  }
}

/**
 * Checks the S3 endpoint policy props of a construct: bucket ARNs (no key part, no wildcard) and an organization ID.
 * Tokens are skipped.
 */
export function checkS3EndpointPolicyProps(v: PropsValidator, bucketsProp: string, bucketArns: string[] | undefined,
  organizationProp: string, organizationId: string | undefined): void {
  (bucketArns ?? []).forEach((arn, i) => {
    if (!v.isToken(arn)) {
      v.check(BUCKET_ARN.test(arn), `${bucketsProp}[${i}]`, arn,
        'is not an S3 bucket ARN; write it as arn:aws:s3:::<bucket name>, without a key or wildcard.');
    }
  });
  if (organizationId !== undefined && !v.isToken(organizationId)) {
    v.check(ORGANIZATION_ID.test(organizationId), organizationProp, organizationId,
      'is not an AWS Organizations organization ID; write it as o- followed by 10 to 32 lowercase letters or digits.');
  }
}
