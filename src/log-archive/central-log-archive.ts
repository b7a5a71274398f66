import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { LogArchiveDestinations } from './destinations';
import { ElbLogDeliveryPrincipal } from './elb-principal';
import { ELB_ACCESS_LOG_DOC, isKeyPrefix } from './internal';
import { acknowledgeNag } from '../private/nag';
import { BUCKET_POLICY_LIMIT, estimatePolicyBytes, KEY_POLICY_LIMIT } from '../private/policy-size';
import { PropsValidator } from '../private/validation';

/** The S3 storage class that log objects move to after `transitionAfterDays`. */
export enum LogArchiveStorageClass {
  /** S3 Glacier Instant Retrieval: millisecond reads, 90-day minimum storage duration. */
  GLACIER_INSTANT_RETRIEVAL = 'GLACIER_IR',
  /** S3 Glacier Flexible Retrieval: reads after a restore of minutes to hours, 90-day minimum storage duration. */
  GLACIER_FLEXIBLE_RETRIEVAL = 'GLACIER',
  /** S3 Glacier Deep Archive: reads after a restore of up to 48 hours, 180-day minimum storage duration. */
  DEEP_ARCHIVE = 'DEEP_ARCHIVE',
}

/** S3 Object Lock default retention for the log buckets. */
export interface LogArchiveObjectLock {
  /**
   * GOVERNANCE lets principals with `s3:BypassGovernanceRetention` delete early; COMPLIANCE lets nobody, not even the
   * root user, delete a version before its retention ends.
   */
  readonly mode: s3.ObjectLockMode;
  /** Days each new object version is locked, 1 to 36500. */
  readonly retentionDays: number;
}

/**
 * An IAM role in a source account that writes logs itself (not through an AWS log delivery service), for example the
 * instance role of a Session Manager bastion that uploads session logs.
 */
export interface LogArchiveWriterRole {
  /** The role's account, 12 digits; must be one of `sourceAccounts`. */
  readonly accountId: string;
  /**
   * The role name, with its path if it has one (`path/name`). The role need not exist when the archive is deployed:
   * policies name the account and match the role ARN in an `aws:PrincipalArn` condition. Prefer a fixed name; a
   * trailing `*` matches a CloudFormation-generated name (e.g. `Network-OpsAccessBastionRole*`).
   */
  readonly roleName: string;
  /**
   * The S3 key prefix the role may write under, without leading or trailing slash, e.g.
   * `destinations.sessionManagerLogPrefix('222222222222')`. Prefixes used by AWS log delivery are reserved.
   */
  readonly keyPrefix: string;
}

/** An organization CloudTrail trail that writes into the archive, created by the archive or by the management account. */
export interface LogArchiveOrganizationTrailOptions {
  /**
   * The organization's management account, 12 digits. An organization trail is owned by the management account even
   * when a delegated administrator creates it, so its ARN and log path carry this account.
   */
  readonly managementAccountId: string;
  /**
   * The trail name: 3-128 letters, digits, periods, underscores and hyphens, starting with a letter or digit.
   * @default `<namePrefix>-organization-trail`
   */
  readonly trailName?: string;
  /**
   * Log events of every Region.
   * @default true
   */
  readonly multiRegion?: boolean;
  /**
   * Whether this stack creates the trail. Only the management account or a CloudTrail delegated administrator can
   * create an organization trail: set this to false when the trail is created in the management account (with
   * `trailName`, the log bucket `LogArchiveDestinations.logBucketName`, the key prefix `cloudtrail` and the archive
   * key). The bucket and key policies that let that trail write are added either way.
   * @default true
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
   */
  readonly createTrail?: boolean;
}

/** Props of `CentralLogArchive`. */
export interface CentralLogArchiveProps {
  /** The naming contract shared with every source account. Its account and Region must be this stack's. */
  readonly destinations: LogArchiveDestinations;

  /**
   * Every account whose logs the archive accepts (12 digits each): VPC and transit gateway flow logs, Resolver query
   * logs and ALB access logs are accepted only from these accounts. For the reference deployment: Network, Prod, Dev.
   */
  readonly sourceAccounts: string[];

  /**
   * The AWS Organizations ID (`o-` followed by 10-32 lowercase letters or digits). When set, writer and reader roles
   * must also belong to the organization (`aws:PrincipalOrgID`). Required for `organizationTrail`.
   * @default - roles are scoped by account and role ARN only
   */
  readonly organizationId?: string;

  /**
   * Scope the archive's policies by organization instead of listing every source account in each statement, for
   * organizations with many accounts (seed 001: 120). Requires `organizationId`. Then:
   * - `delivery.logs.amazonaws.com` (VPC and transit gateway flow logs, Resolver query logs) may write the
   *   `AWSLogs/<account>/` paths of any log source of the organization (`aws:SourceOrgID`) in this Region
   *   (`aws:SourceArn` = `arn:<partition>:logs:<region>:*:*`), in the bucket policy and in the key policy;
   * - the Firehose roles of `wafLogSourceAccounts` share one statement whose resources use the `${aws:PrincipalAccount}`
   *   policy variable, so each role still writes only under `waf/<its account>/` and `waf-errors/<its account>/`.
   *
   * `sourceAccounts` still bounds the ALB access-log paths: the Region's ELB log delivery account belongs to no
   * organization, so that statement lists each account (about 95 bytes per account, so about 200 accounts fit).
   *
   * Without it, the log bucket policy grows by about 280 bytes per source account and 610 bytes per WAF source account;
   * S3 rejects bucket policies above 20 KB, which a plan reaches at about 70 source accounts (about 23 when each also
   * delivers WAF logs). Synthesis fails when a policy of the archive would exceed its limit (S3 bucket policy 20 KB,
   * KMS key policy 32 KB).
   * @default false
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
   */
  readonly organizationScopedPolicies?: boolean;

  /**
   * Accounts whose `WafLogDelivery` Firehose role (named `destinations.wafDeliveryRoleName`) may write WAF logs under
   * `waf/<account>/` and `waf-errors/<account>/`. Each must be one of `sourceAccounts`.
   * @default - no account may deliver WAF logs
   */
  readonly wafLogSourceAccounts?: string[];

  /**
   * Roles that write logs themselves, e.g. Session Manager instance roles.
   * @default - none
   */
  readonly writerRoles?: LogArchiveWriterRole[];

  /**
   * ARNs of the IAM roles that may read the logs (`s3:GetObject`, `s3:ListBucket` on the three buckets and
   * `kms:Decrypt` through S3). Nobody else can decrypt the SSE-KMS log bucket; the key administrators (the archive
   * account) can manage the key but not use it.
   * @default - nobody can read through the bucket policies
   */
  readonly readerRoleArns?: string[];

  /**
   * Days after which log objects move to `transitionStorageClass`, 1 to 36500. Seed 001 suggests 90 days.
   * Objects smaller than 128 KB stay in S3 Standard (S3's default minimum transition size), which avoids per-object
   * transition charges larger than the saving.
   * @default 90
   */
  readonly transitionAfterDays?: number;

  /**
   * The archive storage class.
   * @default LogArchiveStorageClass.GLACIER_FLEXIBLE_RETRIEVAL
   */
  readonly transitionStorageClass?: LogArchiveStorageClass;

  /**
   * Days after which current log objects expire (a delete marker replaces them), 1 to 36500; must be greater than
   * `transitionAfterDays`.
   * @default - logs never expire
   */
  readonly expireAfterDays?: number;

  /**
   * Days a version stays after it stops being current (overwritten, deleted or expired) before S3 removes it for
   * good, 1 to 36500. Object Lock still protects locked versions until their retention ends.
   * @default 90
   */
  readonly noncurrentVersionExpireAfterDays?: number;

  /**
   * S3 Object Lock default retention for the SSE-KMS log bucket and the ALB log bucket. Object Lock can only be
   * turned on when a bucket is created. The server-access-log bucket never gets it: S3 does not deliver server
   * access logs to a bucket with Object Lock.
   * @default - no Object Lock
   */
  readonly objectLock?: LogArchiveObjectLock;

  /**
   * Who Elastic Load Balancing writes ALB access logs as in this Region.
   * @default - looked up from the Region (`ElbLogDeliveryPrincipal.forRegion`); synthesis fails for a Region the
   * library does not know
   */
  readonly elbLogDeliveryPrincipal?: ElbLogDeliveryPrincipal;

  /**
   * An organization CloudTrail trail that writes to the SSE-KMS log bucket with the archive key: the bucket and key
   * policies let exactly this trail write, and the archive creates it. Only the management account or a CloudTrail
   * delegated administrator can create one: register the archive account as delegated administrator first, or set
   * `createTrail: false` and create the trail in the management account.
   * @default - no trail
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
   */
  readonly organizationTrail?: LogArchiveOrganizationTrailOptions;
}

/** S3 key prefixes the archive reserves for AWS log delivery. */
const RESERVED_PREFIXES = ['vpc-flow-logs', 'tgw-flow-logs', 'resolver-query-logs', LogArchiveDestinations.CLOUDTRAIL_PREFIX, 'waf', 'waf-errors'];

const MIN_STORAGE_DAYS: { readonly [cls: string]: number } = {
  [LogArchiveStorageClass.GLACIER_INSTANT_RETRIEVAL]: 90,
  [LogArchiveStorageClass.GLACIER_FLEXIBLE_RETRIEVAL]: 90,
  [LogArchiveStorageClass.DEEP_ARCHIVE]: 180,
};

/**
 * KMS key administration without any cryptographic action: the archive account can manage, rotate, re-policy and
 * delete the key (the statement that keeps the key manageable), but cannot encrypt or decrypt with it, nor create
 * grants that would let someone decrypt.
 */
const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:DescribeKey', 'kms:DisableKey',
  'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:EnableKeyRotation', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus',
  'kms:ListAliases', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListKeyRotations', 'kms:ListResourceTags',
  'kms:PutKeyPolicy', 'kms:RevokeGrant', 'kms:RotateKeyOnDemand', 'kms:ScheduleKeyDeletion', 'kms:TagResource',
  'kms:UntagResource', 'kms:UpdateAlias', 'kms:UpdateKeyDescription',
];

/**
 * The central log archive in the Security account (ARCHITECTURE.md correction 5).
 *
 * Builds a customer managed KMS key (rotation on) and three buckets named by `LogArchiveDestinations`:
 * - the SSE-KMS log bucket for VPC and transit gateway flow logs, Route 53 Resolver query logs (all delivered by
 *   `delivery.logs.amazonaws.com`), CloudTrail, WAF logs (through a `WafLogDelivery` Firehose stream in each workload
 *   account) and Session Manager session logs (written by the instance roles in `writerRoles`);
 * - the SSE-S3 ALB access-log bucket: Elastic Load Balancing only supports SSE-S3 for access logs, so ALB logs
 *   cannot use the KMS bucket;
 * - the SSE-S3 server-access-log bucket for both (S3 server access logging does not support SSE-KMS targets).
 *
 * WAF logs cannot go to the KMS bucket directly either: AWS WAF only logs to a destination named `aws-waf-logs-…`
 * in the web ACL's own account, so each workload account runs a Firehose stream that delivers cross-account.
 *
 * Every bucket blocks public access, requires TLS 1.2, enforces bucket-owner object ownership (ACLs off), keeps
 * versions, moves objects to Glacier after `transitionAfterDays`, and is retained when the stack is deleted. Bucket
 * and key policies allow writes only from `sourceAccounts` (`aws:SourceAccount` and `aws:SourceArn` for AWS
 * services, `aws:PrincipalArn` for roles, the account's own `AWSLogs/<account>/` path for ELB). Deploy this stack
 * before any stack that writes logs: AWS checks the bucket policy when a flow log or ALB logging is created.
 *
 * The key policy keeps the archive account's administration statement (so the key stays manageable) but without any
 * cryptographic action or `kms:CreateGrant`; the log delivery service may use the key for the source accounts, the
 * writer roles may encrypt and the `readerRoleArns` decrypt, both only through S3 for the log bucket. Roles are
 * matched by `aws:PrincipalArn` with their account as principal, because S3 and KMS reject policies whose principal
 * is a role that does not exist yet.
 *
 * @throws Error listing every problem in the props (account IDs, organization ID, lifecycle days, Object Lock,
 * writer roles, readers, unknown ELB Region, stack account or Region that differs from `destinations`).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
 */
export class CentralLogArchive extends Construct {
  /** The naming contract the archive was built from. */
  public readonly destinations: LogArchiveDestinations;
  /** The customer managed key of the log bucket. */
  public readonly key: kms.IKey;
  /** The SSE-KMS log bucket. */
  public readonly logBucket: s3.IBucket;
  /** The SSE-S3 ALB access-log bucket. */
  public readonly albLogBucket: s3.IBucket;
  /** The SSE-S3 bucket that receives the S3 server access logs of the two log buckets. */
  public readonly accessLogBucket: s3.IBucket;
  /** The principal the ALB bucket policy allows to write access logs. */
  public readonly elbLogDeliveryPrincipal: ElbLogDeliveryPrincipal;
  /** The organization trail, when `organizationTrail` is set and `createTrail` is not false. */
  public readonly organizationTrail?: cloudtrail.CfnTrail;

  constructor(scope: Construct, id: string, props: CentralLogArchiveProps) {
    super(scope, id);
    // CDK then grants S3 server access logging through a bucket policy (ACLs are disabled on every bucket here),
    // whatever the app's feature flags say.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const d = props.destinations;
    this.destinations = d;
    const elbPrincipal = props.elbLogDeliveryPrincipal ?? ElbLogDeliveryPrincipal.forRegion(d.region);
    validate(this, props, elbPrincipal);
    this.elbLogDeliveryPrincipal = elbPrincipal!;

    const sourceAccounts = props.sourceAccounts;
    const transitionAfterDays = props.transitionAfterDays ?? 90;
    const storageClass = props.transitionStorageClass ?? LogArchiveStorageClass.GLACIER_FLEXIBLE_RETRIEVAL;
    warnOnEarlyDeletion(this, transitionAfterDays, props.expireAfterDays, storageClass);

    const orgScoped = props.organizationScopedPolicies ?? false;
    // Log delivery (flow logs, Resolver query logs) from the listed accounts, or from any account of the organization.
    const logsArns: string | string[] = orgScoped
      ? `arn:${d.partition}:logs:${d.region}:*:*`
      : sourceAccounts.map((a) => `arn:${d.partition}:logs:${d.region}:${a}:*`);
    const deliveryConditions = {
      StringEquals: orgScoped ? { 'aws:SourceOrgID': props.organizationId } : { 'aws:SourceAccount': sourceAccounts },
      ArnLike: { 'aws:SourceArn': logsArns },
    };
    const writers = writerGrants(d, props, orgScoped);
    const readers = props.readerRoleArns ?? [];
    const orgCondition = props.organizationId ? { 'aws:PrincipalOrgID': props.organizationId } : {};
    const trail = props.organizationTrail ? trailArns(this, d, props.organizationTrail) : undefined;

    // ---------- KMS key ----------
    const keyPolicy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'KeyAdministrationWithoutCryptography',
          principals: [new iam.AccountRootPrincipal()],
          actions: KEY_ADMIN_ACTIONS,
          resources: ['*'],
        }),
        // The action set AWS documents for vended logs (flow logs, Resolver query logs) to an SSE-KMS bucket. The
        // service acts only for the source accounts' log resources (aws:SourceAccount, aws:SourceArn) and can only
        // reach objects through its own S3 writes; no person or role gets decrypt from this statement.
        new iam.PolicyStatement({
          sid: 'LogDeliveryMayEncrypt',
          principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: deliveryConditions,
        }),
      ],
    });
    if (trail) {
      keyPolicy.addStatements(
        new iam.PolicyStatement({
          sid: 'CloudTrailMayEncrypt',
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceArn': trail.arns },
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trail.contextPatterns },
          },
        }),
        new iam.PolicyStatement({
          sid: 'CloudTrailMayDescribeKey',
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['kms:DescribeKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceArn': trail.arns } },
        }),
      );
    }
    const throughS3 = {
      'kms:ViaService': d.s3ViaService,
      'kms:EncryptionContext:aws:s3:arn': d.logBucketArn,
    };
    if (writers.length > 0) {
      keyPolicy.addStatements(new iam.PolicyStatement({
        sid: 'WriterRolesMayEncryptThroughS3',
        principals: accountPrincipals(writers.map((w) => w.accountId)),
        // kms:Decrypt is what S3 needs to complete a multipart upload; S3 only calls it for this bucket.
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'aws:PrincipalArn': unique(writers.map((w) => w.roleArn)) },
          StringEquals: { ...throughS3, ...orgCondition },
        },
      }));
    }
    if (readers.length > 0) {
      keyPolicy.addStatements(new iam.PolicyStatement({
        sid: 'ReaderRolesMayDecryptThroughS3',
        principals: accountPrincipals(readers.map(accountOfArn)),
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': readers },
          StringEquals: { ...throughS3, ...orgCondition },
        },
      }));
    }
    const key = new kms.Key(this, 'Key', {
      description: `Central log archive key (${d.logBucketName}); only log delivery services and named writer roles may encrypt`,
      alias: d.keyAliasName,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      policy: keyPolicy,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key = key;

    // ---------- buckets ----------
    const lifecycleRules = lifecycle(transitionAfterDays, storageClass, props.expireAfterDays,
      props.noncurrentVersionExpireAfterDays ?? 90);
    const common: s3.BucketProps = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const objectLock: s3.BucketProps = props.objectLock ? {
      objectLockEnabled: true,
      objectLockDefaultRetention: props.objectLock.mode === s3.ObjectLockMode.COMPLIANCE
        ? s3.ObjectLockRetention.compliance(Duration.days(props.objectLock.retentionDays))
        : s3.ObjectLockRetention.governance(Duration.days(props.objectLock.retentionDays)),
    } : {};

    const accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      ...common,
      bucketName: d.accessLogBucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    this.accessLogBucket = accessLogBucket;
    acknowledgeNag(accessLogBucket,
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the server-access-log target of the log archive; logging it into itself would loop and S3 advises against it.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketLoggingEnabled',
        reason: 'This is the server-access-log target of the log archive; logging it into itself would loop and S3 advises against it.',
      },
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason: 'S3 server access logging only delivers to targets whose default encryption is SSE-S3; SSE-KMS targets are not supported.',
      });

    const logBucket = new s3.Bucket(this, 'LogBucket', {
      ...common,
      ...objectLock,
      bucketName: d.logBucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      // One data key per bucket instead of one KMS call per object: log volume would otherwise drive KMS cost.
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogBucket,
      serverAccessLogsPrefix: 'log-bucket/',
    });
    this.logBucket = logBucket;

    const albLogBucket = new s3.Bucket(this, 'AlbLogBucket', {
      ...common,
      ...objectLock,
      bucketName: d.albLogBucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: accessLogBucket,
      serverAccessLogsPrefix: 'alb-log-bucket/',
    });
    this.albLogBucket = albLogBucket;
    acknowledgeNag(albLogBucket, {
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason: 'Elastic Load Balancing only supports SSE-S3 for access-log buckets (ARCHITECTURE.md correction 5), so this bucket cannot use the archive KMS key.',
    });
    for (const bucket of [accessLogBucket, logBucket, albLogBucket]) {
      acknowledgeNag(bucket, {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason: 'The archive is versioned, retained and optionally Object-Locked in one Region; cross-Region replication is a data-residency and cost decision left to the operator.',
      });
    }

    // ---------- log bucket policy ----------
    // Vended logs always land under AWSLogs/<source account>/; organization-scoped, any account's path of the org.
    const deliveryAccounts = orgScoped ? ['*'] : sourceAccounts;
    logBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'LogDeliveryWrite',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: deliveryAccounts.flatMap((a) => [
        `${d.logBucketArn}/AWSLogs/${a}/*`,
        `${d.logBucketArn}/*/AWSLogs/${a}/*`,
      ]),
      conditions: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...deliveryConditions.StringEquals },
        ArnLike: deliveryConditions.ArnLike,
      },
    }));
    logBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'LogDeliveryAclCheck',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [d.logBucketArn],
      conditions: deliveryConditions,
    }));
    if (trail) {
      const cloudtrailPrincipal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
      logBucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudTrailAclCheck',
        principals: [cloudtrailPrincipal],
        actions: ['s3:GetBucketAcl'],
        resources: [d.logBucketArn],
        conditions: { StringEquals: { 'aws:SourceArn': trail.arns } },
      }));
      logBucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [cloudtrailPrincipal],
        actions: ['s3:PutObject'],
        resources: [
          `${d.logBucketArn}/${LogArchiveDestinations.CLOUDTRAIL_PREFIX}/AWSLogs/${props.organizationTrail!.managementAccountId}/*`,
          `${d.logBucketArn}/${LogArchiveDestinations.CLOUDTRAIL_PREFIX}/AWSLogs/${props.organizationId}/*`,
        ],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trail.arns } },
      }));
    }
    if (orgScoped && (props.wafLogSourceAccounts ?? []).length > 0) {
      // One statement for every WAF Firehose role: the policy variable keeps each role under its own account's prefix.
      logBucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'WafDeliveryRolesPutObjects',
        principals: accountPrincipals(props.wafLogSourceAccounts!),
        actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:AbortMultipartUpload'],
        resources: ['waf', 'waf-errors'].map((p) => `${d.logBucketArn}/${p}/${ACCOUNT_VARIABLE}/*`),
        conditions: { ArnLike: { 'aws:PrincipalArn': d.wafDeliveryRoleArn('*') }, ...orgStringEquals(props.organizationId) },
      }));
    }
    writers.filter((w) => !w.shared).forEach((w, i) => {
      logBucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: `WriterRole${i}PutObjects`,
        principals: [new iam.AccountPrincipal(w.accountId)],
        actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:AbortMultipartUpload'],
        resources: w.keyPrefixes.map((p) => `${d.logBucketArn}/${p}/*`),
        conditions: { ArnLike: { 'aws:PrincipalArn': w.roleArn }, ...orgStringEquals(props.organizationId) },
      }));
    });
    if (writers.length > 0) {
      logBucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'WriterRolesReadBucketSettings',
        principals: accountPrincipals(writers.map((w) => w.accountId)),
        actions: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration', 's3:ListBucketMultipartUploads'],
        resources: [d.logBucketArn],
        conditions: { ArnLike: { 'aws:PrincipalArn': unique(writers.map((w) => w.roleArn)) }, ...orgStringEquals(props.organizationId) },
      }));
    }
    // Writers rely on the bucket's default encryption; nobody may store an object under another key or SSE-S3,
    // which would take it out of the archive key's control.
    logBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyOtherKmsKeys',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`${d.logBucketArn}/*`],
      conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn } },
    }));
    logBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyEncryptionOtherThanKms',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`${d.logBucketArn}/*`],
      conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    }));

    // ---------- ALB bucket policy ----------
    const elb = this.elbLogDeliveryPrincipal;
    albLogBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ElbAccessLogWrite',
      principals: [elb.accountId ? new iam.AccountPrincipal(elb.accountId) : new iam.ServicePrincipal(elb.servicePrincipal!)],
      actions: ['s3:PutObject'],
      // ELB writes under <prefix>/AWSLogs/<load balancer account>/: each source account can only fill its own path.
      resources: sourceAccounts.map((a) => `${d.albLogBucketArn}/alb/*/AWSLogs/${a}/*`),
    }));

    // ---------- readers ----------
    if (readers.length > 0) {
      for (const [bucket, arn] of [[logBucket, d.logBucketArn], [albLogBucket, d.albLogBucketArn],
        [accessLogBucket, `arn:${d.partition}:s3:::${d.accessLogBucketName}`]] as Array<[s3.Bucket, string]>) {
        bucket.addToResourcePolicy(new iam.PolicyStatement({
          sid: 'ReaderRolesRead',
          principals: accountPrincipals(readers.map(accountOfArn)),
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
          resources: [arn, `${arn}/*`],
          conditions: { ArnEquals: { 'aws:PrincipalArn': readers }, ...orgStringEquals(props.organizationId) },
        }));
      }
    }

    // ---------- policy sizes ----------
    // A policy over its service's limit fails at deployment; say so at synthesis, with the fix.
    this.node.addValidation({
      validate: () => policySizeProblems(this, [
        ['log bucket policy', logBucket.policy?.document, BUCKET_POLICY_LIMIT],
        ['ALB log bucket policy', albLogBucket.policy?.document, BUCKET_POLICY_LIMIT],
        ['key policy', keyPolicy, KEY_POLICY_LIMIT],
      ], sourceAccounts.length, orgScoped),
    });

    // ---------- organization trail ----------
    if (trail && props.organizationTrail!.createTrail !== false) {
      const trailResource = new cloudtrail.CfnTrail(this, 'OrganizationTrail', {
        trailName: trail.name,
        isLogging: true,
        isOrganizationTrail: true,
        isMultiRegionTrail: props.organizationTrail!.multiRegion ?? true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        s3BucketName: d.logBucketName,
        s3KeyPrefix: LogArchiveDestinations.CLOUDTRAIL_PREFIX,
        kmsKeyId: key.keyArn,
      });
      // CloudTrail checks the bucket policy and the key when the trail is created.
      trailResource.node.addDependency(logBucket.policy!.node.defaultChild as CfnResource);
      acknowledgeNag(trailResource, {
        id: 'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled',
        reason: 'The organization trail archives to the SSE-KMS log bucket; a CloudWatch Logs copy of every account\'s events is an optional, costly addition (and only the management account can set it up from the console).',
      });
      this.organizationTrail = trailResource;
    }
  }
}

interface WriterGrant {
  readonly accountId: string;
  /** The role ARN, or a pattern matching the same role name in every account of a shared statement. */
  readonly roleArn: string;
  readonly keyPrefixes: string[];
  /** True when the grant is part of the organization-scoped WAF statement rather than a statement of its own. */
  readonly shared: boolean;
}

/** The S3 policy variable for the account of the calling principal (resolved by S3 at evaluation, not by CDK). */
const ACCOUNT_VARIABLE = '${aws:PrincipalAccount}';

function writerGrants(d: LogArchiveDestinations, props: CentralLogArchiveProps, orgScoped: boolean): WriterGrant[] {
  const waf = (props.wafLogSourceAccounts ?? []).map((accountId) => ({
    accountId,
    roleArn: d.wafDeliveryRoleArn(orgScoped ? '*' : accountId),
    keyPrefixes: [d.wafLogPrefix(accountId), d.wafErrorPrefix(accountId)],
    shared: orgScoped,
  }));
  const roles = (props.writerRoles ?? []).map((w) => ({
    accountId: w.accountId,
    roleArn: `arn:${d.partition}:iam::${w.accountId}:role/${w.roleName}`,
    keyPrefixes: [w.keyPrefix],
    shared: false,
  }));
  return [...waf, ...roles];
}

interface TrailArns {
  readonly name: string;
  readonly arns: string[];
  readonly contextPatterns: string[];
}

function trailArns(scope: Construct, d: LogArchiveDestinations, trail: LogArchiveOrganizationTrailOptions): TrailArns {
  const name = trail.trailName ?? `${d.namePrefix}-organization-trail`;
  // The trail belongs to the management account even when the archive account (as delegated administrator)
  // creates it; the archive account's ARN is allowed too so that the policy also fits a management-account deploy.
  const owners = unique([trail.managementAccountId, Stack.of(scope).account, d.archiveAccountId]
    .filter((a) => !Token.isUnresolved(a)));
  return {
    name,
    arns: owners.map((a) => `arn:${d.partition}:cloudtrail:${d.region}:${a}:trail/${name}`),
    contextPatterns: owners.map((a) => `arn:${d.partition}:cloudtrail:*:${a}:trail/*`),
  };
}

function lifecycle(transitionAfterDays: number, storageClass: LogArchiveStorageClass, expireAfterDays: number | undefined,
  noncurrentDays: number): s3.LifecycleRule[] {
  return [
    {
      id: 'archive-logs',
      transitions: [{ storageClass: new s3.StorageClass(storageClass), transitionAfter: Duration.days(transitionAfterDays) }],
      expiration: expireAfterDays === undefined ? undefined : Duration.days(expireAfterDays),
      noncurrentVersionExpiration: Duration.days(noncurrentDays),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
    // S3 does not allow ExpiredObjectDeleteMarker in a rule that also sets expiration days.
    { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
  ];
}

function warnOnEarlyDeletion(scope: Construct, transitionAfterDays: number, expireAfterDays: number | undefined,
  storageClass: LogArchiveStorageClass): void {
  if (expireAfterDays === undefined || Token.isUnresolved(expireAfterDays) || Token.isUnresolved(transitionAfterDays)) {
    return;
  }
  const minimum = MIN_STORAGE_DAYS[storageClass];
  const stay = expireAfterDays - transitionAfterDays;
  if (stay > 0 && stay < minimum) {
    Annotations.of(scope).addWarningV2('cdk-gov-hybrid-network:logArchiveEarlyDeletion',
      `Log objects expire ${stay} days after moving to ${storageClass}, which bills a minimum of ${minimum} days; ` +
      'raise expireAfterDays or choose another transitionStorageClass to avoid early-deletion charges.');
  }
}

function policySizeProblems(scope: Construct, policies: Array<[string, iam.PolicyDocument | undefined, number]>,
  sourceAccountCount: number, orgScoped: boolean): string[] {
  const problems: string[] = [];
  for (const [name, document, limit] of policies) {
    if (!document) {
      continue;
    }
    const bytes = estimatePolicyBytes(scope, document);
    if (bytes > limit) {
      const fix = orgScoped
        ? 'Split the source accounts over more than one archive (one per group of OUs), or list fewer writer and reader roles.'
        : 'Set `organizationScopedPolicies: true` (with `organizationId`) so that log delivery and WAF statements are scoped by ' +
          'organization instead of listing every account.';
      problems.push(`The ${name} of the central log archive would be about ${(bytes / 1024).toFixed(1)} KB ` +
        `with ${sourceAccountCount} source accounts; the limit is ${limit / 1024} KB and the deployment would fail. ${fix}`);
    }
  }
  return problems;
}

function accountPrincipals(accounts: string[]): iam.IPrincipal[] {
  return unique(accounts).map((a) => new iam.AccountPrincipal(a));
}

function accountOfArn(arn: string): string {
  return arn.split(':')[4];
}

function orgStringEquals(organizationId: string | undefined): { [key: string]: unknown } {
  return organizationId ? { StringEquals: { 'aws:PrincipalOrgID': organizationId } } : {};
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::[0-9]{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const ROLE_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}\*?$/;

function validate(scope: Construct, props: CentralLogArchiveProps, elbPrincipal: ElbLogDeliveryPrincipal | undefined): void {
  const v = new PropsValidator('CentralLogArchive');
  const d = props.destinations;
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.account) && stack.account !== d.archiveAccountId) {
    v.report('destinations.archiveAccountId', d.archiveAccountId,
      `differs from the account of stack ${stack.stackName} (${stack.account}); deploy the archive in the archive account or fix the shared configuration.`);
  }
  if (!Token.isUnresolved(stack.region) && stack.region !== d.region) {
    v.report('destinations.region', d.region,
      `differs from the Region of stack ${stack.stackName} (${stack.region}); the buckets and key must be created in the Region every writer derives.`);
  }

  const sources = props.sourceAccounts;
  if (v.nonEmpty('sourceAccounts', sources, 'list every account whose logs the archive accepts, e.g. the Network, Prod and Dev accounts.')) {
    accountList(v, 'sourceAccounts', sources, () => undefined);
  }
  if (props.organizationId !== undefined && !v.isToken(props.organizationId)) {
    v.check(/^o-[a-z0-9]{10,32}$/.test(props.organizationId), 'organizationId', props.organizationId,
      'is not an AWS Organizations ID; it looks like o- followed by 10-32 lowercase letters or digits, e.g. o-a1b2c3d4e5.');
  }
  const inSources = (prop: string, accountId: string) => {
    if (!v.isToken(accountId) && /^[0-9]{12}$/.test(accountId) && !sources.includes(accountId)) {
      v.report(prop, accountId, 'is not one of `sourceAccounts`; add it there so that the archive accepts its logs.');
    }
  };
  accountList(v, 'wafLogSourceAccounts', props.wafLogSourceAccounts ?? [], inSources);

  (props.writerRoles ?? []).forEach((w, i) => {
    const p = `writerRoles[${i}]`;
    if (v.accountId(`${p}.accountId`, w.accountId)) {
      inSources(`${p}.accountId`, w.accountId);
    }
    if (!v.isToken(w.roleName)) {
      v.check(ROLE_NAME.test(w.roleName), `${p}.roleName`, w.roleName,
        'is not an IAM role name; use at most 64 letters, digits and +=,.@_- characters (a trailing * matches a generated name), with its path as path/name if it has one.');
    }
    if (!v.isToken(w.keyPrefix)) {
      if (!isKeyPrefix(w.keyPrefix)) {
        v.report(`${p}.keyPrefix`, w.keyPrefix, 'is not a key prefix; write segments of letters, digits and !_.*\'()- separated by single slashes, with no leading or trailing slash and no AWSLogs segment.');
      } else if (RESERVED_PREFIXES.includes(w.keyPrefix.split('/')[0])) {
        v.report(`${p}.keyPrefix`, w.keyPrefix, `starts with ${w.keyPrefix.split('/')[0]}, which the archive reserves for AWS log delivery; use a prefix of its own, e.g. session-manager/${w.accountId}.`);
      }
    }
  });

  (props.readerRoleArns ?? []).forEach((arn, i) => {
    if (!v.isToken(arn)) {
      v.check(ROLE_ARN.test(arn), `readerRoleArns[${i}]`, arn, 'is not an IAM role ARN; write it as arn:aws:iam::<12-digit account>:role/<name>.');
    }
  });

  const transition = props.transitionAfterDays ?? 90;
  const transitionOk = v.integerInRange('transitionAfterDays', transition, 1, 36500, 'a number of days');
  if (props.expireAfterDays !== undefined) {
    if (v.integerInRange('expireAfterDays', props.expireAfterDays, 1, 36500, 'a number of days') && transitionOk
      && !v.isToken(props.expireAfterDays) && !v.isToken(transition) && props.expireAfterDays <= transition) {
      const cls = props.transitionStorageClass ?? LogArchiveStorageClass.GLACIER_FLEXIBLE_RETRIEVAL;
      v.report('expireAfterDays', props.expireAfterDays,
        `is not after \`transitionAfterDays\` ${transition}; objects would expire before they move to ${cls}. ` +
        `Set expireAfterDays above ${transition}, or lower transitionAfterDays.`);
    }
  }
  if (props.noncurrentVersionExpireAfterDays !== undefined) {
    v.integerInRange('noncurrentVersionExpireAfterDays', props.noncurrentVersionExpireAfterDays, 1, 36500, 'a number of days');
  }
  if (props.objectLock) {
    v.integerInRange('objectLock.retentionDays', props.objectLock.retentionDays, 1, 36500, 'an Object Lock retention in days');
  }

  if (!elbPrincipal) {
    v.report('destinations.region', d.region,
      'has no known Elastic Load Balancing log delivery principal; set `elbLogDeliveryPrincipal` to ' +
      'ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL (Regions opened in or after August 2022) or ' +
      `ElbLogDeliveryPrincipal.legacyAccount('<ELB account ID>') as listed in ${ELB_ACCESS_LOG_DOC}.`);
  } else if (elbPrincipal.accountId !== undefined) {
    v.accountId('elbLogDeliveryPrincipal', elbPrincipal.accountId);
  }

  if (props.organizationScopedPolicies && props.organizationId === undefined) {
    v.reportText('`organizationScopedPolicies` is set but `organizationId` is not; organization-scoped statements match ' +
      'aws:SourceOrgID and aws:PrincipalOrgID against it. Set `organizationId`.');
  }
  const trail = props.organizationTrail;
  if (trail) {
    if (props.organizationId === undefined) {
      v.reportText('`organizationTrail` is set but `organizationId` is not; the trail writes under AWSLogs/<organization ID>/, ' +
        'which the bucket policy must name. Set `organizationId`.');
    }
    v.accountId('organizationTrail.managementAccountId', trail.managementAccountId);
    if (trail.trailName !== undefined && !v.isToken(trail.trailName)) {
      v.check(/^[a-zA-Z0-9][a-zA-Z0-9._-]{2,127}$/.test(trail.trailName) && !/[._-]{2}/.test(trail.trailName),
        'organizationTrail.trailName', trail.trailName,
        'is not a CloudTrail trail name; use 3-128 letters, digits, periods, underscores and hyphens, starting with a letter or digit, with no two symbols in a row.');
    }
  }
  v.throwIfInvalid(scope);
}

/** Checks each account ID of a list, reports repeats, and runs `more` on each well-formed one, in list order. */
function accountList(v: PropsValidator, prop: string, accounts: string[], more: (prop: string, accountId: string) => void): void {
  const seen = new Set<string>();
  accounts.forEach((a, i) => {
    if (v.accountId(`${prop}[${i}]`, a) && !v.isToken(a)) {
      v.check(!seen.has(a), `${prop}[${i}]`, a, 'is listed twice; list each account once.');
      seen.add(a);
      more(`${prop}[${i}]`, a);
    }
  });
}
