import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { logGroupArnWithoutWildcard } from '../private/encrypted-log-group';

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
 * another account: the usual one is the Security account's central archive, `CentralLogArchive`, whose bucket and
 * key policies already allow the delivery service for its source accounts; give it as
 * `QueryLogDestination.bucketArn(destinations.resolverQueryLogDestinationArn('network'))` (`LogArchiveDestinations`).
 * Any other bucket's owner must allow `delivery.logs.amazonaws.com` for the Network account in the bucket policy
 * (and in the key policy of an SSE-KMS key), as the CloudWatch Logs guide describes.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
 */
export class QueryLogDestination {
  /** A CloudWatch Logs log group in the hub's account and Region. */
  public static logGroup(logGroup: logs.ILogGroup): QueryLogDestination {
    return new QueryLogDestination(QueryLogDestinationType.CLOUDWATCH_LOGS, logGroupArnWithoutWildcard(logGroup));
  }

  /**
   * An S3 bucket of this CDK app.
   * @param prefix an optional key prefix without leading or trailing slash, e.g. `route53resolver`
   */
  public static bucket(bucket: s3.IBucket, prefix?: string): QueryLogDestination {
    return QueryLogDestination.bucketArn(bucket.bucketArn, prefix);
  }

  /**
   * An S3 bucket given by ARN, typically the central log archive in the Security account:
   * `QueryLogDestination.bucketArn(destinations.resolverQueryLogDestinationArn('network'))`, whose bucket and key
   * policies (`CentralLogArchive`) already allow the log delivery service. Another bucket's policy must allow
   * `delivery.logs.amazonaws.com` for the hub's account.
   * @param bucketArn the bucket ARN, optionally with a key prefix (`arn:aws:s3:::bucket/prefix/`)
   * @param prefix an optional key prefix without leading or trailing slash, e.g. `route53resolver`
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
   */
  public static bucketArn(bucketArn: string, prefix?: string): QueryLogDestination {
    return new QueryLogDestination(QueryLogDestinationType.S3, prefix ? `${bucketArn}/${prefix}` : bucketArn);
  }

  /** A Kinesis Data Firehose delivery stream in the hub's account and Region, given by ARN. */
  public static firehoseDeliveryStreamArn(deliveryStreamArn: string): QueryLogDestination {
    return new QueryLogDestination(QueryLogDestinationType.FIREHOSE, deliveryStreamArn);
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
