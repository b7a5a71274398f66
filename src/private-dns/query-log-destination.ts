import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** The kind of resource Route 53 Resolver query logs are delivered to. */
export enum QueryLogDestinationType {
  /** A CloudWatch Logs log group in the Resolver's account and Region. */
  CLOUDWATCH_LOGS = 'CLOUDWATCH_LOGS',
  /** An S3 bucket, in this account or another (e.g. the central log archive of the Security account). */
  S3 = 'S3',
  /** A Kinesis Data Firehose delivery stream in the Resolver's account and Region. */
  FIREHOSE = 'FIREHOSE',
}

/**
 * Where Route 53 Resolver writes the DNS query logs of every VPC that uses the hub's Route 53 Profile (the
 * Network VPC, including the queries the DC sends through the inbound endpoint, and every spoke VPC).
 *
 * Resolver query logs are "vended logs" delivered by `delivery.logs.amazonaws.com`. An S3 destination may be in
 * another account (the central archive in the Security account): that bucket's policy, and the key policy of its
 * SSE-KMS key, must then allow the delivery service for the Network account; `s3DeliveryPolicyStatements` and
 * `kmsKeyPolicyStatement` return those statements for the Security stack.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
 */
export class QueryLogDestination {
  /** A CloudWatch Logs log group in the hub's account and Region. */
  public static logGroup(logGroup: logs.ILogGroup): QueryLogDestination {
    return new QueryLogDestination(QueryLogDestinationType.CLOUDWATCH_LOGS, logGroup.logGroupArn);
  }

  /**
   * An S3 bucket of this CDK app.
   * @param prefix an optional key prefix without leading or trailing slash, e.g. `route53resolver`
   */
  public static bucket(bucket: s3.IBucket, prefix?: string): QueryLogDestination {
    return QueryLogDestination.bucketArn(bucket.bucketArn, prefix);
  }

  /**
   * An S3 bucket given by ARN, typically the central log archive in the Security account
   * (`arn:aws:s3:::gov-hybrid-logs-111111111111`). Its bucket policy must contain `s3DeliveryPolicyStatements`.
   * @param prefix an optional key prefix without leading or trailing slash, e.g. `route53resolver`
   */
  public static bucketArn(bucketArn: string, prefix?: string): QueryLogDestination {
    return new QueryLogDestination(QueryLogDestinationType.S3, prefix ? `${bucketArn}/${prefix}` : bucketArn);
  }

  /** A Kinesis Data Firehose delivery stream in the hub's account and Region, given by ARN. */
  public static firehoseDeliveryStreamArn(deliveryStreamArn: string): QueryLogDestination {
    return new QueryLogDestination(QueryLogDestinationType.FIREHOSE, deliveryStreamArn);
  }

  /**
   * The bucket-policy statements that let the log delivery service write Resolver query logs of the given source
   * accounts into a bucket (for the bucket's own stack, e.g. the Security account's log archive):
   * `AWSLogDeliveryWrite` (s3:PutObject under `<prefix>/AWSLogs/<account>/`, owner-full-control ACL) and
   * `AWSLogDeliveryAclCheck` (s3:GetBucketAcl, s3:ListBucket), both restricted by `aws:SourceAccount` and
   * `aws:SourceArn`.
   *
   * @param bucketArn the destination bucket's ARN
   * @param sourceAccounts the accounts whose Resolver writes (the Network account)
   * @param sourceRegion the Resolver's Region, e.g. ap-northeast-1
   * @param prefix the key prefix given to `bucketArn(...)`, if any
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
   */
  public static s3DeliveryPolicyStatements(bucketArn: string, sourceAccounts: string[], sourceRegion: string,
    prefix?: string): iam.PolicyStatement[] {
    const principal = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
    const sourceArns = sourceAccounts.map((account) => `arn:${Aws.PARTITION}:logs:${sourceRegion}:${account}:*`);
    const keyPrefix = prefix ? `${prefix}/` : '';
    return [
      new iam.PolicyStatement({
        sid: 'AWSLogDeliveryWrite',
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: sourceAccounts.map((account) => `${bucketArn}/${keyPrefix}AWSLogs/${account}/*`),
        conditions: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': sourceAccounts },
          ArnLike: { 'aws:SourceArn': sourceArns },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AWSLogDeliveryAclCheck',
        principals: [principal],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [bucketArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': sourceAccounts },
          ArnLike: { 'aws:SourceArn': sourceArns },
        },
      }),
    ];
  }

  /**
   * The key-policy statement that lets the log delivery service encrypt query logs with the destination bucket's
   * SSE-KMS key (for the key's own stack).
   *
   * @param sourceAccounts the accounts whose Resolver writes (the Network account)
   * @param sourceRegion the Resolver's Region
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html#AWS-logs-SSE-KMS-S3
   */
  public static kmsKeyPolicyStatement(sourceAccounts: string[], sourceRegion: string): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'AllowResolverQueryLogDelivery',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': sourceAccounts },
        ArnLike: { 'aws:SourceArn': sourceAccounts.map((account) => `arn:${Aws.PARTITION}:logs:${sourceRegion}:${account}:*`) },
      },
    });
  }

  /** The kind of destination. */
  public readonly destinationType: QueryLogDestinationType;
  /** The ARN given to `AWS::Route53Resolver::ResolverQueryLoggingConfig.DestinationArn`. */
  public readonly destinationArn: string;

  private constructor(destinationType: QueryLogDestinationType, destinationArn: string) {
    this.destinationType = destinationType;
    this.destinationArn = destinationArn;
  }
}
