import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { isKeyPrefix, keyUseStatement } from './internal';
import { PropsValidator, renderValue } from '../private/validation';

/**
 * The naming contract of the central log archive, shared by the Security account (which creates the buckets and the
 * key with exactly these names) and every account that writes logs (which derives the same names from the same
 * shared configuration). Cross-account CloudFormation references do not exist, so nothing here is looked up.
 */
export interface LogArchiveDestinationsProps {
  /** The AWS account that holds the archive (the Security account), 12 digits. Must be a literal, not a token. */
  readonly archiveAccountId: string;

  /**
   * The Region of the archive buckets and key, e.g. `ap-northeast-1`. Must be a literal, not a token.
   * Application Load Balancers can only log to a bucket in their own Region.
   */
  readonly region: string;

  /**
   * Prefix of every derived name: lowercase letters, digits and hyphens, starting and ending with a letter or digit,
   * e.g. `gov-hybrid`. Bucket names are `<namePrefix>-logs-<account>-<region>` and similar, so keep it short
   * (every derived bucket name must fit S3's 63 characters).
   */
  readonly namePrefix: string;

  /**
   * The partition of every ARN: `aws`, `aws-cn` or `aws-us-gov`.
   * @default 'aws'
   */
  readonly partition?: string;

  /**
   * Name of the SSE-KMS log bucket (flow logs, Resolver query logs, CloudTrail, WAF, Session Manager).
   * @default `<namePrefix>-logs-<archiveAccountId>-<region>`
   */
  readonly logBucketName?: string;

  /**
   * Name of the SSE-S3 bucket for Application Load Balancer access logs.
   * @default `<namePrefix>-alb-logs-<archiveAccountId>-<region>`
   */
  readonly albLogBucketName?: string;

  /**
   * Name of the SSE-S3 bucket that receives the S3 server access logs of the two log buckets.
   * @default `<namePrefix>-s3-access-logs-<archiveAccountId>-<region>`
   */
  readonly accessLogBucketName?: string;

  /**
   * Alias of the archive KMS key, starting with `alias/`.
   * @default `alias/<namePrefix>-log-archive`
   */
  readonly keyAliasName?: string;

  /**
   * Name of the IAM role that the WAF log Firehose stream of each workload account assumes. The archive's bucket
   * and key policies allow exactly this role name in each WAF source account.
   * @default `<namePrefix>-waf-log-delivery-<region>`
   */
  readonly wafDeliveryRoleName?: string;

  /**
   * Name of the WAF log Firehose stream in each workload account. AWS WAF requires the `aws-waf-logs-` prefix.
   * @default `aws-waf-logs-<namePrefix>`
   */
  readonly wafDeliveryStreamName?: string;
}

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const S3_PARTITION_SUFFIX: { readonly [partition: string]: string } = {
  'aws': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

/**
 * Where every account of the hybrid network sends its logs: deterministic bucket names, key alias, role and stream
 * names and S3 key prefixes derived from the archive account, the Region and a name prefix, plus factory methods
 * that import the destinations in a consuming stack without any cross-account reference.
 *
 * Build one from the shared typed configuration and use the same values in every stack: the Security stack passes
 * it to `CentralLogArchive` (which creates the buckets and key with exactly these names), the Network, Prod and Dev
 * stacks use its factory methods (flow logs, ALB access logs, Resolver query logs, WAF, Session Manager).
 *
 * Key layout of the SSE-KMS log bucket: `vpc-flow-logs/<source>/AWSLogs/<account>/…`,
 * `tgw-flow-logs/<source>/AWSLogs/<account>/…`, `resolver-query-logs/<source>/AWSLogs/<account>/…`,
 * `cloudtrail/AWSLogs/…`, `waf/<account>/…`, `waf-errors/<account>/…`, `session-manager/<account>/…`.
 * The ALB bucket holds `alb/<source>/AWSLogs/<account>/…`.
 *
 * @throws Error listing every problem when an ID, Region, prefix or name is malformed, or when the account or Region
 * is an unresolved token (deterministic names need literal values).
 */
export class LogArchiveDestinations {
  /** S3 key prefix of CloudTrail logs in the log bucket (`cloudtrail`). */
  public static readonly CLOUDTRAIL_PREFIX = 'cloudtrail';

  /** The archive (Security) account ID. */
  public readonly archiveAccountId: string;
  /** The Region of the archive. */
  public readonly region: string;
  /** The ARN partition. */
  public readonly partition: string;
  /** The prefix of every derived name. */
  public readonly namePrefix: string;
  /** Name of the SSE-KMS log bucket. */
  public readonly logBucketName: string;
  /** Name of the SSE-S3 ALB access-log bucket. */
  public readonly albLogBucketName: string;
  /** Name of the SSE-S3 S3 server-access-log bucket. */
  public readonly accessLogBucketName: string;
  /** Alias name of the archive KMS key, e.g. `alias/gov-hybrid-log-archive`. */
  public readonly keyAliasName: string;
  /** Name of the WAF log Firehose role in each WAF source account. */
  public readonly wafDeliveryRoleName: string;
  /** Name of the WAF log Firehose stream in each WAF source account (starts with `aws-waf-logs-`). */
  public readonly wafDeliveryStreamName: string;

  constructor(props: LogArchiveDestinationsProps) {
    const v = new PropsValidator('LogArchiveDestinations');
    literal(v, 'archiveAccountId', props.archiveAccountId) && v.accountId('archiveAccountId', props.archiveAccountId);
    literal(v, 'region', props.region) && v.check(/^[a-z]{2,4}(-[a-z]+)+-[0-9]+$/.test(props.region), 'region', props.region,
      'is not an AWS Region name; write it like ap-northeast-1.');
    const partition = props.partition ?? 'aws';
    literal(v, 'partition', partition) && v.check(PARTITIONS.includes(partition), 'partition', partition,
      `is not a partition this library supports; use one of ${PARTITIONS.join(', ')}.`);
    literal(v, 'namePrefix', props.namePrefix) && v.check(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(props.namePrefix), 'namePrefix', props.namePrefix,
      'is not a valid name prefix; use lowercase letters, digits and hyphens, starting and ending with a letter or digit.');

    this.archiveAccountId = props.archiveAccountId;
    this.region = props.region;
    this.partition = partition;
    this.namePrefix = props.namePrefix;
    const suffix = `${props.archiveAccountId}-${props.region}`;
    this.logBucketName = props.logBucketName ?? `${props.namePrefix}-logs-${suffix}`;
    this.albLogBucketName = props.albLogBucketName ?? `${props.namePrefix}-alb-logs-${suffix}`;
    this.accessLogBucketName = props.accessLogBucketName ?? `${props.namePrefix}-s3-access-logs-${suffix}`;
    this.keyAliasName = props.keyAliasName ?? `alias/${props.namePrefix}-log-archive`;
    this.wafDeliveryRoleName = props.wafDeliveryRoleName ?? `${props.namePrefix}-waf-log-delivery-${props.region}`;
    this.wafDeliveryStreamName = props.wafDeliveryStreamName ?? `aws-waf-logs-${props.namePrefix}`;

    if (v.ok) {
      bucketName(v, 'logBucketName', this.logBucketName, props.logBucketName === undefined);
      bucketName(v, 'albLogBucketName', this.albLogBucketName, props.albLogBucketName === undefined);
      bucketName(v, 'accessLogBucketName', this.accessLogBucketName, props.accessLogBucketName === undefined);
      const names = [this.logBucketName, this.albLogBucketName, this.accessLogBucketName];
      v.check(new Set(names).size === names.length, 'logBucketName', names,
        'repeats a bucket name; the log, ALB and access-log buckets need three different names.');
      derived(v, 'keyAliasName', this.keyAliasName, props.keyAliasName === undefined,
        /^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(this.keyAliasName) && !this.keyAliasName.startsWith('alias/aws/'),
        'is not a KMS alias name; use alias/ followed by letters, digits, slashes, underscores or hyphens (not alias/aws/).');
      derived(v, 'wafDeliveryRoleName', this.wafDeliveryRoleName, props.wafDeliveryRoleName === undefined,
        /^[\w+=,.@-]{1,64}$/.test(this.wafDeliveryRoleName),
        'is not an IAM role name; use at most 64 letters, digits and +=,.@_- characters.');
      derived(v, 'wafDeliveryStreamName', this.wafDeliveryStreamName, props.wafDeliveryStreamName === undefined,
        /^aws-waf-logs-[a-zA-Z0-9_.-]{1,51}$/.test(this.wafDeliveryStreamName),
        'is not a WAF log stream name; AWS WAF needs a Firehose stream named aws-waf-logs-<suffix>, at most 64 letters, digits and _.- characters.');
    }
    throwUnlessOk(v);
  }

  /** ARN of the SSE-KMS log bucket. */
  public get logBucketArn(): string {
    return `arn:${this.partition}:s3:::${this.logBucketName}`;
  }

  /** ARN of the ALB access-log bucket. */
  public get albLogBucketArn(): string {
    return `arn:${this.partition}:s3:::${this.albLogBucketName}`;
  }

  /**
   * ARN of the archive key's alias. Usable to name the key in cryptographic operations from other accounts; not
   * usable as the `Resource` of an IAM policy (that would match the alias, not the key).
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
   */
  public get keyAliasArn(): string {
    return `arn:${this.partition}:kms:${this.region}:${this.archiveAccountId}:${this.keyAliasName}`;
  }

  /**
   * The IAM resource pattern that matches the archive account's KMS keys in the archive Region
   * (`arn:aws:kms:<region>:<account>:key/*`). Writers narrow it with the `kms:ResourceAliases` condition, because the
   * key ID is not known at synthesis time in other accounts.
   */
  public get keyArnPattern(): string {
    return `arn:${this.partition}:kms:${this.region}:${this.archiveAccountId}:key/*`;
  }

  /** The S3 service name that calls KMS on behalf of writers and readers, for `kms:ViaService`. */
  public get s3ViaService(): string {
    return `s3.${this.region}.${S3_PARTITION_SUFFIX[this.partition]}`;
  }

  /** ARN of the WAF log Firehose role in `accountId`. */
  public wafDeliveryRoleArn(accountId: string): string {
    return `arn:${this.partition}:iam::${accountId}:role/${this.wafDeliveryRoleName}`;
  }

  /** S3 key prefix (no trailing slash) of the VPC flow logs of `sourceName`, e.g. `vpc-flow-logs/prod-vpc`. */
  public vpcFlowLogPrefix(sourceName: string): string {
    return `vpc-flow-logs/${checkSourceName('vpcFlowLogPrefix', sourceName)}`;
  }

  /** S3 key prefix (no trailing slash) of the transit gateway flow logs of `sourceName`. */
  public transitGatewayFlowLogPrefix(sourceName: string): string {
    return `tgw-flow-logs/${checkSourceName('transitGatewayFlowLogPrefix', sourceName)}`;
  }

  /** S3 key prefix (no trailing slash) of the Route 53 Resolver query logs of `sourceName`. */
  public resolverQueryLogPrefix(sourceName: string): string {
    return `resolver-query-logs/${checkSourceName('resolverQueryLogPrefix', sourceName)}`;
  }

  /**
   * Prefix (no trailing slash) to pass to `ApplicationLoadBalancer.logAccessLogs` for the load balancer `sourceName`,
   * e.g. `alb/prod-app`. ELB appends `/AWSLogs/<account>/…`.
   */
  public albAccessLogPrefix(sourceName: string): string {
    return `alb/${checkSourceName('albAccessLogPrefix', sourceName)}`;
  }

  /** S3 key prefix (no trailing slash) of the WAF logs that the Firehose stream of `accountId` writes. */
  public wafLogPrefix(accountId: string): string {
    return `waf/${checkAccount('wafLogPrefix', accountId)}`;
  }

  /** S3 key prefix (no trailing slash) of the records the WAF log stream of `accountId` could not deliver. */
  public wafErrorPrefix(accountId: string): string {
    return `waf-errors/${checkAccount('wafErrorPrefix', accountId)}`;
  }

  /**
   * S3 key prefix (no trailing slash) for Session Manager session logs of `accountId`: pass it as `s3KeyPrefix` in the
   * account's Session Manager preferences, and to `CentralLogArchive`'s `writerRoles[].keyPrefix`.
   */
  public sessionManagerLogPrefix(accountId: string): string {
    return `session-manager/${checkAccount('sessionManagerLogPrefix', accountId)}`;
  }

  /**
   * ARN to pass as `destinationArn` of a `route53resolver.CfnResolverQueryLoggingConfig` so that the query logs of
   * `sourceName` land in the log bucket under `resolver-query-logs/<sourceName>/`.
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverQueryLogConfig.html
   */
  public resolverQueryLogDestinationArn(sourceName: string): string {
    return `${this.logBucketArn}/${this.resolverQueryLogPrefix(sourceName)}/`;
  }

  /**
   * The SSE-KMS log bucket, imported into the stack of `scope` (once per stack) with its account and Region, for use
   * as a log destination. It carries no `encryptionKey`: writers rely on the bucket's default encryption, and the
   * key is granted to them by the archive's key policy and by `logWriteStatements`, not by `IBucket.grant*`.
   */
  public logBucket(scope: IConstruct): s3.IBucket {
    return this.importBucket(scope, 'GovHybridLogArchiveLogBucket', this.logBucketName, this.logBucketArn);
  }

  /**
   * The SSE-S3 ALB access-log bucket, imported into the stack of `scope` (once per stack), for
   * `ApplicationLoadBalancer.logAccessLogs(bucket, destinations.albAccessLogPrefix('<name>'))`.
   */
  public albLogBucket(scope: IConstruct): s3.IBucket {
    return this.importBucket(scope, 'GovHybridLogArchiveAlbLogBucket', this.albLogBucketName, this.albLogBucketArn);
  }

  /**
   * A VPC flow log destination in the log bucket under `vpc-flow-logs/<sourceName>/`, for `ec2.FlowLog` or
   * `Vpc.addFlowLog`. The bucket policy is the archive's: the flow log's stack adds none.
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
   */
  public vpcFlowLogDestination(scope: IConstruct, sourceName: string, options?: ec2.S3DestinationOptions): ec2.FlowLogDestination {
    return ec2.FlowLogDestination.toS3(this.logBucket(scope), this.vpcFlowLogPrefix(sourceName), options);
  }

  /**
   * A transit gateway flow log destination in the log bucket under `tgw-flow-logs/<sourceName>/`, for `ec2.FlowLog`
   * with `FlowLogResourceType.fromTransitGatewayId`.
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-s3.html
   */
  public transitGatewayFlowLogDestination(scope: IConstruct, sourceName: string, options?: ec2.S3DestinationOptions): ec2.FlowLogDestination {
    return ec2.FlowLogDestination.toS3(this.logBucket(scope), this.transitGatewayFlowLogPrefix(sourceName), options);
  }

  /**
   * The identity-policy statements a role in a source account (e.g. the Session Manager instance role) needs to write
   * objects under `keyPrefix` in the SSE-KMS log bucket: `s3:PutObject` and `s3:PutObjectAcl` on
   * `<bucket>/<keyPrefix>/*`, `s3:GetEncryptionConfiguration` on the bucket, and `kms:GenerateDataKey` /
   * `kms:Decrypt` on the archive key only through S3 (`kms:ViaService`, the bucket's encryption context and
   * `kms:ResourceAliases`, since the key ID is unknown in other accounts). Add them to a customer managed policy of
   * the writer role; the archive must allow the same role and prefix in `writerRoles`.
   *
   * @param keyPrefix the prefix without leading or trailing slash, e.g. `destinations.sessionManagerLogPrefix('222222222222')`
   * @throws when `keyPrefix` is not a key prefix
   * @see https://repost.aws/knowledge-center/ssm-s3-bucket-logging-multiple-accounts
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
   */
  public logWriteStatements(keyPrefix: string): iam.PolicyStatement[] {
    checkKeyPrefix('logWriteStatements', keyPrefix);
    return [
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:PutObjectAcl'],
        resources: [`${this.logBucketArn}/${keyPrefix}/*`],
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetEncryptionConfiguration'],
        resources: [this.logBucketArn],
      }),
      keyUseStatement(this, ['kms:GenerateDataKey', 'kms:Decrypt']),
    ];
  }

  private importBucket(scope: IConstruct, id: string, name: string, bucketArn: string): s3.IBucket {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(id);
    if (existing) {
      return existing as unknown as s3.IBucket;
    }
    return s3.Bucket.fromBucketAttributes(stack, id, {
      bucketName: name,
      bucketArn,
      account: this.archiveAccountId,
      region: this.region,
    });
  }
}

/** Records a problem and returns false when `value` is an unresolved token: deterministic names need literals. */
function literal(v: PropsValidator, prop: string, value: string): boolean {
  if (Token.isUnresolved(value)) {
    v.report(prop, value, 'is a deploy-time token; use the literal value from the shared configuration, because every account must derive the same names.');
    return false;
  }
  return true;
}

/** Checks an S3 general purpose bucket name; a derived name that is too long asks for a shorter prefix. */
function bucketName(v: PropsValidator, prop: string, name: string, isDerived: boolean): void {
  if (isDerived && name.length > 63) {
    v.report(prop, name, `is ${name.length} characters long; S3 allows 63. Shorten \`namePrefix\` or set \`${prop}\`.`);
    return;
  }
  const ok = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && !name.startsWith('xn--')
    && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
  v.check(ok, prop, name, 'is not an S3 bucket name; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.');
}

function derived(v: PropsValidator, prop: string, value: string, isDerived: boolean, ok: boolean, message: string): void {
  if (!ok) {
    v.report(prop, value, isDerived ? `(derived from \`namePrefix\`) ${message}` : message);
  }
}

function throwUnlessOk(v: PropsValidator): void {
  if (v.ok) {
    return;
  }
  const problems = v.messages;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw new Error(`Invalid LogArchiveDestinations props (${count}):\n` + problems.map((p) => `  - ${p}`).join('\n'));
}

function checkSourceName(method: string, sourceName: string): string {
  if (Token.isUnresolved(sourceName) || !/^[a-zA-Z0-9._-]{1,64}$/.test(sourceName)) {
    throw new Error(`LogArchiveDestinations.${method}: \`sourceName\` ${renderValue(sourceName)} is not a log source name; ` +
      'use 1-64 letters, digits, dots, underscores or hyphens (no slash), e.g. prod-vpc.');
  }
  return sourceName;
}

function checkAccount(method: string, accountId: string): string {
  if (!Token.isUnresolved(accountId) && !/^[0-9]{12}$/.test(accountId)) {
    throw new Error(`LogArchiveDestinations.${method}: \`accountId\` ${renderValue(accountId)} is not an AWS account ID; use the 12 digits of the account.`);
  }
  return accountId;
}

function checkKeyPrefix(method: string, keyPrefix: string): void {
  if (Token.isUnresolved(keyPrefix)) {
    return;
  }
  if (!isKeyPrefix(keyPrefix)) {
    throw new Error(`LogArchiveDestinations.${method}: \`keyPrefix\` ${renderValue(keyPrefix)} is not a key prefix; ` +
      'write segments of letters, digits and !_.*\'()- separated by single slashes, with no leading or trailing slash and no AWSLogs segment.');
  }
}
