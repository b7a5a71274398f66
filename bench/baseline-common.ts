/**
 * Helpers the two plain aws-cdk-lib baselines share (bench/baseline-reference.ts, bench/baseline-scale.ts): what a team
 * writing the same deployments without this library would factor out once. Only aws-cdk-lib and constructs: no code
 * of the library (src/) is imported, directly or indirectly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { BASELINE_RESOLVER_CODE } from './resolver-handler';

/** The context (feature flags) of an example's cdk.json, so that a baseline synthesizes under the same flags. */
export function exampleContext(example: 'reference-deployment' | 'scale-120'): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'examples', example, 'cdk.json'), 'utf8')).context;
}

/** The names every account derives for the central log archive (what the library's LogArchiveDestinations does). */
export class ArchiveNames {
  public readonly logBucketName: string;
  public readonly logBucketArn: string;
  public readonly albBucketName: string;
  public readonly accessLogBucketName: string;
  public readonly keyAlias: string;
  public readonly wafRoleName: string;
  public readonly wafStreamName: string;
  constructor(public readonly prefix: string, public readonly archiveAccount: string, public readonly region: string) {
    this.logBucketName = `${prefix}-logs-${archiveAccount}-${region}`;
    this.logBucketArn = `arn:aws:s3:::${this.logBucketName}`;
    this.albBucketName = `${prefix}-alb-logs-${archiveAccount}-${region}`;
    this.accessLogBucketName = `${prefix}-s3-access-logs-${archiveAccount}-${region}`;
    this.keyAlias = `alias/${prefix}-log-archive`;
    this.wafRoleName = `${prefix}-waf-log-delivery-${region}`;
    this.wafStreamName = `aws-waf-logs-${prefix}`;
  }

  /** The log bucket imported once per stack. */
  public logBucket(scope: Construct): s3.IBucket {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild('ArchiveLogBucket') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketAttributes(stack, 'ArchiveLogBucket', {
      bucketName: this.logBucketName, bucketArn: this.logBucketArn, account: this.archiveAccount, region: this.region,
    });
  }

  /** The ALB log bucket imported once per stack. */
  public albBucket(scope: Construct): s3.IBucket {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild('ArchiveAlbBucket') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketAttributes(stack, 'ArchiveAlbBucket', {
      bucketName: this.albBucketName, bucketArn: `arn:aws:s3:::${this.albBucketName}`, account: this.archiveAccount, region: this.region,
    });
  }

  public flowLogs(scope: Construct, prefix: string): ec2.FlowLogDestination {
    return ec2.FlowLogDestination.toS3(this.logBucket(scope), prefix);
  }

  /** Identity statements to write objects under `prefix` of the log bucket with the archive key (through S3 only). */
  public writeStatements(prefixes: string[], actions: string[], bucketActions: string[]): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions, resources: prefixes.map((p) => `${this.logBucketArn}/${p}/*`) }),
      new iam.PolicyStatement({ actions: bucketActions, resources: [this.logBucketArn] }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [`arn:aws:kms:${this.region}:${this.archiveAccount}:key/*`],
        conditions: {
          'StringEquals': { 'kms:ViaService': `s3.${this.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': this.logBucketArn },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': this.keyAlias },
        },
      }),
    ];
  }
}

/** Options of `createArchive`. */
export interface ArchiveOptions {
  readonly names: ArchiveNames;
  /** Accounts whose flow logs and ALB logs the archive accepts. */
  readonly sources: string[];
  /** Scope log delivery by this organization instead of listing the accounts. @default - list them */
  readonly organizationId?: string;
  /** Accounts whose WAF Firehose role writes `waf/<account>/`. @default none */
  readonly wafAccounts?: string[];
  /** Roles that write their own logs (Session Manager). @default none */
  readonly writerRoles?: Array<{ account: string; roleName: string; prefix: string }>;
}

/** The central log archive: key, SSE-KMS log bucket, SSE-S3 ALB and server-access-log buckets and their policies. */
export function createArchive(scope: Construct, o: ArchiveOptions): void {
  const n = o.names;
  const region = n.region;
  const logsArns = o.organizationId ? `arn:aws:logs:${region}:*:*` : o.sources.map((a) => `arn:aws:logs:${region}:${a}:*`);
  const source = o.organizationId ? { 'aws:SourceOrgID': o.organizationId } : { 'aws:SourceAccount': o.sources };
  const writers = [
    ...(o.wafAccounts ?? []).map((a) => ({ account: a, roleArn: `arn:aws:iam::${a}:role/${n.wafRoleName}`, prefixes: [`waf/${a}`, `waf-errors/${a}`] })),
    ...(o.writerRoles ?? []).map((w) => ({ account: w.account, roleArn: `arn:aws:iam::${w.account}:role/${w.roleName}`, prefixes: [w.prefix] })),
  ];
  const writerAccounts = [...new Set(writers.map((w) => w.account))].map((a) => new iam.AccountPrincipal(a));
  const keyPolicy = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:DescribeKey', 'kms:DisableKey', 'kms:DisableKeyRotation',
          'kms:EnableKey', 'kms:EnableKeyRotation', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListAliases', 'kms:ListGrants',
          'kms:ListKeyPolicies', 'kms:ListKeyRotations', 'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:RevokeGrant', 'kms:RotateKeyOnDemand',
          'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateAlias', 'kms:UpdateKeyDescription'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: source, ArnLike: { 'aws:SourceArn': logsArns } },
      }),
    ],
  });
  if (writers.length > 0) {
    keyPolicy.addStatements(new iam.PolicyStatement({
      principals: writerAccounts,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'aws:PrincipalArn': writers.map((w) => w.roleArn) },
        StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': n.logBucketArn },
      },
    }));
  }
  const key = new kms.Key(scope, 'ArchiveKey', {
    alias: n.keyAlias, enableKeyRotation: true, pendingWindow: Duration.days(30), policy: keyPolicy, removalPolicy: RemovalPolicy.RETAIN,
  });
  const common: s3.BucketProps = {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'archive-logs',
        transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }],
        noncurrentVersionExpiration: Duration.days(90),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
      { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
    ],
  };
  const accessLogs = new s3.Bucket(scope, 'ArchiveAccessLogs', { ...common, bucketName: n.accessLogBucketName, encryption: s3.BucketEncryption.S3_MANAGED });
  const logBucket = new s3.Bucket(scope, 'ArchiveLogs', {
    ...common,
    bucketName: n.logBucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'log-bucket/',
  });
  const albBucket = new s3.Bucket(scope, 'ArchiveAlbLogs', {
    ...common, bucketName: n.albBucketName, encryption: s3.BucketEncryption.S3_MANAGED, serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: 'alb-log-bucket/',
  });
  const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  const paths = o.organizationId ? ['*'] : o.sources;
  logBucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [delivery],
    actions: ['s3:PutObject'],
    resources: paths.flatMap((a) => [`${n.logBucketArn}/AWSLogs/${a}/*`, `${n.logBucketArn}/*/AWSLogs/${a}/*`]),
    conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...source }, ArnLike: { 'aws:SourceArn': logsArns } },
  }));
  logBucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [delivery],
    actions: ['s3:GetBucketAcl', 's3:ListBucket'],
    resources: [n.logBucketArn],
    conditions: { StringEquals: source, ArnLike: { 'aws:SourceArn': logsArns } },
  }));
  writers.forEach((w) => logBucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AccountPrincipal(w.account)],
    actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:AbortMultipartUpload'],
    resources: w.prefixes.map((p) => `${n.logBucketArn}/${p}/*`),
    conditions: { ArnLike: { 'aws:PrincipalArn': w.roleArn } },
  })));
  if (writers.length > 0) {
    logBucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: writerAccounts,
      actions: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration', 's3:ListBucketMultipartUploads'],
      resources: [n.logBucketArn],
      conditions: { ArnLike: { 'aws:PrincipalArn': writers.map((w) => w.roleArn) } },
    }));
  }
  for (const [condition, value] of [['s3:x-amz-server-side-encryption-aws-kms-key-id', key.keyArn], ['s3:x-amz-server-side-encryption', 'aws:kms']]) {
    logBucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`${n.logBucketArn}/*`],
      conditions: { StringNotEqualsIfExists: { [condition]: value } },
    }));
  }
  albBucket.addToResourcePolicy(new iam.PolicyStatement({
    // The legacy Elastic Load Balancing account of ap-northeast-1.
    principals: [new iam.AccountPrincipal('582318560864')],
    actions: ['s3:PutObject'],
    resources: o.sources.map((a) => `arn:aws:s3:::${n.albBucketName}/alb/*/AWSLogs/${a}/*`),
  }));
}

/** A KMS key (rotation on, retained) that CloudWatch Logs of this account and Region may use. */
export function logsKey(scope: Construct, id: string, description: string): kms.Key {
  const key = new kms.Key(scope, id, { description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  const stack = Stack.of(scope);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsEncryption',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }));
  return key;
}

/** The deploy-time lookup function of a stack: log group, managed policy, role and an inline Lambda function. */
export class Resolver extends Construct {
  public static of(scope: Construct, key?: kms.IKey): Resolver {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild('Resolver') as Resolver | undefined) ?? new Resolver(stack, 'Resolver', key);
  }
  public readonly policy: iam.ManagedPolicy;
  public readonly fn: lambda.CfnFunction;
  private accept?: iam.PolicyStatement;
  private constructor(scope: Construct, id: string, key?: kms.IKey) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN, encryptionKey: key });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
    });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), managedPolicies: [this.policy] });
    this.fn = new lambda.CfnFunction(this, 'Function', {
      runtime: 'nodejs24.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      code: { zipFile: BASELINE_RESOLVER_CODE },
      timeout: 900,
      memorySize: 256,
      role: role.roleArn,
      loggingConfig: { logGroup: logGroup.logGroupName },
    });
  }
  /** Allows EC2 Describe actions (no resource-level permissions). */
  public allow(...actions: string[]): void {
    this.policy.addStatements(new iam.PolicyStatement({ actions, resources: ['*'] }));
  }
  /** Allows accepting attachments of these accounts, in one statement. */
  public allowAccept(accounts: string[]): void {
    const stack = Stack.of(this);
    if (!this.accept) {
      this.accept = new iam.PolicyStatement({ actions: ['ec2:AcceptTransitGatewayVpcAttachment'] });
      this.policy.addStatements(this.accept);
    }
    const known = new Set(this.accept.resources);
    this.accept.addResources(...accounts.map((a) => `arn:${stack.partition}:ec2:${stack.region}:${a}:transit-gateway-attachment/*`).filter((r) => !known.has(r)));
  }
  /** A custom resource resolved by the function; returns its `Id`. */
  public lookup(scope: Construct, id: string, type: string, properties: Record<string, string>): string {
    const resource = new CustomResource(scope, id, { serviceToken: this.fn.attrArn, resourceType: type, properties });
    resource.node.addDependency(this.policy);
    return resource.getAttString('Id');
  }
}

/** Subnets at planned CIDRs: each subnet of a group gets the CIDR of its availability zone. */
export class PlannedAddresses implements ec2.IIpAddresses {
  constructor(private readonly cidr: string, private readonly azs: string[], private readonly groups: Record<string, string[]>) {}
  public allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.cidr };
  }
  public allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    const cidrOf = (r: ec2.RequestedSubnet) => this.groups[r.configuration.name][this.azs.indexOf(r.availabilityZone)];
    return { allocatedSubnets: input.requestedSubnets.map((r) => ({ cidr: cidrOf(r) })) };
  }
}

/** An isolated VPC whose subnet groups sit at planned CIDRs; no internet or NAT gateway; default SG restricted. */
export function plannedVpc(scope: Construct, id: string, name: string | undefined, cidr: string, azs: string[],
  groups: Record<string, string[]>): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    vpcName: name,
    ipAddresses: new PlannedAddresses(cidr, azs, groups),
    availabilityZones: azs,
    subnetConfiguration: Object.entries(groups).map(([group, cidrs]) => ({
      name: group, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: Number(cidrs[0].split('/')[1]),
    })),
    natGateways: 0,
    createInternetGateway: false,
    restrictDefaultSecurityGroup: true,
  });
}

/** Routes from the route tables of `subnets` to each destination through the transit gateway, after the attachment. */
export function tgwRoutes(scope: Construct, prefix: string, subnets: ec2.ISubnet[], destinations: string[], tgwId: string, after: Construct): void {
  subnets.forEach((subnet, i) => destinations.forEach((destination) => {
    const route = new ec2.CfnRoute(scope, `${prefix}${i}-${destination}`, { routeTableId: subnet.routeTable.routeTableId, destinationCidrBlock: destination, transitGatewayId: tgwId });
    route.node.addDependency(after);
  }));
}

/** The S3 prefix list of the Region, looked up at deployment (an AwsCustomResource, as the library does). */
export function s3PrefixList(scope: Construct, id: string): string {
  const region = Stack.of(scope).region;
  const call: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'DescribePrefixLists',
    parameters: { Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${region}.s3`] }] },
    physicalResourceId: cr.PhysicalResourceId.of(`s3-prefix-list-${region}`),
    outputPaths: ['PrefixLists.0.PrefixListId'],
  };
  const lookup = new cr.AwsCustomResource(scope, id, {
    resourceType: 'Custom::S3PrefixListLookup',
    installLatestAwsSdk: false,
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['ec2:DescribePrefixLists'], resources: ['*'] })]),
  });
  return lookup.getResponseField('PrefixLists.0.PrefixListId');
}

/** The IKEv2 / AES-256 / SHA-2 tunnel options of a hardened Site-to-Site VPN, logging to `logGroup`. */
export function tunnelOptions(logGroup: logs.ILogGroup, bgp: boolean): ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty {
  return {
    ikeVersions: [{ value: 'ikev2' }],
    phase1EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
    phase2EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
    phase1IntegrityAlgorithms: [{ value: 'SHA2-256' }, { value: 'SHA2-384' }, { value: 'SHA2-512' }],
    phase2IntegrityAlgorithms: [{ value: 'SHA2-256' }, { value: 'SHA2-384' }, { value: 'SHA2-512' }],
    phase1DhGroupNumbers: [14, 19, 20, 21].map((value) => ({ value })),
    phase2DhGroupNumbers: [14, 19, 20, 21].map((value) => ({ value })),
    logOptions: {
      cloudwatchLogOptions: {
        logEnabled: true,
        logGroupArn: logGroup.logGroupArn,
        logOutputFormat: 'json',
        ...(bgp ? { bgpLogEnabled: true, bgpLogGroupArn: logGroup.logGroupArn, bgpLogOutputFormat: 'json' } : {}),
      },
    },
  };
}
