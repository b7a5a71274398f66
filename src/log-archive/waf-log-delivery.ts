import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LogArchiveDestinations } from './destinations';
import { keyUseStatement } from './internal';
import { acknowledgeNag } from '../private/nag';
import { PropsValidator } from '../private/validation';

/** Props of `WafLogDelivery`. */
export interface WafLogDeliveryProps {
  /** The naming contract shared with the archive; the stream and role names come from it. */
  readonly destinations: LogArchiveDestinations;

  /**
   * How long Firehose buffers records before it writes an object, 60 to 900 seconds.
   * @default Duration.seconds(300)
   */
  readonly bufferingInterval?: Duration;

  /**
   * How much Firehose buffers before it writes an object, in MiB, 1 to 128.
   * @default 5
   */
  readonly bufferingSizeMiB?: number;

  /**
   * A log group for Firehose delivery errors (for example when the archive denies a write). Firehose writes to a
   * stream named `S3Delivery`, which this construct creates.
   * @default - no error logging; watch the stream's `DeliveryToS3.Success` and `DeliveryToS3.DataFreshness` metrics
   */
  readonly errorLogGroup?: logs.ILogGroup;
}

/**
 * A Firehose stream in a workload account (Prod, Dev) that delivers AWS WAF logs to the Security account's SSE-KMS
 * log bucket under `waf/<account>/`.
 *
 * AWS WAF only logs to a CloudWatch Logs group, an S3 bucket or a Firehose stream named `aws-waf-logs-…` in the web
 * ACL's own account (ARCHITECTURE.md correction 5), so the Security bucket cannot be the destination directly;
 * Firehose can write to a bucket in another account. The stream is server-side encrypted with an AWS owned key
 * (direct PUT), buffers up to `bufferingInterval` / `bufferingSizeMiB`, compresses with GZIP and writes objects that
 * the archive's default encryption seals with the archive KMS key. Its role is named
 * `destinations.wafDeliveryRoleName`, the name the archive's bucket and key policies allow for each account in
 * `wafLogSourceAccounts`; so there is one `WafLogDelivery` per account and Region, shared by every web ACL there.
 *
 * Deploy it after the Security stack, and list the account in `CentralLogArchive`'s `wafLogSourceAccounts`.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-kinesis.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#cross-account-delivery-s3
 */
export class WafLogDelivery extends Construct {
  /** The stream, for `wafv2.CfnLoggingConfiguration.logDestinationConfigs`. */
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  /** ARN of the stream. */
  public readonly deliveryStreamArn: string;
  /** Name of the stream (`destinations.wafDeliveryStreamName`). */
  public readonly deliveryStreamName: string;
  /** The role Firehose assumes to write to the archive. */
  public readonly role: iam.IRole;

  private readonly destinations: LogArchiveDestinations;

  constructor(scope: Construct, id: string, props: WafLogDeliveryProps) {
    super(scope, id);
    const d = props.destinations;
    this.destinations = d;
    const interval = props.bufferingInterval ?? Duration.seconds(300);
    const sizeMiB = props.bufferingSizeMiB ?? 5;

    const v = new PropsValidator('WafLogDelivery');
    v.integerInRange('bufferingInterval', interval.toSeconds(), 60, 900, 'a buffering interval in seconds');
    v.integerInRange('bufferingSizeMiB', sizeMiB, 1, 128, 'a buffer size in MiB');
    v.throwIfInvalid(this);

    const stack = Stack.of(this);
    const account = stack.account;
    const streamName = d.wafDeliveryStreamName;
    const dataPrefix = d.wafLogPrefix(account);
    const errorPrefix = d.wafErrorPrefix(account);

    const role = new iam.Role(this, 'Role', {
      roleName: d.wafDeliveryRoleName,
      description: `Firehose ${streamName} writes WAF logs to the central log archive ${d.logBucketName}`,
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'firehose', resource: 'deliverystream', resourceName: streamName }) },
        },
      }),
    });
    this.role = role;

    const policy = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: `Lets Firehose ${streamName} write this account's WAF logs to the central log archive`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteWafLogObjects',
          // s3:PutObjectAcl: Firehose sets bucket-owner-full-control on cross-account writes.
          actions: ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectAcl'],
          resources: [`${d.logBucketArn}/${dataPrefix}/*`, `${d.logBucketArn}/${errorPrefix}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'ReadBucketSettings',
          actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
          resources: [d.logBucketArn],
        }),
        // The key ID is unknown here; the alias condition and the S3 encryption context pin the archive key.
        keyUseStatement(d, ['kms:GenerateDataKey', 'kms:Decrypt']),
      ],
    });
    acknowledgeNag(policy,
      {
        id: `AwsSolutions-IAM5[Resource::${d.logBucketArn}/${dataPrefix}/*]`,
        reason: 'Firehose names each WAF log object by time under this account\'s own waf/<account>/ prefix of the archive bucket; the object names cannot be listed in advance.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${d.logBucketArn}/${errorPrefix}/*]`,
        reason: 'Firehose names each undeliverable-record object by time under this account\'s own waf-errors/<account>/ prefix; the object names cannot be listed in advance.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${d.keyArnPattern}]`,
        reason: 'The archive key lives in the Security account and its ID is unknown at synthesis here; kms:ResourceAliases, kms:ViaService and the S3 encryption context restrict this to the archive key used by S3 for the log bucket.',
      });

    let loggingOptions: firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty = { enabled: false };
    if (props.errorLogGroup) {
      const logStream = new logs.LogStream(this, 'ErrorLogStream', {
        logGroup: props.errorLogGroup,
        logStreamName: 'S3Delivery',
        removalPolicy: RemovalPolicy.RETAIN,
      });
      policy.addStatements(new iam.PolicyStatement({
        sid: 'WriteDeliveryErrors',
        actions: ['logs:PutLogEvents'],
        resources: [stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `${props.errorLogGroup.logGroupName}:log-stream:S3Delivery`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })],
      }));
      loggingOptions = { enabled: true, logGroupName: props.errorLogGroup.logGroupName, logStreamName: logStream.logStreamName };
    }

    const stream = new firehose.CfnDeliveryStream(this, 'Resource', {
      deliveryStreamName: streamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: d.logBucketArn,
        roleArn: role.roleArn,
        prefix: `${dataPrefix}/!{timestamp:yyyy/MM/dd/HH}/`,
        errorOutputPrefix: `${errorPrefix}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        bufferingHints: { intervalInSeconds: interval.toSeconds(), sizeInMBs: sizeMiB },
        compressionFormat: 'GZIP',
        // No SSE override: the archive bucket's default encryption (the archive KMS key) applies.
        encryptionConfiguration: { noEncryptionConfig: 'NoEncryption' },
        cloudWatchLoggingOptions: loggingOptions,
      },
    });
    // Firehose checks that it can assume the role and write when the stream is created.
    stream.node.addDependency(policy);
    this.deliveryStream = stream;
    this.deliveryStreamArn = stream.attrArn;
    this.deliveryStreamName = streamName;
  }

  /** The S3 key prefix this stream writes WAF logs under, e.g. `waf/333333333333`. */
  public get logPrefix(): string {
    return this.destinations.wafLogPrefix(Stack.of(this).account);
  }
}
