import * as path from 'path';
import { Annotations, ArnFormat, Aws, Duration, Fn, RemovalPolicy, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as transfer from 'aws-cdk-lib/aws-transfer';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DumpEngine, SftpSecurityPolicy } from './options';
import { checkScheduleExpression, SCHEDULE_HOW_TO } from './schedule-expression';
import { checkSshPublicKey } from './ssh-public-key';
import { acknowledgeAwsCustomResourceProvider, lookupS3PrefixListId } from '../private/aws-custom-resource';
import { createEncryptedLogGroup, createEncryptionKey } from '../private/encrypted-log-group';
import { acknowledgeNag, nagFinding } from '../private/nag';
import { checkReturnAddressesOutsideVpc } from '../private/routing';
import { checkSubnetSelection, SubnetRangeCheck } from '../private/subnet-selection';
import { PropsValidator } from '../private/validation';
import { knownVpcCidrs } from '../private/vpc-cidr';
import { IsolatedSpokeVpc } from '../spoke-vpc/isolated-spoke-vpc';

/** The metric namespace of the dump job's success and failure metrics. */
const METRIC_NAMESPACE = 'GovHybridNetwork/SftpBackupBridge';

/** Hours added to the schedule's interval before a missing dump raises the alarm: time for the dump to run. */
const MISSED_RUN_GRACE_HOURS = 2;

/** CloudWatch evaluates an alarm over at most 7 days when its period is one hour or longer. */
const MAX_ALARM_HOURS = 7 * 24;

/**
 * The major version of the PostgreSQL client in the dump image (`postgresql17-client` in `assets/sftp-backup`).
 * pg_dump dumps servers of its own major version and older only.
 */
const POSTGRES_CLIENT_MAJOR = 17;

/** Where the dump task's container build context lives; resolves from `src/` and from the compiled `lib/`. */
const DUMP_IMAGE_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'sftp-backup');

/**
 * Properties of `SftpBackupBridge`.
 */
export interface SftpBackupBridgeProps {
  /**
   * The VPC that hosts the SFTP endpoint and the dump task (the Prod VPC). Its CIDR must be known at synth
   * (an `ec2.Vpc`, or an imported VPC with `vpcCidrBlock`): the backup server address is checked against it, and
   * against the VPC's literal secondary CIDR blocks (`ec2.CfnVPCCidrBlock`) defined before the bridge.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the SFTP endpoint, at most one per availability zone, all inside `advertisedCidr`
   * (reference plan: the two /27s 10.0.20.0/27 in ap-northeast-1a and 10.0.20.32/27 in ap-northeast-1c).
   *
   * Each subnet gets one endpoint network interface. Their route tables need a route to the backup server /32
   * through the transit gateway; this construct does not add it: give these subnets with the backup server as
   * destination in `GovHybridSpokeAttachment`'s `routes` (the reference deployment does).
   */
  readonly endpointSubnets: ec2.SubnetSelection;

  /**
   * The CIDR the transit gateway routes from the data centre to this VPC for the backup traffic, e.g.
   * `10.0.20.0/26`: the static route in the DC VPN's route table (rt-dc) and the more specific route the DC side
   * sends to its VPN. Every endpoint subnet must lie inside it, and it must lie inside the VPC CIDR.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
   */
  readonly advertisedCidr: string;

  /**
   * The DC backup server's address as AWS sees it (after any NAT on the DC side): `10.0.200.10` or
   * `10.0.200.10/32`. The endpoint's security group allows TCP 22 from this /32 only.
   *
   * It must lie outside the VPC CIDR (ARCHITECTURE.md correction 3): a VPC route more specific than the local
   * route cannot point at a transit gateway, so replies to an address inside the VPC range never leave the VPC.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
   */
  readonly backupServerAddress: string;

  /**
   * The backup server's SSH public keys, one OpenSSH line each (`ssh-ed25519 AAAA... comment`; also `ssh-rsa` and
   * `ecdsa-sha2-nistp256/384/521`). Give two during a key rotation, then remove the old one.
   *
   * @see https://docs.aws.amazon.com/transfer/latest/userguide/key-management.html
   */
  readonly sshPublicKeys: string[];

  /**
   * The SFTP user name the backup server logs in with: 3 to 100 letters, digits, `_`, `-`, `.` and `@`, not
   * starting with `-`, `.` or `@`.
   *
   * @default 'backup'
   */
  readonly userName?: string;

  /** The database to dump. Its endpoint is the dump's host and port; its security group is opened to the dump task. */
  readonly database: rds.IDatabaseInstance;

  /**
   * The secret holding the database credentials as JSON with `username` and `password` fields (as RDS and
   * `rds.Credentials.fromGeneratedSecret` store them). ECS injects the two fields into the dump container.
   * When the secret is encrypted with a customer managed key, give the secret with its `encryptionKey` so that the
   * task execution role gets `kms:Decrypt` on it.
   *
   * @default - `database.secret` when `database` is an `rds.DatabaseInstance` with generated credentials
   */
  readonly databaseSecret?: secretsmanager.ISecret;

  /** The name of the database (schema catalogue) to dump, e.g. `app`. */
  readonly databaseName: string;

  /**
   * The dump tool.
   *
   * @default - derived from `database.engine` (postgres: POSTGRESQL; mysql, mariadb: MYSQL); required when the engine
   * of `database` is unknown
   */
  readonly engine?: DumpEngine;

  /**
   * The subnets of the dump task. They need routes to the VPC endpoints (ECR, Secrets Manager, CloudWatch Logs,
   * S3 gateway) and to the database.
   *
   * @default - the `app` subnet group (`IsolatedSpokeVpc.APPLICATION_GROUP`) when the VPC has one, otherwise the
   * VPC's isolated subnets except `endpointSubnets`
   */
  readonly dumpTaskSubnets?: ec2.SubnetSelection;

  /**
   * The security group of the VPC's interface endpoints (ECR, Secrets Manager, CloudWatch Logs), e.g.
   * `IsolatedSpokeVpc.endpointSecurityGroup`. The dump task's HTTPS egress then goes to that security group only,
   * and the endpoint security group gets an ingress rule for TCP 443 from the dump task's security group.
   *
   * @default - the dump task may open HTTPS to the whole VPC CIDR (any address in the VPC, not only the endpoints),
   * and synth warns
   */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;

  /**
   * The customer managed KMS key of the dumps, the log groups and the default alarm topic. The construct adds to
   * the policy of a key defined in this app the statements CloudWatch Logs (log groups) and CloudWatch alarms (the
   * encrypted topic) need; the policy of an imported key must already allow both.
   *
   * @default - a new key with rotation enabled, retained on stack deletion
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The ECS cluster the dump task runs in.
   *
   * @default - a new cluster in `vpc` with Container Insights enabled
   */
  readonly cluster?: ecs.ICluster;

  /**
   * When the dump runs: an EventBridge Scheduler expression, `cron(minutes hours day-of-month month day-of-week
   * year)` or `rate(value unit)`, in `scheduleTimeZone`.
   *
   * @default 'cron(0 2 * * ? *)' (02:00 every day)
   * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
   */
  readonly schedule?: string;

  /**
   * The IANA time zone of `schedule`. The dump's object key (`<prefix>/<yyyy>/<mm>/<dd>/<timestamp>.dump`) uses the
   * same time zone, with its UTC offset in the timestamp.
   *
   * @default 'Asia/Tokyo'
   */
  readonly scheduleTimeZone?: string;

  /**
   * How long a dump stays in the bucket, in days (1 to 3650). Overwritten and expired versions are kept as
   * noncurrent versions for the same number of days, then deleted: a dump is gone at most 2 x `retentionDays`
   * after it was written.
   *
   * @default 14
   */
  readonly retentionDays?: number;

  /**
   * The key prefix of the dumps in the bucket, without leading or trailing `/`; the SFTP user's home directory.
   *
   * @default 'dumps'
   */
  readonly dumpPrefix?: string;

  /**
   * A private hosted zone in which to register `<recordName>.<zone>` (A records of the endpoint's private IPs),
   * e.g. `prod.internal`, which the DC resolves through the Route 53 Resolver inbound endpoint.
   *
   * @default - no DNS record; the backup server uses the IPs in `endpointIpAddresses`
   */
  readonly privateZone?: route53.IHostedZone;

  /**
   * The record name in `privateZone`.
   *
   * @default 'sftp'
   */
  readonly recordName?: string;

  /**
   * The bucket that receives the dump bucket's S3 server access logs. It must be in the same account and region,
   * use SSE-S3 (server access logs cannot be delivered to an SSE-KMS bucket) and allow delivery by
   * `logging.s3.amazonaws.com`.
   *
   * @default - a dedicated bucket (SSE-S3, versioned, Block Public Access, TLS only, 365-day expiry, retained)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * The Transfer Family security policy. Always set explicitly: CloudFormation's default is the 2018 policy.
   *
   * @default SftpSecurityPolicy.POLICY_2025_03
   * @see https://docs.aws.amazon.com/transfer/latest/userguide/security-policies.html
   */
  readonly securityPolicy?: SftpSecurityPolicy;

  /**
   * The SNS topic the alarms notify. Subscribe the operators to it.
   *
   * @default - a new topic encrypted with the bridge's KMS key, TLS only
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How long without a successful dump before `missedRunAlarm` fires: the longest gap between two scheduled runs
   * plus the time a dump takes. Whole hours, 1 hour to 7 days (CloudWatch's longest evaluation range).
   *
   * @default - the schedule's interval plus 2 hours, for `rate(...)` and for cron expressions that fire every day
   * (counted as 24 hours); required for other cron expressions (e.g. weekdays only)
   */
  readonly missedRunAlarmAfter?: Duration;

  /**
   * The dump task's CPU units (a Fargate value: 256, 512, 1024, ...).
   *
   * @default 512
   */
  readonly cpu?: number;

  /**
   * The dump task's memory in MiB (valid for `cpu` on Fargate).
   *
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * The dump task's ephemeral storage in GiB (21 to 200). The dump is written to it before the upload, so it must
   * hold one dump.
   *
   * @default - Fargate's 20 GiB
   */
  readonly ephemeralStorageGiB?: number;

  /**
   * The longest a dump (`pg_dump` or `mysqldump`, before the checksum and the upload) may run, in whole minutes from
   * 1 minute to 24 hours. A dump that hangs (a lock it waits for, a stalled connection) is stopped, reported as
   * `dump-failed` at step `dump` (`failedRunAlarm`), and does not overlap the next run.
   *
   * @default Duration.hours(4)
   */
  readonly dumpTimeout?: Duration;

  /**
   * Retention of the dump task's and the SFTP server's CloudWatch log groups.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The DC's own copy of the production database: a nightly logical dump of an RDS database lands in a dedicated S3
 * bucket, and the DC's backup server pulls it over SFTP, through the VPN and the transit gateway, from an internal
 * AWS Transfer Family endpoint in the VPC's advertised subnets.
 *
 * What it builds:
 * - a KMS key (rotation on, retained; or `encryptionKey`) for the dumps, the log groups and the alarm topic;
 * - the dump bucket: SSE-KMS with the key and a bucket key, versioning, Block Public Access, TLS 1.2+ only, server
 *   access logs, lifecycle expiry after `retentionDays` (noncurrent versions too), retained on stack deletion;
 * - the dump job: an ECS Fargate task (read-only root file system, non-root user, no public IP) whose image is built
 *   from `assets/sftp-backup` and runs `pg_dump --format=custom` or `mysqldump --single-transaction`, verifies the
 *   archive, and uploads `s3://<bucket>/<prefix>/<yyyy>/<mm>/<dd>/<timestamp>.dump` with a SHA-256 checksum and a
 *   `.sha256` sidecar; started by an EventBridge Scheduler schedule (retries, SQS dead-letter queue);
 * - three alarms: `missedRunAlarm` (no successful dump within `missedRunAlarmAfter`: catches failed and missed runs
 *   alike), `failedRunAlarm` (the dump script reported a failure) and `scheduleFailedAlarm` (the scheduler could not
 *   start the task: a message in its dead-letter queue);
 * - the Transfer Family server: `EndpointType: VPC` in `endpointSubnets`, no Elastic IP (internal only), SFTP only,
 *   an explicit security policy, structured JSON logs to CloudWatch Logs; a service-managed user whose logical home
 *   directory `/` maps to the dump prefix, read-only through its role;
 * - a security group allowing TCP 22 from `backupServerAddress` /32 only;
 * - deploy-time lookups of the endpoint's private IPs (CloudFormation does not return them) and, with `privateZone`,
 *   `sftp.<zone>` A records. The lookups carry the server ID and the endpoint subnet IDs in their parameters, so
 *   CloudFormation runs them again whenever the endpoint subnets change and the record follows the new IPs.
 *
 * ARCHITECTURE.md correction 3: the backup server must lie outside the VPC CIDR, because a VPC route more specific
 * than the local route cannot point at a transit gateway; synthesis fails otherwise, naming the two fixes.
 *
 * The dump task reaches AWS only through VPC endpoints: interface endpoints `ecr.api`, `ecr.dkr`, `logs` and
 * `secretsmanager` in `vpc` (private DNS on; give their security group as `endpointSecurityGroup`) and the S3
 * gateway endpoint on the task subnets' route tables. The bridge does not create them.
 *
 * PostgreSQL: the dump image carries the PostgreSQL 17 client, which dumps servers up to 17; synthesis fails for a
 * `database` whose engine version is newer.
 *
 * @see https://docs.aws.amazon.com/transfer/latest/userguide/create-server-in-vpc.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 */
export class SftpBackupBridge extends Construct implements ec2.IConnectable {
  /**
   * The CloudWatch namespace of the `DumpSucceeded` and `DumpFailed` metrics (dimension `Bucket`: the dump bucket's
   * name), for dashboards and further alarms.
   */
  public static readonly METRIC_NAMESPACE = METRIC_NAMESPACE;

  /** The KMS key of the dumps, the log groups and the default alarm topic (`encryptionKey`, or a new one). */
  public readonly encryptionKey: kms.IKey;
  /** The dump bucket. */
  public readonly bucket: s3.Bucket;
  /** The bucket receiving the dump bucket's server access logs. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The key prefix of the dumps (the SFTP user's home directory). */
  public readonly dumpPrefix: string;
  /** The ECS cluster the dump task runs in. */
  public readonly cluster: ecs.ICluster;
  /** The dump task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The dump task's security group: HTTPS to the VPC endpoints, the database port to the database. */
  public readonly dumpTaskSecurityGroup: ec2.SecurityGroup;
  /** The dump task's log group (KMS-encrypted); the alarms' metric filters read it. */
  public readonly dumpLogGroup: logs.LogGroup;
  /** The EventBridge Scheduler schedule that starts the dump task. */
  public readonly schedule: scheduler.CfnSchedule;
  /** The dead-letter queue of the schedule: RunTask calls that failed after the retries, with the error. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The topic the alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /**
   * In ALARM while no dump has succeeded for `missedRunAlarmAfter`: catches failed runs, runs the scheduler could
   * not start and runs that never ended. It starts in ALARM until the first successful dump.
   */
  public readonly missedRunAlarm: cloudwatch.Alarm;
  /** In ALARM for an hour after the dump script reported a failure (exit code in the dump log group). */
  public readonly failedRunAlarm: cloudwatch.Alarm;
  /**
   * In ALARM while the schedule's dead-letter queue holds a message: EventBridge Scheduler could not start the dump
   * task after its retries (e.g. missing permissions, no capacity, a deleted task definition). Fires within minutes,
   * instead of when `missedRunAlarm` runs out.
   * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
   */
  public readonly scheduleFailedAlarm: cloudwatch.Alarm;
  /** The Transfer Family server. */
  public readonly server: transfer.CfnServer;
  /** The Transfer Family server ID, `s-...`. */
  public readonly serverId: string;
  /** The service-managed SFTP user. */
  public readonly user: transfer.CfnUser;
  /** The role Transfer Family assumes for the user: list and read the dump prefix, decrypt with the key. */
  public readonly userRole: iam.Role;
  /** The SFTP endpoint's security group: TCP 22 from the backup server /32 only. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The SFTP endpoint's connections (default port TCP 22). */
  public readonly connections: ec2.Connections;
  /** The server's structured log group (KMS-encrypted). */
  public readonly transferLogGroup: logs.LogGroup;
  /** The endpoint's private IPv4 addresses, one per endpoint subnet (deploy-time lookups). */
  public readonly endpointIpAddresses: string[];
  /** The server's SSH host key fingerprint (SHA256:...), to check the backup server's known_hosts against. */
  public readonly hostKeyFingerprint: string;
  /** `<recordName>.<zone>` when `privateZone` is given. */
  public readonly endpointHostName?: string;
  /** The A record of `endpointHostName` when `privateZone` is given. */
  public readonly record?: route53.ARecord;

  constructor(scope: Construct, id: string, props: SftpBackupBridgeProps) {
    super(scope, id);
    // Server access logs through a bucket policy rather than the LogDeliveryWrite ACL, which does not work with
    // BucketOwnerEnforced object ownership; set here so that it does not depend on the app's feature flags.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const input = validate(this, props);
    this.dumpPrefix = input.prefix;

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `SftpBackupBridge ${this.node.path}: database dumps, log groups, alarm topic`,
    });

    this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket();
    this.bucket = this.createDumpBucket(input.retentionDays);

    // Both log groups: encrypted with the key (whose policy lets CloudWatch Logs use it), retained.
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.dumpLogGroup = createEncryptedLogGroup(this, 'DumpLogGroup', { encryptionKey: this.encryptionKey, retention: logRetention });
    this.transferLogGroup = createEncryptedLogGroup(this, 'TransferLogGroup', { encryptionKey: this.encryptionKey, retention: logRetention });

    // ---- The dump job -------------------------------------------------------------------------------------------
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.dumpTaskSecurityGroup = new ec2.SecurityGroup(this, 'DumpTaskSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'SftpBackupBridge dump task: HTTPS to the VPC endpoints, the database port to the database',
    });
    if (props.endpointSecurityGroup) {
      this.dumpTaskSecurityGroup.connections.allowTo(props.endpointSecurityGroup, ec2.Port.tcp(443),
        'HTTPS from the SftpBackupBridge dump task to the interface VPC endpoints (ECR, Secrets Manager, CloudWatch Logs)');
    } else {
      this.dumpTaskSecurityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443),
        'HTTPS to the interface VPC endpoints (ECR, Secrets Manager, CloudWatch Logs)');
      Annotations.of(this).addWarningV2('cdk-gov-hybrid-network:sftpBackupEndpointEgressToVpcCidr',
        'No `endpointSecurityGroup` is given, so the dump task may open HTTPS (443) to any address of the VPC, not only to the interface endpoints. ' +
        'Pass the endpoints\' security group (IsolatedSpokeVpc.endpointSecurityGroup) to restrict the egress to it.');
    }
    this.dumpTaskSecurityGroup.addEgressRule(ec2.Peer.prefixList(lookupS3PrefixListId(this)), ec2.Port.tcp(443),
      'HTTPS to S3 (dump upload, ECR image layers) through the S3 gateway endpoint');
    this.allowDatabaseAccess(props.database);

    const { taskDefinition, taskRole, executionRole } = this.createDumpTask(props, input);
    this.taskDefinition = taskDefinition;

    this.deadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNag(this.deadLetterQueue, {
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the EventBridge Scheduler schedule (DeadLetterConfig), which cdk-nag does not recognise as a DLQ use.',
    });
    this.schedule = this.createSchedule(input, taskRole, executionRole);

    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic();
    const { missed, failed, notStarted } = this.createAlarms(input.alarmHours);
    this.missedRunAlarm = missed;
    this.failedRunAlarm = failed;
    this.scheduleFailedAlarm = notStarted;

    // ---- The SFTP endpoint --------------------------------------------------------------------------------------
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'SftpBackupBridge SFTP endpoint: TCP 22 from the DC backup server only',
    });
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(input.backupServerCidr), ec2.Port.tcp(22),
      'SFTP from the DC backup server');
    this.connections = new ec2.Connections({ securityGroups: [this.endpointSecurityGroup], defaultPort: ec2.Port.tcp(22) });

    this.server = new transfer.CfnServer(this, 'Server', {
      endpointType: 'VPC',
      endpointDetails: {
        vpcId: props.vpc.vpcId,
        subnetIds: input.endpointSubnets.map((s) => s.subnetId),
        securityGroupIds: [this.endpointSecurityGroup.securityGroupId],
      },
      protocols: ['SFTP'],
      identityProviderType: 'SERVICE_MANAGED',
      domain: 'S3',
      securityPolicyName: (props.securityPolicy ?? SftpSecurityPolicy.POLICY_2025_03).name,
      structuredLogDestinations: [this.transferLogGroup.logGroupArn],
      tags: [{ key: 'Name', value: this.node.path }],
    });
    this.serverId = this.server.attrServerId;

    this.userRole = this.createUserRole(input.prefix);
    this.user = new transfer.CfnUser(this, 'User', {
      serverId: this.serverId,
      userName: input.userName,
      role: this.userRole.roleArn,
      homeDirectoryType: 'LOGICAL',
      homeDirectoryMappings: [{ entry: '/', target: `/${this.bucket.bucketName}/${input.prefix}` }],
      sshPublicKeys: props.sshPublicKeys.map((key) => key.trim()),
    });

    const endpoint = this.lookUpEndpoint(input.endpointSubnets);
    this.endpointIpAddresses = endpoint.ipAddresses;
    this.hostKeyFingerprint = endpoint.hostKeyFingerprint;
    acknowledgeAwsCustomResourceProvider(Stack.of(this));

    if (props.privateZone) {
      const recordName = props.recordName ?? 'sftp';
      this.record = new route53.ARecord(this, 'Record', {
        zone: props.privateZone,
        recordName,
        target: route53.RecordTarget.fromIpAddresses(...this.endpointIpAddresses),
        ttl: Duration.minutes(5),
        comment: 'SFTP endpoint of the SftpBackupBridge, resolved by the DC through the Resolver inbound endpoint',
      });
      this.endpointHostName = `${recordName}.${props.privateZone.zoneName}`;
    }
  }

  /**
   * Opens the database port from the dump task. The ingress rules are created here rather than through
   * `database.connections.allowDefaultPortFrom`, so that they belong to the bridge (and its cdk-nag review) and do
   * not change the database's construct tree.
   */
  private allowDatabaseAccess(database: rds.IDatabaseInstance): void {
    const port = database.connections.defaultPort!; // checked by validate()
    const rule = port.toRuleJson();
    database.connections.securityGroups.forEach((group, i) => {
      const ingress = new ec2.CfnSecurityGroupIngress(this, `DatabaseIngress${i}`, {
        groupId: group.securityGroupId,
        sourceSecurityGroupId: this.dumpTaskSecurityGroup.securityGroupId,
        ipProtocol: rule.ipProtocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        description: 'Logical dump by SftpBackupBridge',
      });
      const why = 'The rule opens only the database port (resolved at deployment from the instance endpoint) and only to the dump task\'s security group, not to an address range.';
      acknowledgeNag(ingress,
        { id: 'NIST.800.53.R5-EC2RestrictedCommonPorts', reason: why },
        { id: 'NIST.800.53.R5-EC2RestrictedSSH', reason: why });
      this.dumpTaskSecurityGroup.addEgressRule(ec2.Peer.securityGroupId(group.securityGroupId), port, 'The database port, for the logical dump');
    });
  }

  private createAccessLogsBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // Server access logs can only be delivered to an SSE-S3 bucket.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(bucket,
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'S3 server access logs can only be delivered to a bucket with SSE-S3 default encryption, not SSE-KMS.' },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'Server access logs of the dump bucket, which S3 only delivers to a bucket of the same account and region; they are versioned and retained, and a cross-region copy is not required for them.' },
    );
    return bucket;
  }

  private createDumpBucket(retentionDays: number): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'sftp-backup-dumps/',
      lifecycleRules: [
        {
          id: 'ExpireDumps',
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'RemoveExpiredObjectDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(bucket, {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'The dump bucket is a staging area: the second copy of every dump is the one the DC backup server pulls over SFTP, which is the purpose of this bridge.',
    });
    return bucket;
  }

  private createDumpTask(props: SftpBackupBridgeProps, input: ValidatedInput) {
    const stack = Stack.of(this);
    const image = new ecrAssets.DockerImageAsset(this, 'DumpImage', {
      directory: DUMP_IMAGE_DIRECTORY,
      buildArgs: { ENGINE: input.engine },
      platform: ecrAssets.Platform.LINUX_AMD64,
    });

    const taskRole = new iam.Role(this, 'TaskRole', {
      description: 'SftpBackupBridge dump task: put dumps under the dump prefix',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
        },
      }),
    });
    const taskPolicy = new iam.ManagedPolicy(this, 'TaskPolicy', {
      description: 'SftpBackupBridge dump task: put dumps under the dump prefix, encrypt them with the bridge key',
      roles: [taskRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'PutDumps',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects(`${input.prefix}/*`)],
        }),
        // Multipart uploads to an SSE-KMS bucket need kms:Decrypt as well as kms:GenerateDataKey.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
        new iam.PolicyStatement({
          sid: 'EncryptDumpsThroughS3',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledgeNag(taskPolicy, {
      id: nagFinding(taskPolicy, 'AwsSolutions-IAM5', 'Resource', this.bucket.arnForObjects(`${input.prefix}/*`)),
      reason: 'Each dump is a new object under the dump prefix (<prefix>/<yyyy>/<mm>/<dd>/<timestamp>.dump); the wildcard is limited to that prefix of the dedicated bucket.',
    });

    const executionRole = new iam.Role(this, 'ExecutionRole', {
      description: 'SftpBackupBridge dump task execution: pull the image, write logs, read the database secret',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const secret = input.secret;
    // A secret imported by its partial ARN: Secrets Manager appends six random characters to the name.
    const secretResource = secret.secretFullArn ?? `${secret.secretArn}-??????`;
    const executionStatements = [
      // GetAuthorizationToken does not support resource-level permissions.
      new iam.PolicyStatement({ sid: 'EcrAuthorization', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'PullDumpImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [image.repository.repositoryArn],
      }),
      new iam.PolicyStatement({
        sid: 'WriteDumpLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.dumpLogGroup.logGroupArn],
      }),
      new iam.PolicyStatement({ sid: 'ReadDatabaseSecret', actions: ['secretsmanager:GetSecretValue'], resources: [secretResource] }),
    ];
    if (secret.encryptionKey) {
      executionStatements.push(new iam.PolicyStatement({
        sid: 'DecryptDatabaseSecret',
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }));
    }
    const executionPolicy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: 'SftpBackupBridge dump task execution: pull the image, write logs, read the database secret',
      roles: [executionRole],
      statements: executionStatements,
    });
    acknowledgeNag(executionPolicy, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken does not support resource-level permissions; the image pull itself is limited to the asset repository.',
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      ephemeralStorageGiB: props.ephemeralStorageGiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      taskRole,
      // The managed policy above holds every permission; CDK's own grants (inline policies) are not wanted.
      executionRole: executionRole.withoutPolicyUpdates(),
      volumes: [{ name: 'work' }],
    });
    const container = taskDefinition.addContainer('Dump', {
      containerName: 'dump',
      image: ecs.ContainerImage.fromDockerImageAsset(image),
      essential: true,
      readonlyRootFilesystem: true,
      user: '10001:10001',
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.dumpLogGroup, streamPrefix: 'dump' }),
      environment: {
        DUMP_ENGINE: input.engine,
        DB_HOST: props.database.dbInstanceEndpointAddress,
        DB_PORT: props.database.dbInstanceEndpointPort,
        DB_NAME: props.databaseName,
        DUMP_BUCKET: this.bucket.bucketName,
        DUMP_PREFIX: input.prefix,
        DUMP_TIMEOUT_SECONDS: Tokenization.stringifyNumber(input.dumpTimeoutSeconds),
        TZ: input.timeZone,
        AWS_REGION: Aws.REGION,
        AWS_DEFAULT_REGION: Aws.REGION,
      },
      secrets: {
        DB_USER: ecs.Secret.fromSecretsManager(secret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password'),
      },
    });
    container.addMountPoints({ sourceVolume: 'work', containerPath: '/work', readOnly: false });
    acknowledgeNag(taskDefinition, {
      id: 'AwsSolutions-ECS2',
      reason: 'The environment holds only non-secret settings (engine, database endpoint and name, bucket, prefix, time zone, region); the credentials come from Secrets Manager through `secrets`.',
    });
    return { taskDefinition, taskRole, executionRole };
  }

  private createSchedule(input: ValidatedInput, taskRole: iam.IRole, executionRole: iam.IRole): scheduler.CfnSchedule {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'ScheduleRole', {
      description: 'SftpBackupBridge schedule: run the dump task',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule-group/default`,
          },
        },
      }),
    });
    new iam.ManagedPolicy(this, 'SchedulePolicy', {
      description: 'SftpBackupBridge schedule: run the dump task definition in the cluster, pass its two roles',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'RunDumpTask',
          actions: ['ecs:RunTask'],
          resources: [this.taskDefinition.taskDefinitionArn],
          conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
        }),
        new iam.PolicyStatement({
          sid: 'PassDumpTaskRoles',
          actions: ['iam:PassRole'],
          resources: [taskRole.roleArn, executionRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
        new iam.PolicyStatement({ sid: 'SendFailedRunsToDeadLetterQueue', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
      ],
    });

    return new scheduler.CfnSchedule(this, 'Schedule', {
      description: `SftpBackupBridge ${this.node.path}: logical dump of the database to S3`,
      scheduleExpression: input.schedule,
      scheduleExpressionTimezone: input.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.cluster.clusterArn,
        roleArn: role.roleArn,
        ecsParameters: {
          taskDefinitionArn: this.taskDefinition.taskDefinitionArn,
          launchType: 'FARGATE',
          taskCount: 1,
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: input.taskSubnets.map((s) => s.subnetId),
              securityGroups: [this.dumpTaskSecurityGroup.securityGroupId],
              assignPublicIp: 'DISABLED',
            },
          },
        },
        // Retries cover RunTask throttling and transient capacity errors; after them, the event and its error
        // go to the dead-letter queue (and missedRunAlarm fires when no dump follows).
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });
  }

  private createAlarmTopic(): sns.Topic {
    // CloudWatch needs the key to publish alarm notifications to an encrypted topic; only alarms of this account
    // and Region may use it (confused-deputy protection). A no-op for an imported key, whose owner must allow it.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    const stack = Stack.of(this);
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublishToTheTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    return new sns.Topic(this, 'AlarmTopic', {
      displayName: 'SftpBackupBridge alarms',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
  }

  /**
   * The dump script prints one JSON line per outcome; metric filters turn them into metrics.
   *
   * Why one alarm catches both failed and missed runs: `missedRunAlarm` counts successes only, over a window of
   * `missedRunAlarmAfter`, with missing data treated as breaching. Whatever stops a success line from being written
   * (the dump failed, the task could not start, the schedule did not fire, the task hung), the window ends without
   * one and the alarm fires; only a successful dump clears it.
   */
  private createAlarms(alarmHours: number) {
    const dimensions = { Bucket: this.bucket.bucketName };
    this.dumpLogGroup.addMetricFilter('DumpSucceededFilter', {
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', 'dump-succeeded'),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'DumpSucceeded',
      metricValue: '1',
      dimensions: { Bucket: '$.bucket' },
    });
    this.dumpLogGroup.addMetricFilter('DumpFailedFilter', {
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', 'dump-failed'),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'DumpFailed',
      metricValue: '1',
      dimensions: { Bucket: '$.bucket' },
    });

    const missed = new cloudwatch.Alarm(this, 'MissedRunAlarm', {
      alarmDescription: `No database dump has succeeded for ${alarmHours} hours (failed, missed or hung run). ` +
        'Check the dump task log group, the schedule\'s dead-letter queue and the stopped ECS tasks.',
      metric: new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: 'DumpSucceeded',
        dimensionsMap: dimensions,
        statistic: cloudwatch.Stats.SUM,
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: alarmHours,
      datapointsToAlarm: alarmHours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    const failed = new cloudwatch.Alarm(this, 'FailedRunAlarm', {
      alarmDescription: 'The database dump script reported a failure; its exit code and message are in the dump task log group.',
      metric: new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: 'DumpFailed',
        dimensionsMap: dimensions,
        statistic: cloudwatch.Stats.SUM,
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const notStarted = new cloudwatch.Alarm(this, 'ScheduleFailedAlarm', {
      alarmDescription: 'EventBridge Scheduler could not start the database dump task; the failed invocation and its error are ' +
        'in the schedule\'s dead-letter queue. Remove the message once handled to clear the alarm.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [missed, failed, notStarted]) {
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
      alarm.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    }
    return { missed, failed, notStarted };
  }

  private createUserRole(prefix: string): iam.Role {
    const stack = Stack.of(this);
    // Confused-deputy protection: only this server's users can make Transfer Family assume the role.
    // https://docs.aws.amazon.com/transfer/latest/userguide/confused-deputy.html
    const role = new iam.Role(this, 'UserRole', {
      description: 'SftpBackupBridge SFTP user: list and read the dumps, read-only',
      assumedBy: new iam.ServicePrincipal('transfer.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:transfer:${stack.region}:${stack.account}:user/${this.serverId}/*` },
        },
      }),
    });
    const policy = new iam.ManagedPolicy(this, 'UserPolicy', {
      description: 'SftpBackupBridge SFTP user: list and read the dump prefix, decrypt the dumps; no write or delete',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ListDumpPrefix',
          actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } },
        }),
        new iam.PolicyStatement({ sid: 'ReadDumps', actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${prefix}/*`)] }),
        new iam.PolicyStatement({
          sid: 'DecryptDumpsThroughS3',
          actions: ['kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledgeNag(policy, {
      id: nagFinding(policy, 'AwsSolutions-IAM5', 'Resource', this.bucket.arnForObjects(`${prefix}/*`)),
      reason: 'The backup server downloads whichever dump is newest; read access is limited to the dump prefix of the dedicated bucket.',
    });
    return role;
  }

  /**
   * CloudFormation does not return a VPC-hosted server's endpoint IPs. Three documented calls find them:
   * Transfer `DescribeServer` (EndpointDetails.VpcEndpointId, HostKeyFingerprint) → EC2 `DescribeVpcEndpoints`
   * (NetworkInterfaceIds) → EC2 `DescribeNetworkInterfaces` (PrivateIpAddress).
   *
   * When they run again: CloudFormation updates a custom resource only when its properties change. The server ID and
   * the endpoint subnet IDs are part of each lookup's physical resource ID (a property of the resource, not a
   * parameter of the SDK call, which the service would reject), so moving the endpoint to other subnets (which
   * updates the server in place and gives it new network interfaces) also re-runs the three lookups after the
   * server update, and `sftp.<zone>` follows the new IPs. A change that AWS makes outside CloudFormation (none is
   * expected for a VPC endpoint's interfaces) is not seen until the next change of the endpoint subnets.
   */
  private lookUpEndpoint(subnets: ec2.ISubnet[]): { ipAddresses: string[]; hostKeyFingerprint: string } {
    const revision = Fn.join('|', [this.serverId, ...subnets.map((subnet) => subnet.subnetId)]);
    const server = new cr.AwsCustomResource(this, 'ServerLookup', {
      resourceType: 'Custom::TransferServerLookup',
      onUpdate: {
        service: 'Transfer',
        action: 'describeServer',
        parameters: { ServerId: this.serverId },
        physicalResourceId: cr.PhysicalResourceId.of(revision),
        outputPaths: ['Server.EndpointDetails.VpcEndpointId', 'Server.HostKeyFingerprint'],
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['transfer:DescribeServer'], resources: [this.server.attrArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.acknowledgeLookup(server);
    const vpcEndpointId = server.getResponseField('Server.EndpointDetails.VpcEndpointId');

    const indexes = subnets.map((_, i) => i);
    const endpoint = new cr.AwsCustomResource(this, 'VpcEndpointLookup', {
      resourceType: 'Custom::VpcEndpointLookup',
      onUpdate: {
        service: 'EC2',
        action: 'describeVpcEndpoints',
        parameters: { VpcEndpointIds: [vpcEndpointId] },
        physicalResourceId: cr.PhysicalResourceId.of(Fn.join('|', [vpcEndpointId, revision])),
        outputPaths: indexes.map((i) => `VpcEndpoints.0.NetworkInterfaceIds.${i}`),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // EC2 Describe* actions do not support resource-level permissions.
        new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpoints'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.acknowledgeLookup(endpoint, 'ec2:DescribeVpcEndpoints');
    const interfaceIds = indexes.map((i) => endpoint.getResponseField(`VpcEndpoints.0.NetworkInterfaceIds.${i}`));

    const interfaces = new cr.AwsCustomResource(this, 'NetworkInterfaceLookup', {
      resourceType: 'Custom::NetworkInterfaceLookup',
      onUpdate: {
        service: 'EC2',
        action: 'describeNetworkInterfaces',
        parameters: { NetworkInterfaceIds: interfaceIds },
        physicalResourceId: cr.PhysicalResourceId.of(Fn.join('|', [vpcEndpointId, revision])),
        outputPaths: indexes.map((i) => `NetworkInterfaces.${i}.PrivateIpAddress`),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.acknowledgeLookup(interfaces, 'ec2:DescribeNetworkInterfaces');
    return {
      ipAddresses: indexes.map((i) => interfaces.getResponseField(`NetworkInterfaces.${i}.PrivateIpAddress`)),
      hostKeyFingerprint: server.getResponseField('Server.HostKeyFingerprint'),
    };
  }

  /** Acknowledges the findings of an AwsCustomResource lookup. */
  private acknowledgeLookup(lookup: cr.AwsCustomResource, describeAction?: string): void {
    acknowledgeNag(lookup, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'AwsCustomResource attaches its call permissions as an inline policy to the shared provider function\'s role; it holds only the single read-only Describe call of this lookup.',
    });
    if (describeAction) {
      acknowledgeNag(lookup, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${describeAction} does not support resource-level permissions; the lookup is read-only.`,
      });
    }
  }
}

/** Props after validation, with their defaults. */
interface ValidatedInput {
  readonly endpointSubnets: ec2.ISubnet[];
  readonly taskSubnets: ec2.ISubnet[];
  readonly backupServerCidr: string;
  readonly engine: DumpEngine;
  readonly secret: secretsmanager.ISecret;
  readonly schedule: string;
  readonly timeZone: string;
  readonly retentionDays: number;
  readonly prefix: string;
  readonly userName: string;
  readonly alarmHours: number;
  readonly dumpTimeoutSeconds: number;
}

const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_@.-]{2,99}$/;
const PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Checks every prop, collecting all problems into one error (PropsValidator), and returns the resolved input. */
function validate(scope: Construct, props: SftpBackupBridgeProps): ValidatedInput {
  const v = new PropsValidator('SftpBackupBridge');

  // The VPC's ranges (primary and literal secondary blocks): needed for correction 3 and the subnet checks.
  const known = knownVpcCidrs(props.vpc);
  if (!known.supplied) {
    v.report('vpc', props.vpc.vpcId, 'has no known CIDR block; import it with its vpcCidrBlock (ec2.Vpc.fromVpcAttributes or ' +
      'ec2.Vpc.fromLookup) so that the endpoint subnets and the backup server address can be checked against it.');
  } else if (known.primaryText !== undefined) {
    v.cidr('vpc.vpcCidrBlock', known.primaryText); // reports a malformed CIDR of an imported VPC
  }
  const vpcCidrs = known.all;
  const vpcRange = `the VPC CIDR${vpcCidrs.length > 1 ? 's' : ''} ${vpcCidrs.join(', ')} (\`vpc\`)`;

  let advertised = v.cidr('advertisedCidr', props.advertisedCidr);
  if (advertised && vpcCidrs.length > 0 && !vpcCidrs.some((c) => c.contains(advertised!))) {
    v.report('advertisedCidr', props.advertisedCidr, `lies outside ${vpcRange}; it must be the range of the endpoint subnets in this VPC.`);
    advertised = undefined; // checking the subnets against it would only repeat this problem
  }

  // The backup server: one host, outside the VPC (ARCHITECTURE.md correction 3).
  const backup = v.ipv4OrCidr('backupServerAddress', props.backupServerAddress);
  if (backup && backup.prefixLength !== 32) {
    v.report('backupServerAddress', props.backupServerAddress,
      'is not a single host; give the backup server\'s address as AWS sees it (after any NAT), e.g. 10.0.200.10 or 10.0.200.10/32.');
  }
  vpcCidrs.forEach((vpcCidr) => checkReturnAddressesOutsideVpc(v, 'backupServerAddress', [backup?.prefixLength === 32 ? backup : undefined],
    'the VPC that hosts the SFTP endpoint (`vpc`)', vpcCidr));
  const backupServerCidr = backup ? backup.toString() : props.backupServerAddress.includes('/') ? props.backupServerAddress : `${props.backupServerAddress}/32`;

  const withinCidrs: SubnetRangeCheck[] = [
    { cidrs: vpcCidrs, outside: `${vpcRange}; choose subnets of the VPC that hosts the endpoint.` },
    {
      cidrs: advertised ? [advertised] : [],
      outside: `\`advertisedCidr\` ${props.advertisedCidr}, the only range the transit gateway routes from the data centre ` +
        `to this VPC, so the backup server could not reach an endpoint address in it; choose subnets inside ${props.advertisedCidr} or widen ` +
        '`advertisedCidr` (and its static route in the DC route table).',
    },
  ];
  const endpointSubnets = checkSubnetSelection(v, props.vpc, props.endpointSubnets, {
    prop: 'endpointSubnets',
    onePerAz: true,
    onePerAzReason: 'a VPC endpoint takes at most one subnet per availability zone',
    withinCidrs,
    example: "{ subnetGroupName: 'transfer' }",
  }) ?? [];

  let taskSubnets: ec2.ISubnet[];
  if (props.dumpTaskSubnets) {
    taskSubnets = checkSubnetSelection(v, props.vpc, props.dumpTaskSubnets, { prop: 'dumpTaskSubnets' }) ?? [];
  } else if (hasSubnetGroup(props.vpc, IsolatedSpokeVpc.APPLICATION_GROUP)) {
    // The workload's own subnets: they reach the endpoints and the database, and keep the task out of the
    // attachment, load balancer and data subnets.
    taskSubnets = props.vpc.selectSubnets({ subnetGroupName: IsolatedSpokeVpc.APPLICATION_GROUP }).subnets;
  } else {
    const endpointIds = new Set(endpointSubnets.map((s) => s.subnetId));
    taskSubnets = props.vpc.isolatedSubnets.filter((s) => !endpointIds.has(s.subnetId));
    v.check(taskSubnets.length > 0, 'dumpTaskSubnets', '(default)',
      'found no isolated subnet outside `endpointSubnets`; give the subnets of the dump task (they need routes to the VPC endpoints and the database).');
  }

  // The SSH keys.
  v.nonEmpty('sshPublicKeys', props.sshPublicKeys, 'give the backup server\'s OpenSSH public key line, e.g. the contents of id_ed25519.pub.');
  props.sshPublicKeys.forEach((key, i) => {
    if (v.isToken(key)) {
      return;
    }
    const check = checkSshPublicKey(key);
    if (check.problem) {
      v.report(`sshPublicKeys[${i}]`, check.shown, check.problem);
    }
  });
  const userName = props.userName ?? 'backup';
  if (!v.isToken(userName)) {
    v.check(USER_NAME.test(userName), 'userName', userName,
      'is not a Transfer Family user name; use 3 to 100 letters, digits, _, -, . and @, not starting with -, . or @.');
  }

  // The database.
  const engine = props.engine ?? engineOf(props.database);
  if (!engine) {
    v.report('engine', undefined, 'cannot be derived from `database`, whose engine is unknown; set it to DumpEngine.POSTGRESQL or DumpEngine.MYSQL.');
  } else if (props.engine) {
    const derived = engineOf(props.database);
    if (derived && derived !== props.engine) {
      v.report('engine', props.engine, `does not match the engine of \`database\` (${props.database.engine?.engineType}); use DumpEngine.${derived.toUpperCase()} or leave it unset.`);
    }
  }
  const major = postgresMajorVersion(props.database);
  if (engine === DumpEngine.POSTGRESQL && major !== undefined && major > POSTGRES_CLIENT_MAJOR) {
    v.report('database', `PostgreSQL ${major}`,
      `is newer than the PostgreSQL ${POSTGRES_CLIENT_MAJOR} client of the dump image, and pg_dump refuses to dump a server newer than itself, ` +
      `so every nightly dump would fail. Keep the database on PostgreSQL ${POSTGRES_CLIENT_MAJOR} or older (e.g. rds.PostgresEngineVersion.VER_17_9), ` +
      'or upgrade cdk-gov-hybrid-network to a release whose dump image carries a newer client.');
  }
  if (!props.database.connections.defaultPort) {
    v.report('database', props.database.node.path, 'has no known port; import it with its port (rds.DatabaseInstance.fromDatabaseInstanceAttributes).');
  }
  const secret = props.databaseSecret ?? secretOf(props.database);
  if (!secret) {
    v.report('databaseSecret', undefined, 'is required because `database` has no generated secret; give the secret with the database\'s username and password.');
  }
  if (!v.isToken(props.databaseName)) {
    v.check(props.databaseName.trim().length > 0 && !/\s/.test(props.databaseName), 'databaseName', props.databaseName,
      'is not a database name; give the name of the database to dump, e.g. app.');
  }

  // The schedule and the alarm window.
  const schedule = props.schedule ?? 'cron(0 2 * * ? *)';
  let intervalHours: number | undefined;
  if (!v.isToken(schedule)) {
    const check = checkScheduleExpression(schedule);
    if (check.problem) {
      v.report('schedule', schedule, `is not a valid EventBridge Scheduler expression: it ${check.problem}; ${SCHEDULE_HOW_TO}`);
    }
    intervalHours = check.intervalHours;
  }
  const timeZone = props.scheduleTimeZone ?? 'Asia/Tokyo';
  if (!v.isToken(timeZone)) {
    v.check(isTimeZone(timeZone), 'scheduleTimeZone', timeZone, 'is not an IANA time zone name; use e.g. Asia/Tokyo or UTC.');
  }
  const alarmHours = missedRunAlarmHours(v, props, schedule, intervalHours);

  // The DNS record.
  if (props.privateZone) {
    const zoneName = tryRead(() => props.privateZone!.zoneName);
    if (zoneName === undefined) {
      v.report('privateZone', props.privateZone.node.path, 'has no known zone name; import it with route53.HostedZone.fromHostedZoneAttributes ' +
        '(zoneName and hostedZoneId) so that sftp.<zone> can be registered.');
    }
  }
  if (props.recordName !== undefined) {
    v.domainName('recordName', props.recordName);
  }

  // The bucket.
  const retentionDays = props.retentionDays ?? 14;
  v.integerInRange('retentionDays', retentionDays, 1, 3650, 'a retention in days');
  const prefix = props.dumpPrefix ?? 'dumps';
  if (!v.isToken(prefix)) {
    v.check(PREFIX.test(prefix), 'dumpPrefix', prefix,
      'is not a key prefix; use segments of letters, digits, ., _ and - separated by /, without a leading or trailing /, e.g. dumps or prod/app.');
  }
  if (props.ephemeralStorageGiB !== undefined) {
    v.integerInRange('ephemeralStorageGiB', props.ephemeralStorageGiB, 21, 200, 'a Fargate ephemeral storage size in GiB');
  }
  const dumpTimeoutSeconds = (props.dumpTimeout ?? Duration.hours(4)).toSeconds();
  if (!v.isToken(dumpTimeoutSeconds) && !(Number.isInteger(dumpTimeoutSeconds / 60) && dumpTimeoutSeconds >= 60 && dumpTimeoutSeconds <= 86400)) {
    v.report('dumpTimeout', props.dumpTimeout!.toHumanString(), 'is not a dump time limit; use whole minutes from 1 minute to 24 hours, e.g. Duration.hours(4).');
  }

  v.throwIfInvalid(scope);
  return {
    endpointSubnets,
    taskSubnets,
    backupServerCidr,
    engine: engine!,
    secret: secret!,
    schedule,
    timeZone,
    retentionDays,
    prefix,
    userName,
    alarmHours,
    dumpTimeoutSeconds,
  };
}

function missedRunAlarmHours(v: PropsValidator, props: SftpBackupBridgeProps, schedule: string, intervalHours: number | undefined): number {
  if (props.missedRunAlarmAfter) {
    const seconds = props.missedRunAlarmAfter.toSeconds();
    const hours = Math.ceil(seconds / 3600);
    v.check(seconds >= 3600 && hours <= MAX_ALARM_HOURS, 'missedRunAlarmAfter', `${seconds} seconds`,
      `is outside 1 hour to ${MAX_ALARM_HOURS} hours (7 days), the longest range a CloudWatch alarm evaluates; choose a window in it.`);
    return Math.min(Math.max(hours, 1), MAX_ALARM_HOURS);
  }
  if (intervalHours === undefined) {
    if (!v.isToken(schedule) && checkScheduleExpression(schedule).problem) {
      return 1; // the schedule itself is reported
    }
    v.report('missedRunAlarmAfter', undefined, `cannot be derived from \`schedule\` ${schedule}, which does not run every day; set it to the ` +
      'longest gap between two runs plus the time a dump takes, e.g. Duration.hours(74) for weekdays only.');
    return 1;
  }
  const hours = Math.ceil(intervalHours + MISSED_RUN_GRACE_HOURS);
  if (hours > MAX_ALARM_HOURS) {
    v.report('schedule', schedule, `leaves more than ${MAX_ALARM_HOURS - MISSED_RUN_GRACE_HOURS} hours between runs; a CloudWatch alarm evaluates at most ` +
      '7 days, so a missed run could not be detected. Run the dump at least every 166 hours.');
    return MAX_ALARM_HOURS;
  }
  return hours;
}

function engineOf(database: rds.IDatabaseInstance): DumpEngine | undefined {
  const type = database.engine?.engineType;
  if (type === 'postgres') {
    return DumpEngine.POSTGRESQL;
  }
  if (type === 'mysql' || type === 'mariadb') {
    return DumpEngine.MYSQL;
  }
  return undefined;
}

/** The major version of a PostgreSQL `database` when its engine version is known at synth, e.g. 17. */
function postgresMajorVersion(database: rds.IDatabaseInstance): number | undefined {
  if (database.engine?.engineType !== 'postgres') {
    return undefined;
  }
  const text = database.engine.engineVersion?.majorVersion;
  if (text === undefined || Token.isUnresolved(text) || !/^[0-9]+/.test(text)) {
    return undefined;
  }
  return parseInt(text, 10);
}

function secretOf(database: rds.IDatabaseInstance): secretsmanager.ISecret | undefined {
  return database instanceof rds.DatabaseInstanceBase && 'secret' in database
    ? (database as { secret?: secretsmanager.ISecret }).secret
    : undefined;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function tryRead(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Whether the VPC has a subnet group of that name (`selectSubnets` throws for an unknown group name). */
function hasSubnetGroup(vpc: ec2.IVpc, name: string): boolean {
  try {
    return vpc.selectSubnets({ subnetGroupName: name }).subnets.length > 0;
  } catch {
    return false;
  }
}
