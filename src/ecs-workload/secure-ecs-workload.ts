import { Annotations, Aws, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { checkWafLogDestination, RATE_LIMIT_MAX, RATE_LIMIT_MIN, visibility, webAclRules } from './web-acl';
import { lookupS3PrefixListId } from '../private/aws-custom-resource';
import { createEncryptedLogGroup, createEncryptionKey, logGroupArnWithoutWildcard } from '../private/encrypted-log-group';
import { acknowledgeNag, nagFinding } from '../private/nag';
import { checkSubnetSelection } from '../private/subnet-selection';
import { PropsValidator } from '../private/validation';
import { IsolatedSpokeVpc } from '../spoke-vpc/isolated-spoke-vpc';

/** Properties of a `SecureEcsWorkload`. */
export interface SecureEcsWorkloadProps {
  // ---------------------------------------------------------------- network

  /** The VPC of the workload, e.g. `IsolatedSpokeVpc.vpc`. It needs no internet access (see the README for the endpoints). */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the internal ALB: at least two availability zones.
   * @default - the subnet group `alb` of an `IsolatedSpokeVpc`
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the Fargate tasks.
   * @default - the subnet group `app` of an `IsolatedSpokeVpc`
   */
  readonly applicationSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the database's DB subnet group: at least two availability zones (an RDS requirement, also for a
   * single-AZ instance).
   * @default - the subnet group `data` of an `IsolatedSpokeVpc`
   */
  readonly dataSubnets?: ec2.SubnetSelection;

  /**
   * The user-site CIDRs allowed to reach the ALB on TCP 443 (and 80 when `allowPlainHttp` is set), e.g.
   * `['172.16.0.0/16']`. Required, at least one; no `/0`.
   */
  readonly userSiteCidrs: string[];

  /**
   * The operators' source CIDRs, e.g. the bastion subnets of the Network VPC `['192.168.10.0/24', '192.168.11.0/24']`,
   * allowed to reach the tasks on `containerPort` and the database on its port (Session Manager port forwarding
   * from the bastion). No `/0`.
   * @default - operators have no network access
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html#sessions-remote-port-forwarding
   */
  readonly operatorSourceCidrs?: string[];

  /**
   * The ID of the AWS-managed prefix list `com.amazonaws.<region>.s3`, for the tasks' egress rule to the S3
   * gateway endpoint (ECR image layers).
   * @default - looked up at deployment with a custom resource (`ec2:DescribePrefixLists`)
   */
  readonly s3PrefixListId?: string;

  /**
   * The security group of the VPC's interface endpoints (ECR, CloudWatch Logs, Secrets Manager...), e.g.
   * `IsolatedSpokeVpc.endpointSecurityGroup`. The tasks' HTTPS egress then goes to that security group only, and
   * the endpoint security group gets an ingress rule for TCP 443 from the tasks' security group, so the endpoints
   * need no address-range rule for the tasks (`IsolatedSpokeVpc.endpointAllowedCidrs: []`).
   *
   * @default - the tasks may open HTTPS to the whole VPC CIDR (any address in the VPC, not only the endpoints), and
   * synth warns
   */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;

  // ---------------------------------------------------------------- load balancer

  /**
   * The server certificates of the HTTPS listener (the first is the default). An internal name such as
   * `app.prod.internal` cannot get a public ACM certificate (ACM validates public DNS or e-mail), so use a private
   * certificate from AWS Private CA (`acm.PrivateCertificate`, see the README for the cost) or a certificate issued by
   * the city hall's own CA and imported into ACM; pass it as `elbv2.ListenerCertificate.fromCertificateManager(cert)`.
   * Required unless `allowPlainHttp` is set.
   * @default - no HTTPS listener (only valid with `allowPlainHttp: true`)
   * @see https://docs.aws.amazon.com/privateca/latest/userguide/PcaWelcome.html
   * @see https://docs.aws.amazon.com/acm/latest/userguide/import-certificate.html
   */
  readonly certificates?: elbv2.IListenerCertificate[];

  /**
   * The TLS security policy of the HTTPS listener. The default is the policy AWS recommends: TLS 1.3 and 1.2 with
   * forward-secret AES-GCM ciphers only and hybrid post-quantum key exchange (ML-KEM) for clients that support it;
   * every browser of the last decade negotiates it.
   * @default elbv2.SslPolicy.TLS13_12_RES_PQ (ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09)
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Explicit opt-in to a plain-HTTP listener on port 80 that forwards to the application, reachable from the same
   * user-site CIDRs. Traffic on it is not encrypted; cdk-nag reports it (NIST.800.53.R5-ALBHttpToHttpsRedirection) and
   * this construct deliberately does not acknowledge that finding for you.
   * @default false
   */
  readonly allowPlainHttp?: boolean;

  /**
   * The bucket for the ALB access logs, e.g. the Security account's log archive bucket imported with
   * `s3.Bucket.fromBucketName`. It must use SSE-S3: ALB cannot write to an SSE-KMS bucket (ARCHITECTURE.md
   * correction 5). For an imported bucket this stack cannot change the bucket policy: the bucket owner must allow
   * the Elastic Load Balancing principal of the region (in ap-northeast-1 the ELB account 582318560864) to
   * `s3:PutObject` on `<prefix>/AWSLogs/<this account>/*`, before this stack is deployed (ELB writes a test object
   * when logging is enabled).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
   */
  readonly accessLogsBucket: s3.IBucket;

  /**
   * The key prefix of the access logs, e.g. `alb/prod`: no leading or trailing `/`, and not containing `AWSLogs`.
   * With the Security account's `CentralLogArchive`, give `destinations.albAccessLogPrefix('<name>')`: its bucket
   * policy lets ELB write only under `alb/<name>/AWSLogs/<account>/`, so logging without a prefix is refused there
   * when the load balancer is created.
   * @default - no prefix (logs go to `AWSLogs/<account>/...`)
   */
  readonly accessLogsPrefix?: string;

  // ---------------------------------------------------------------- AWS WAF

  /**
   * A rate limit per source IP: requests per 5 minutes above which AWS WAF blocks that IP, 10 to 2,000,000,000.
   * Requests arrive over the VPN with the users' own addresses; if a user site NATs all its PCs to one address, that
   * address counts for the whole site.
   * @default - no rate limit
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
   */
  readonly rateLimitPerFiveMinutes?: number;

  /**
   * Rules of AWSManagedRulesCommonRuleSet that only count instead of blocking, e.g. `['SizeRestrictions_BODY']` for
   * uploads larger than 8 KB.
   * @default - every rule keeps its AWS-defined action
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
   */
  readonly commonRuleSetExcludedRules?: string[];

  /**
   * The ARN of the WAF log destination: an Amazon Data Firehose delivery stream (e.g. one that delivers to the
   * Security account's log archive), a CloudWatch Logs log group or an S3 bucket, whose name starts with
   * `aws-waf-logs-`; a stream or log group must be in this account and region (ARCHITECTURE.md correction 5).
   * The `authorization` and `cookie` headers are redacted from the logs.
   * @default - a CloudWatch Logs log group `aws-waf-logs-<unique id>` in this account, encrypted with `encryptionKey`
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
   */
  readonly wafLogDestinationArn?: string;

  // ---------------------------------------------------------------- ECS

  /** The application image, e.g. `ecs.ContainerImage.fromAsset('assets/sample-app')` or an ECR repository image. */
  readonly image: ecs.ContainerImage;

  /**
   * The TCP port the container listens on, 1-65535.
   * @default 8080
   */
  readonly containerPort?: number;

  /**
   * The task's CPU units (256 = 0.25 vCPU), a Fargate-supported value.
   * @default 512
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
   */
  readonly cpu?: number;

  /**
   * The task's memory in MiB, valid for `cpu`.
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * The CPU architecture of the image.
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * How many tasks run, at least 1. With two or more, ECS spreads them across the application subnets' AZs.
   * @default 2
   */
  readonly desiredCount?: number;

  /**
   * The user the container runs as (`uid`, `uid:gid` or a name from the image); never root.
   * @default '1000'
   */
  readonly user?: string;

  /**
   * Whether the container's root file system is read-only. The `scratchPaths` stay writable. Must be false when
   * `enableExecuteCommand` is set: the ECS Exec agent writes into the container's file system.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * Writable scratch directories mounted from task ephemeral storage (Fargate bind mounts), e.g. `/tmp`. Fargate
   * creates them owned by root with mode 0755 unless the image declares the directory (`VOLUME`) with other
   * ownership, so a non-root image must prepare them (the sample image does).
   * @default ['/tmp']
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html
   */
  readonly scratchPaths?: string[];

  /**
   * Plain environment variables of the container. Never put secrets here; use `secrets`.
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Secrets injected as environment variables from Secrets Manager or SSM Parameter Store.
   * @default - none
   */
  readonly secrets?: { [key: string]: ecs.Secret };

  /**
   * The HTTP path the ALB probes on the container; must start with `/` and answer 200.
   * @default '/'
   */
  readonly healthCheckPath?: string;

  /**
   * Enables ECS Exec for break-glass access. Sessions are encrypted with `encryptionKey` and logged to an encrypted
   * log group. The VPC then also needs the `ssmmessages` and `kms` interface endpoints, and `readonlyRootFilesystem`
   * must be false.
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  // ---------------------------------------------------------------- RDS

  /**
   * The database engine and version. The default names a minor version because RDS does not list a major-only
   * PostgreSQL version ("17") as creatable; `autoMinorVersionUpgrade` keeps it current afterwards.
   * @default rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_9 })
   */
  readonly databaseEngine?: rds.IInstanceEngine;

  /**
   * The DB instance class. Performance Insights needs a class that supports it (db.t4g.medium and larger for
   * PostgreSQL).
   * @default db.t4g.medium
   */
  readonly databaseInstanceType?: ec2.InstanceType;

  /**
   * The name of the database created in the instance.
   * @default 'app'
   */
  readonly databaseName?: string;

  /**
   * The master user name; its password is generated and rotated by RDS in Secrets Manager.
   * @default - the engine's default (`postgres` for PostgreSQL)
   */
  readonly databaseMasterUsername?: string;

  /**
   * The database port, 1150-65535 (an RDS limit).
   * @default - the engine's default port (5432 for PostgreSQL, 3306 for MySQL/MariaDB)
   */
  readonly databasePort?: number;

  /**
   * Whether the database has a standby in a second AZ. Set false only where downtime is acceptable (e.g. Dev).
   * @default true
   */
  readonly multiAz?: boolean;

  /**
   * How long automated backups are kept, 1 to 35 days (0 would disable backups and is rejected).
   * @default Duration.days(7)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
   */
  readonly backupRetention?: Duration;

  /**
   * The allocated storage in GiB (gp3), 20 to 65536.
   * @default 20
   */
  readonly allocatedStorageGiB?: number;

  /**
   * The upper limit for storage autoscaling in GiB, above `allocatedStorageGiB`.
   * @default - storage autoscaling off
   */
  readonly maxAllocatedStorageGiB?: number;

  /**
   * Database logs exported to CloudWatch Logs. Their log groups (`/aws/rds/instance/<databaseInstanceIdentifier>/<log>`)
   * are created by this construct before the instance, encrypted with `encryptionKey`, kept for `logRetention` and
   * retained on delete; otherwise RDS would create them unencrypted (with the service key) and kept forever.
   * @default - ['postgresql', 'upgrade'] for PostgreSQL; ['error', 'general', 'slowquery'] for MySQL and MariaDB; none otherwise
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html
   */
  readonly databaseLogExports?: string[];

  /**
   * The DB instance identifier: 1-63 lowercase letters, digits and hyphens, starting with a letter, not ending with
   * a hyphen and without two consecutive hyphens; unique per account and Region. Fixed so that the names of the
   * exported log groups are known before the instance exists. Changing it replaces the instance (a snapshot is
   * taken first, see `removalPolicy`).
   * @default - derived from the construct path, e.g. `govhybrid-prod-app-database-1a2b3c4d`
   */
  readonly databaseInstanceIdentifier?: string;

  // ---------------------------------------------------------------- DNS, keys, logs

  /**
   * A private hosted zone (e.g. `prod.internal` from PrivateDnsHub) in which to create `app.<zone>` (alias A to the
   * ALB) and `db.<zone>` (CNAME to the database endpoint).
   * @default - no records
   */
  readonly privateZone?: route53.IHostedZone;

  /**
   * The record name of the application, relative to `privateZone`.
   * @default 'app'
   */
  readonly applicationRecordName?: string;

  /**
   * The record name of the database, relative to `privateZone`.
   * @default 'db'
   */
  readonly databaseRecordName?: string;

  /**
   * The customer managed key for the database storage, Performance Insights, the master user secret, the log groups
   * and ECS Exec sessions. An imported key's policy must already allow CloudWatch Logs of this account.
   * @default - a new key with rotation enabled, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Retention of the log groups this construct creates (application, ECS Exec, default WAF log group, database log
   * exports).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

const DEFAULT_TLS_POLICY = elbv2.SslPolicy.TLS13_12_RES_PQ;

/**
 * The city-hall application: an internal Application Load Balancer protected by AWS WAF in front of an ECS Fargate
 * service, with an RDS database that only the service and the operators can reach, and optional private DNS records.
 *
 * - ALB: internal, HTTPS with the caller's certificate and a TLS 1.2/1.3 policy, invalid headers dropped, strictest
 *   HTTP desync mitigation, deletion protection, access logs to an SSE-S3 bucket; its security group allows the
 *   listener ports only from `userSiteCidrs`.
 * - AWS WAF: a regional web ACL with the AWS IP reputation, common, known-bad-inputs and SQL injection rule groups
 *   and an optional rate limit, logging to an `aws-waf-logs-` destination in this account (ARCHITECTURE.md
 *   correction 5).
 * - ECS: a cluster with Container Insights (enhanced), a Fargate service of `desiredCount` tasks with the deployment
 *   circuit breaker and rollback, a non-root user, a read-only root file system, logs encrypted with KMS, and
 *   egress only to the VPC's interface endpoints (their security group, `endpointSecurityGroup`; without it the VPC
 *   CIDR on 443, with a synth warning), the S3 gateway endpoint and the database.
 * - RDS: encrypted with a customer managed key, Multi-AZ by default, automated backups, deletion protection, a
 *   snapshot on delete, IAM authentication, TLS enforced, the master password managed and rotated by RDS in Secrets
 *   Manager, Performance Insights and Enhanced Monitoring (60 s).
 *
 * Bad input fails at synthesis with one error that lists every problem: no user-site CIDR or a `/0`, no certificate
 * without the plain-HTTP opt-in, `desiredCount` below 1, a container port outside 1-65535, a backup retention outside
 * 1-35 days, subnets that are not in `vpc`, a root user, a WAF log destination that does not start with
 * `aws-waf-logs-` or sits in another account, an SSE-KMS access log bucket, and more (see the README).
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-fargate.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
export class SecureEcsWorkload extends Construct implements ec2.IConnectable {
  /** The internal Application Load Balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The ALB's security group: the listener ports from `userSiteCidrs` only; egress only to the tasks. */
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** The HTTPS listener on port 443, when `certificates` are given. */
  public readonly httpsListener?: elbv2.ApplicationListener;
  /** The plain-HTTP listener on port 80, only with `allowPlainHttp: true`. */
  public readonly httpListener?: elbv2.ApplicationListener;
  /** The target group of the service (HTTP to `containerPort`, IP targets). */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The regional AWS WAF web ACL associated with the ALB. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The ARN of the WAF log destination in use. */
  public readonly wafLogDestinationArn: string;
  /** The web ACL's logging configuration (destination and redacted fields), e.g. to add logging filters. */
  public readonly wafLoggingConfiguration: wafv2.CfnLoggingConfiguration;
  /** The ECS cluster. */
  public readonly cluster: ecs.Cluster;
  /** The Fargate task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container; add environment variables or secrets with its methods. */
  public readonly container: ecs.ContainerDefinition;
  /** The Fargate service. */
  public readonly service: ecs.FargateService;
  /** The tasks' security group. */
  public readonly serviceSecurityGroup: ec2.SecurityGroup;
  /** The application log group (KMS-encrypted). */
  public readonly logGroup: logs.ILogGroup;
  /** The ECS Exec session log group (KMS-encrypted), when `enableExecuteCommand` is set. */
  public readonly execLogGroup?: logs.ILogGroup;
  /** The database. Other constructs reach it through `database.connections`. */
  public readonly database: rds.IDatabaseInstance;
  /** The master user secret, created and rotated by RDS in Secrets Manager (JSON with `username` and `password`). */
  public readonly databaseSecret: secretsmanager.ISecret;
  /** The database's security group. */
  public readonly databaseSecurityGroup: ec2.SecurityGroup;
  /**
   * The database's parameter group, which refuses connections without TLS (`rds.force_ssl` / `require_secure_transport`);
   * add parameters with `addParameter`. Undefined for engines without a known parameter group family.
   */
  public readonly databaseParameterGroup?: rds.IParameterGroup;
  /** The DB instance identifier (`databaseInstanceIdentifier`). */
  public readonly databaseInstanceIdentifier: string;
  /** The log groups of the database's log exports, in the order of `databaseLogExports` (KMS-encrypted, retained). */
  public readonly databaseLogGroups: logs.ILogGroup[];
  /** The customer managed key of this workload. */
  public readonly encryptionKey: kms.IKey;
  /** `app.<zone>`, when `privateZone` is given. */
  public readonly applicationRecord?: route53.ARecord;
  /** `db.<zone>`, when `privateZone` is given. */
  public readonly databaseRecord?: route53.CnameRecord;
  /** The service's network connections (its security group). */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: SecureEcsWorkloadProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const containerPort = props.containerPort ?? 8080;
    const desiredCount = props.desiredCount ?? 2;
    const user = props.user ?? '1000';
    const readonlyRootFilesystem = props.readonlyRootFilesystem ?? true;
    const scratchPaths = props.scratchPaths ?? ['/tmp'];
    const healthCheckPath = props.healthCheckPath ?? '/';
    const certificates = props.certificates ?? [];
    const allowPlainHttp = props.allowPlainHttp ?? false;
    const enableExecuteCommand = props.enableExecuteCommand ?? false;
    const engine = props.databaseEngine ?? rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_9 });
    const engineFamily = engineFamilyOf(engine);
    const databasePort = props.databasePort ?? DEFAULT_PORTS[engineFamily];
    const backupRetention = props.backupRetention ?? Duration.days(7);
    const multiAz = props.multiAz ?? true;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const loadBalancerSubnets = props.loadBalancerSubnets ?? { subnetGroupName: IsolatedSpokeVpc.LOAD_BALANCER_GROUP };
    const applicationSubnets = props.applicationSubnets ?? { subnetGroupName: IsolatedSpokeVpc.APPLICATION_GROUP };
    const dataSubnets = props.dataSubnets ?? { subnetGroupName: IsolatedSpokeVpc.DATA_GROUP };

    // ------------------------------------------------------------ validation: every problem in one error
    const v = new PropsValidator('SecureEcsWorkload');
    if (v.nonEmpty('userSiteCidrs', props.userSiteCidrs, 'give the user-site CIDRs that may reach the ALB, e.g. 172.16.0.0/16.')) {
      checkSourceCidrs(v, 'userSiteCidrs', props.userSiteCidrs, 'give the user-site networks only, e.g. 172.16.0.0/16');
    }
    checkSourceCidrs(v, 'operatorSourceCidrs', props.operatorSourceCidrs ?? [], 'give the bastion subnets only, e.g. 192.168.10.0/24');
    checkSubnetSelection(v, props.vpc, loadBalancerSubnets, {
      prop: 'loadBalancerSubnets', minAzs: 2, minAzsReason: 'an Application Load Balancer needs subnets in at least two AZs',
    });
    const appSubnets = checkSubnetSelection(v, props.vpc, applicationSubnets, { prop: 'applicationSubnets' });
    checkSubnetSelection(v, props.vpc, dataSubnets, {
      prop: 'dataSubnets', minAzs: 2, minAzsReason: 'an RDS DB subnet group needs subnets in at least two AZs, also for a single-AZ instance',
    });
    if (certificates.length === 0 && !allowPlainHttp) {
      v.report('certificates', certificates,
        'is empty and `allowPlainHttp` is not set; give the HTTPS certificate of the ALB (AWS Private CA or a certificate imported into ACM), or set `allowPlainHttp: true` to serve plain HTTP on port 80 explicitly.');
    }
    if (props.sslPolicy !== undefined && certificates.length === 0) {
      v.report('sslPolicy', props.sslPolicy, 'is set but there is no HTTPS listener; give `certificates` or remove `sslPolicy`.');
    }
    if (props.accessLogsBucket.encryptionKey) {
      v.report('accessLogsBucket', props.accessLogsBucket.node.path,
        'is encrypted with a KMS key; ALB access logs can only be written to an SSE-S3 bucket (ARCHITECTURE.md correction 5): use the log archive\'s SSE-S3 bucket.');
    }
    if (props.accessLogsPrefix !== undefined && !v.isToken(props.accessLogsPrefix)) {
      const prefix = props.accessLogsPrefix;
      v.check(prefix.length > 0 && !prefix.startsWith('/') && !prefix.endsWith('/') && !prefix.includes('AWSLogs'), 'accessLogsPrefix', prefix,
        'is not a valid access log prefix; use a non-empty key prefix without a leading or trailing / that does not contain AWSLogs, e.g. alb/prod.');
    }
    if (props.rateLimitPerFiveMinutes !== undefined) {
      v.integerInRange('rateLimitPerFiveMinutes', props.rateLimitPerFiveMinutes, RATE_LIMIT_MIN, RATE_LIMIT_MAX, 'a WAF rate limit in requests per 5 minutes');
    }
    (props.commonRuleSetExcludedRules ?? []).forEach((rule, i) => {
      v.check(/^[A-Za-z0-9_-]{1,128}$/.test(rule), `commonRuleSetExcludedRules[${i}]`, rule,
        'is not a WAF rule name; give the name of a rule of AWSManagedRulesCommonRuleSet, e.g. SizeRestrictions_BODY.');
    });
    if (props.wafLogDestinationArn !== undefined) {
      checkWafLogDestination(v, 'wafLogDestinationArn', props.wafLogDestinationArn, stack.account, stack.region);
    }
    v.port('containerPort', containerPort);
    v.integerInRange('desiredCount', desiredCount, 1, 1000, 'a task count');
    if (!v.isToken(user)) {
      v.check(user.trim() !== '' && !/^(root|0)(:.*)?$/.test(user.trim()), 'user', user,
        'runs the container as root; give a non-root user such as 1000 or 1000:1000.');
    }
    scratchPaths.forEach((path, i) => {
      v.check(v.isToken(path) || /^\/[^\s]*[^/\s]$/.test(path), `scratchPaths[${i}]`, path,
        'is not an absolute container path; write it like /tmp (no trailing /).');
    });
    if (!v.isToken(healthCheckPath)) {
      v.check(/^\/\S*$/.test(healthCheckPath), 'healthCheckPath', healthCheckPath, 'is not an HTTP path; start it with / and use no spaces, e.g. /health.');
    }
    if (enableExecuteCommand && readonlyRootFilesystem) {
      v.reportText('`enableExecuteCommand` true needs a writable root file system, but `readonlyRootFilesystem` is true (the default); the ECS Exec agent writes into the container, so set `readonlyRootFilesystem: false` or turn ECS Exec off.');
    }
    if (props.databasePort !== undefined) {
      v.integerInRange('databasePort', props.databasePort, 1150, 65535, 'an RDS database port');
    } else if (engineFamily === 'other') {
      v.report('databasePort', props.databasePort,
        `has no default for the ${engine.engineType} engine; give the port the database listens on (1150-65535).`);
    }
    checkBackupRetention(v, backupRetention);
    const allocated = props.allocatedStorageGiB ?? 20;
    v.integerInRange('allocatedStorageGiB', allocated, 20, 65536, 'a gp3 storage size in GiB');
    if (props.maxAllocatedStorageGiB !== undefined && v.integerInRange('maxAllocatedStorageGiB', props.maxAllocatedStorageGiB, 21, 65536, 'a storage autoscaling limit in GiB')
      && !v.isToken(allocated) && !v.isToken(props.maxAllocatedStorageGiB)) {
      v.check(props.maxAllocatedStorageGiB > allocated, 'maxAllocatedStorageGiB', props.maxAllocatedStorageGiB,
        `is not above \`allocatedStorageGiB\` (${allocated}); give a larger limit or omit it.`);
    }
    const databaseInstanceIdentifier = props.databaseInstanceIdentifier ?? defaultInstanceIdentifier(this);
    if (props.databaseInstanceIdentifier !== undefined && !v.isToken(props.databaseInstanceIdentifier)) {
      v.check(DB_INSTANCE_IDENTIFIER.test(props.databaseInstanceIdentifier) && !props.databaseInstanceIdentifier.includes('--'),
        'databaseInstanceIdentifier', props.databaseInstanceIdentifier,
        'is not a DB instance identifier; use 1-63 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen and without two consecutive hyphens, e.g. prod-app-db.');
    }
    const databaseLogExports = props.databaseLogExports ?? DEFAULT_LOG_EXPORTS[engineFamily] ?? [];
    databaseLogExports.forEach((log, i) => {
      v.check(v.isToken(log) || /^[a-z][a-z0-9-]{0,63}$/.test(log), `databaseLogExports[${i}]`, log,
        'is not an RDS log type; use the engine\'s log names, e.g. postgresql, upgrade (PostgreSQL) or error, general, slowquery (MySQL).');
    });
    if (props.databaseName !== undefined && !v.isToken(props.databaseName)) {
      v.check(/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(props.databaseName), 'databaseName', props.databaseName,
        'is not a database name; use a letter followed by up to 62 letters, digits or underscores, e.g. app.');
    }
    v.throwIfInvalid(this);

    if (desiredCount >= 2 && appSubnets && new Set(appSubnets.map((s) => s.availabilityZone)).size < 2) {
      Annotations.of(this).addWarningV2('cdk-gov-hybrid-network:ecsWorkloadSingleAz',
        `applicationSubnets are in one availability zone, so the ${desiredCount} tasks cannot be spread across AZs.`);
    }

    // ------------------------------------------------------------ key
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts the database, Performance Insights, secrets, logs and ECS Exec sessions of ${this.node.path}`,
    });

    // ------------------------------------------------------------ security groups
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'Internal ALB: HTTPS from the user sites only',
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: 'ECS tasks: the container port from the ALB and the operators; egress to endpoints, S3 and the database',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: props.vpc,
      description: 'Database: its port from the ECS tasks and the operators only',
      allowAllOutbound: false,
    });
    this.connections = this.serviceSecurityGroup.connections;

    const listenerPorts = [...(certificates.length > 0 ? [443] : []), ...(allowPlainHttp ? [80] : [])];
    for (const cidr of props.userSiteCidrs) {
      for (const port of listenerPorts) {
        this.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port),
          `${port === 443 ? 'HTTPS' : 'HTTP'} from user site ${cidr}`);
      }
    }
    for (const cidr of props.operatorSourceCidrs ?? []) {
      this.serviceSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(containerPort), `Operators (port forwarding) from ${cidr}`);
      this.databaseSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(databasePort), `Operators (port forwarding) from ${cidr}`);
    }
    // Tasks reach the interface endpoints (ECR, logs, Secrets Manager...) inside the VPC and S3 through the gateway
    // endpoint, where ECR keeps image layers; nothing else leaves the task.
    if (props.endpointSecurityGroup) {
      this.serviceSecurityGroup.connections.allowTo(props.endpointSecurityGroup, ec2.Port.tcp(443), 'HTTPS from the ECS tasks to the interface VPC endpoints');
    } else {
      this.serviceSecurityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to the interface VPC endpoints');
      Annotations.of(this).addWarningV2('cdk-gov-hybrid-network:ecsWorkloadEndpointEgressToVpcCidr',
        'No `endpointSecurityGroup` is given, so the ECS tasks may open HTTPS (443) to any address of the VPC, not only to the interface endpoints. ' +
        'Pass the endpoints\' security group (IsolatedSpokeVpc.endpointSecurityGroup) to restrict the egress to it.');
    }
    const s3PrefixListId = props.s3PrefixListId ?? lookupS3PrefixListId(this);
    this.serviceSecurityGroup.addEgressRule(ec2.Peer.prefixList(s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 (ECR image layers) through the gateway endpoint');
    this.serviceSecurityGroup.connections.allowTo(this.databaseSecurityGroup, ec2.Port.tcp(databasePort), 'Application to the database');

    // ------------------------------------------------------------ load balancer
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: loadBalancerSubnets,
      internetFacing: false,
      securityGroup: this.loadBalancerSecurityGroup,
      deletionProtection: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      http2Enabled: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, props.accessLogsPrefix);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port: containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: healthCheckPath, healthyHttpCodes: '200', interval: Duration.seconds(30) },
    });
    if (certificates.length > 0) {
      this.httpsListener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates,
        sslPolicy: props.sslPolicy ?? DEFAULT_TLS_POLICY,
        open: false,
        defaultTargetGroups: [this.targetGroup],
      });
    }
    if (allowPlainHttp) {
      this.httpListener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultTargetGroups: [this.targetGroup],
      });
    }

    // ------------------------------------------------------------ AWS WAF
    const metricName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: `Protects the internal ALB of ${this.node.path}`,
      visibilityConfig: visibility(metricName),
      rules: webAclRules({
        rateLimitPerFiveMinutes: props.rateLimitPerFiveMinutes,
        commonRuleSetExcludedRules: props.commonRuleSetExcludedRules ?? [],
      }),
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });
    if (props.wafLogDestinationArn !== undefined) {
      this.wafLogDestinationArn = props.wafLogDestinationArn;
    } else {
      const wafLogGroup = createEncryptedLogGroup(this, 'WafLogGroup', {
        logGroupName: `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
        encryptionKey: this.encryptionKey,
        retention: logRetention,
      });
      this.wafLogDestinationArn = logGroupArnWithoutWildcard(wafLogGroup);
    }
    this.wafLoggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [this.wafLogDestinationArn],
      // Credentials and session cookies of the users must not end up in the log archive.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });

    // ------------------------------------------------------------ ECS
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      executeCommandConfiguration: enableExecuteCommand ? {
        kmsKey: this.encryptionKey,
        logging: ecs.ExecuteCommandLogging.OVERRIDE,
        logConfiguration: {
          cloudWatchLogGroup: this.execLogGroup = createEncryptedLogGroup(this, 'ExecLogGroup', { encryptionKey: this.encryptionKey, retention: logRetention }),
          cloudWatchEncryptionEnabled: true,
        },
      } : undefined,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      runtimePlatform: {
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.logGroup = createEncryptedLogGroup(this, 'LogGroup', { encryptionKey: this.encryptionKey, retention: logRetention });
    this.container = this.taskDefinition.addContainer('App', {
      image: props.image,
      essential: true,
      user,
      readonlyRootFilesystem,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'app' }),
      environment: props.environment,
      secrets: props.secrets,
    });
    scratchPaths.forEach((containerPath, i) => {
      const name = `scratch-${i}`;
      this.taskDefinition.addVolume({ name });
      this.container.addMountPoints({ containerPath, sourceVolume: name, readOnly: false });
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      vpcSubnets: applicationSubnets,
      securityGroups: [this.serviceSecurityGroup],
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      healthCheckGracePeriod: Duration.seconds(60),
      enableExecuteCommand,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    this.targetGroup.addTarget(this.service.loadBalancerTarget({ containerName: this.container.containerName, containerPort }));

    // ------------------------------------------------------------ RDS
    const parameterGroup = tlsParameterGroup(this, engine, engineFamily);
    this.databaseParameterGroup = parameterGroup;
    this.databaseInstanceIdentifier = databaseInstanceIdentifier;
    // RDS writes exported logs to /aws/rds/instance/<identifier>/<log>, creating the group (unencrypted, never
    // expiring) unless it exists: create them first, encrypted and with the workload's retention.
    this.databaseLogGroups = databaseLogExports.map((log) => createEncryptedLogGroup(this, `DatabaseLogGroup-${log}`, {
      logGroupName: `/aws/rds/instance/${databaseInstanceIdentifier}/${log}`,
      encryptionKey: this.encryptionKey,
      retention: logRetention,
    }));
    const instance = new rds.DatabaseInstance(this, 'Database', {
      instanceIdentifier: databaseInstanceIdentifier,
      engine,
      instanceType: props.databaseInstanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      vpc: props.vpc,
      vpcSubnets: dataSubnets,
      securityGroups: [this.databaseSecurityGroup],
      port: databasePort,
      databaseName: props.databaseName ?? 'app',
      // RDS generates the master password, stores it in Secrets Manager with this key and rotates it (every 7 days by
      // default) itself: no rotation Lambda that would need a route to the Secrets Manager and RDS APIs.
      credentials: rds.Credentials.fromUsername(props.databaseMasterUsername ?? engine.defaultUsername ?? 'admin', { encryptionKey: this.encryptionKey }),
      manageMasterUserPassword: true,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      storageType: rds.StorageType.GP3,
      allocatedStorage: allocated,
      maxAllocatedStorage: props.maxAllocatedStorageGiB,
      multiAz,
      backupRetention,
      deleteAutomatedBackups: false,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      copyTagsToSnapshot: true,
      iamAuthentication: true,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      parameterGroup,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.encryptionKey,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      monitoringInterval: Duration.seconds(60),
      cloudwatchLogsExports: databaseLogExports.length > 0 ? databaseLogExports : undefined,
    });
    for (const logGroup of this.databaseLogGroups) {
      instance.node.addDependency(logGroup);
    }
    this.database = instance;
    if (!instance.secret) {
      throw new Error(`${this.node.path}: RDS did not expose the managed master user secret`);
    }
    this.databaseSecret = instance.secret;

    // ------------------------------------------------------------ DNS
    if (props.privateZone) {
      this.applicationRecord = new route53.ARecord(this, 'ApplicationRecord', {
        zone: props.privateZone,
        recordName: props.applicationRecordName ?? 'app',
        target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(this.loadBalancer)),
      });
      this.databaseRecord = new route53.CnameRecord(this, 'DatabaseRecord', {
        zone: props.privateZone,
        recordName: props.databaseRecordName ?? 'db',
        domainName: instance.dbInstanceEndpointAddress,
        ttl: Duration.minutes(1),
      });
    }

    this.acknowledgeNagFindings(instance, multiAz);
  }

  private acknowledgeNagFindings(instance: rds.DatabaseInstance, multiAz: boolean): void {
    acknowledgeNag(this.taskDefinition, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'aws-cdk-lib writes the task and execution role grants of this workload (image pull, log writes, secret reads, ECS Exec) as each role\'s own default policy, scoped to this task definition\'s resources and used by no other role.',
    });
    acknowledgeNag(this.taskDefinition.obtainExecutionRole(), {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'The task execution role of this workload pulls its image from ECR, and ecr:GetAuthorizationToken has no resource-level permissions; the layer and manifest actions stay scoped to the image repository.',
    });
    if (this.execLogGroup) {
      const stack = Stack.of(this);
      acknowledgeNag(this.taskDefinition.taskRole,
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'ECS Exec (enableExecuteCommand) needs the ssmmessages channel actions and logs:DescribeLogGroups, which have no resource-level permissions; the grant is on this workload\'s task role only.',
        },
        {
          // The exact ARN aws-cdk-lib's ECS Exec grant writes (aws-ecs BaseService, enableExecuteCommand).
          id: nagFinding(this.taskDefinition.taskRole, 'AwsSolutions-IAM5', 'Resource',
            `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${this.execLogGroup.logGroupName}:*`),
          reason: 'ECS Exec writes session logs to log streams of this workload\'s own encrypted exec log group; the :* covers the streams of that one group.',
        },
      );
    }
    const monitoringRole = instance.node.tryFindChild('MonitoringRole');
    if (monitoringRole) {
      acknowledgeNag(monitoringRole, {
        id: nagFinding(monitoringRole, 'AwsSolutions-IAM4', 'Policy', `arn:${Aws.PARTITION}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`),
        reason: 'The Enhanced Monitoring role of the workload database uses the AWS managed policy that RDS documents for it; it only writes the RDSOSMetrics log group.',
      });
    }
    acknowledgeNag(instance,
      {
        id: 'NIST.800.53.R5-RDSInBackupPlan',
        reason: 'The workload database has RDS automated backups (point-in-time recovery for `backupRetention` days) and a final snapshot on delete; an AWS Backup plan is an organisation-level choice outside this construct.',
      },
      {
        id: 'AwsSolutions-RDS11',
        reason: 'The workload database keeps the engine default port because operators port-forward to it from the bastion; its security group admits the port only from the ECS tasks and the operator CIDRs.',
      },
    );
    if (!multiAz) {
      // Availability, not security: the caller chose a single-AZ database (e.g. Dev) with `multiAz: false`.
      acknowledgeNag(instance,
        { id: 'AwsSolutions-RDS3', reason: 'The caller set multiAz: false for this workload database (e.g. Dev), accepting downtime during an AZ failure or maintenance for lower cost.' },
        { id: 'NIST.800.53.R5-RDSMultiAZSupport', reason: 'The caller set multiAz: false for this workload database (e.g. Dev), accepting downtime during an AZ failure or maintenance for lower cost.' },
      );
    }
  }
}

/** An RDS DB instance identifier (the consecutive-hyphen rule is checked separately). */
const DB_INSTANCE_IDENTIFIER = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A stable, unique DB instance identifier from the construct path (stack name included): lowercase, at most 63
 * characters, starting with a letter, no consecutive hyphens, with aws-cdk-lib's hash of the path at the end.
 */
function defaultInstanceIdentifier(scope: Construct): string {
  const unique = Names.uniqueResourceName(scope, { maxLength: 50, separator: '-' }).toLowerCase()
    .replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return `${/^[a-z]/.test(unique) ? '' : 'db-'}${unique}-database`;
}

/** Engine families this construct knows defaults for. */
type EngineFamily = 'postgres' | 'mysql' | 'other';

/** Default ports; `other` engines must give `databasePort` (validated), so its entry is never used. */
const DEFAULT_PORTS: Record<EngineFamily, number> = { postgres: 5432, mysql: 3306, other: 0 };
const DEFAULT_LOG_EXPORTS: Record<EngineFamily, string[] | undefined> = {
  postgres: ['postgresql', 'upgrade'],
  mysql: ['error', 'general', 'slowquery'],
  other: undefined,
};

function engineFamilyOf(engine: rds.IInstanceEngine): EngineFamily {
  const type = engine.engineType;
  if (type === 'postgres') {
    return 'postgres';
  }
  if (type === 'mysql' || type === 'mariadb') {
    return 'mysql';
  }
  return 'other';
}

/**
 * A parameter group that refuses unencrypted connections (`rds.force_ssl` for PostgreSQL, `require_secure_transport`
 * for MySQL and MariaDB), when the engine version is known; undefined otherwise.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
 */
function tlsParameterGroup(scope: Construct, engine: rds.IInstanceEngine, family: EngineFamily): rds.IParameterGroup | undefined {
  if (!engine.parameterGroupFamily || family === 'other') {
    return undefined;
  }
  return new rds.ParameterGroup(scope, 'DatabaseParameters', {
    engine,
    description: 'Refuses database connections without TLS',
    parameters: family === 'postgres' ? { 'rds.force_ssl': '1' } : { require_secure_transport: 'ON' },
  });
}

/** Checks source CIDRs of security group rules: valid CIDRs, never `/0`. */
function checkSourceCidrs(v: PropsValidator, prop: string, cidrs: string[], fix: string): void {
  cidrs.forEach((cidr, i) => {
    const parsed = v.cidr(`${prop}[${i}]`, cidr);
    if (parsed && parsed.prefixLength === 0) {
      v.report(`${prop}[${i}]`, cidr, `allows every address; ${fix}.`);
    }
  });
}

/** RDS keeps automated backups 0-35 days; 0 disables them, which this construct refuses. */
function checkBackupRetention(v: PropsValidator, retention: Duration): void {
  if (Token.isUnresolved(retention.toHours({ integral: false }))) {
    return;
  }
  const days = retention.toHours({ integral: false }) / 24;
  v.check(Number.isInteger(days) && days >= 1 && days <= 35, 'backupRetention', `${retention.toHumanString()}`,
    'is outside the RDS automated backup retention; use whole days from 1 to 35 (0 would turn automated backups off).');
}
