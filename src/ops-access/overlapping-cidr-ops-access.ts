import { ArnFormat, CfnOutput, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ForwardingTargetOptions, RegisteredForwardingTarget } from './forwarding-target';
import { CheckedForwardingTarget, checkForwardingTarget, ClaimedTarget, PORT_FORWARDING_DOCUMENT, startSessionCommand } from './private/forwarding';
import { SessionPreferencesMode } from './session-preferences';
import { LogArchiveDestinations } from '../log-archive/destinations';
import { lookupS3PrefixListId } from '../private/aws-custom-resource';
import { Ipv4Cidr } from '../private/cidr';
import { allowCloudWatchLogsToUseKey, createEncryptedLogGroup, createEncryptionKey } from '../private/encrypted-log-group';
import { ExactSubnetGroup, ExactSubnetIpAddresses, exactSubnetConfiguration, validateExactSubnets } from '../private/exact-vpc';
import { createVpcFlowLog } from '../private/flow-log';
import { acknowledgeNag, nagFinding } from '../private/nag';
import { addTransitGatewayRoutes, attachVpcToTransitGateway, checkReturnAddressesOutsideVpc } from '../private/routing';
import { AwsOwnedS3Objects, checkS3EndpointPolicyProps, restrictS3GatewayEndpoint } from '../private/s3-endpoint-policy';
import { PropsValidator } from '../private/validation';
import { ITransitGatewayAttachment, TransitGatewayAttachment } from '../transit-hub/attachment';

/**
 * The planned subnets of the Network VPC, one CIDR per availability zone in the order of `availabilityZones`.
 * Every subnet must lie inside `vpcCidr`, be /16 to /28, and not overlap another.
 */
export interface OpsAccessSubnetCidrs {
  /**
   * Subnets of the bastion (the instance sits in the first; the second lets it move AZ). Spoke security groups allow
   * these ranges as the source of operator traffic.
   * @default ['192.168.10.0/24', '192.168.11.0/24']
   */
  readonly bastion?: string[];
  /**
   * Subnets of the interface VPC endpoints (and of the optional EC2 Instance Connect Endpoint).
   * @default ['192.168.20.0/28', '192.168.21.0/28']
   */
  readonly endpoint?: string[];
  /**
   * Subnets dedicated to the transit gateway attachment's network interfaces; their route tables keep only the
   * `local` route.
   * @default ['192.168.50.0/28', '192.168.50.16/28']
   */
  readonly transitGatewayAttachment?: string[];
  /**
   * Subnets for the Route 53 Resolver inbound endpoint (built by the DNS construct).
   * @default ['192.168.60.0/28', '192.168.60.16/28']
   */
  readonly resolverInbound?: string[];
  /**
   * Subnets for the Route 53 Resolver outbound endpoint (built by the DNS construct).
   * @default ['192.168.61.0/28', '192.168.61.16/28']
   */
  readonly resolverOutbound?: string[];
}

/** Properties of `OverlappingCidrOpsAccess`. */
export interface OverlappingCidrOpsAccessProps {
  /**
   * Who owns the account's Session Manager preferences document `SSM-SessionManagerRunShell` (one per account and
   * Region). Required, because creating it fails when it already exists and overwriting it changes every session
   * in the account.
   */
  readonly sessionPreferences: SessionPreferencesMode;

  /**
   * The operators' terminals in the data centre, as the Network VPC sees them (after any source NAT): IPv4
   * addresses or CIDRs, e.g. `['10.0.210.0/24']`. The endpoint security group allows HTTPS (443) from them, and the
   * endpoint and resolver subnets route them back to the transit gateway.
   *
   * Each must lie outside `vpcCidr` (ARCHITECTURE correction 3: a route more specific than `local` cannot point at
   * a transit gateway) and outside every `spokeVpcCidrs` entry. An unresolved token is used as given and must
   * resolve to a CIDR.
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-privatelink.html
   */
  readonly operatorTerminalCidrs: string[];

  /**
   * Further data-centre addresses that the Network VPC must answer through the transit gateway, in addition to
   * `operatorTerminalCidrs`: typically the DC DNS servers that query the Resolver inbound endpoint and receive the
   * outbound endpoint's queries, e.g. `['10.0.250.10', '10.0.250.11']`. IPv4 addresses (routed as /32) or CIDRs,
   * each outside `vpcCidr` and every `spokeVpcCidrs` entry, and not repeating an operator terminal CIDR.
   *
   * @default - only `operatorTerminalCidrs`
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
   */
  readonly dataCentreReturnCidrs?: string[];

  /**
   * The CIDRs of the spoke VPCs the bastion forwards into, e.g. `['10.0.0.0/18', '10.0.64.0/18']`. Used to reject
   * operator terminal and data-centre addresses that collide with a spoke (the transit gateway would route their
   * replies into the spoke), and to check that each spoke lies inside `spokeSummaryCidrs`.
   *
   * Required, with at least one CIDR, when `transitGatewayId` is set: without it those checks cannot run, and an
   * overlap between the data centre's addresses and a spoke would only show as lost replies after deployment.
   *
   * @default - none; only allowed without `transitGatewayId` (no spoke is reachable then)
   */
  readonly spokeVpcCidrs?: string[];

  /**
   * What the bastion subnets route to the transit gateway: the summary of every spoke, e.g. `['10.0.0.0/16']`.
   * Each must not lie inside `vpcCidr`. It may contain the data centre's own range: only the bastion subnets use it.
   *
   * @default ['10.0.0.0/16']
   */
  readonly spokeSummaryCidrs?: string[];

  /**
   * The transit gateway hub, e.g. `tgw-0123456789abcdef0` or the hub construct's ID token. When set, the construct
   * attaches the Network VPC on its attachment subnets and adds the subnet routes; the hub associates the attachment
   * (`transitGatewayAttachmentId`) with its "network" route table and propagates it.
   *
   * @default - no attachment and no transit gateway routes
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
   */
  readonly transitGatewayId?: string;

  /**
   * The Network VPC's CIDR, /16 to /28.
   * @default '192.168.0.0/16'
   */
  readonly vpcCidr?: string;

  /**
   * The subnets of the Network VPC.
   * @default - the reference plan (see `OpsAccessSubnetCidrs`)
   */
  readonly subnetCidrs?: OpsAccessSubnetCidrs;

  /**
   * The availability zones, at least two, e.g. `['ap-northeast-1a', 'ap-northeast-1c']`. Each subnet group has one
   * subnet per AZ, in this order.
   *
   * @default - the first two availability zones of the stack
   */
  readonly availabilityZones?: string[];

  /**
   * Where the VPC flow log (all traffic) goes, e.g. `ec2.FlowLogDestination.toS3(archiveBucket)` for the Security
   * account's log archive.
   *
   * @default - a CloudWatch Logs group encrypted with `encryptionKey`, kept for `logRetention` and retained on delete
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
   */
  readonly flowLogDestination?: ec2.FlowLogDestination;

  /**
   * Retention of the log groups this construct creates (session logs, and flow logs when no destination is given).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The KMS key that encrypts Session Manager session data and this construct's log groups. The construct adds a
   * statement for CloudWatch Logs (`logs.<region>.amazonaws.com`) to the policy of a key defined in the app; an
   * imported key's policy must already allow it.
   *
   * @default - a new customer managed key with yearly rotation, retained on delete
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-enable-encryption.html
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * An S3 bucket for session logs in addition to the CloudWatch Logs group, e.g. the central log archive in the
   * Security account. Its bucket policy must allow this construct's bastion role `s3:PutObject` and
   * `s3:PutObjectAcl` under `sessionLogBucketPrefix` and `s3:GetEncryptionConfiguration`; when it is SSE-KMS
   * encrypted give it with its `encryptionKey` so that the role may use that key.
   *
   * @default - session logs go to CloudWatch Logs only
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging-s3.html
   */
  readonly sessionLogBucket?: s3.IBucket;

  /**
   * Buckets of other accounts the bastion may reach through the S3 gateway endpoint, as bucket ARNs
   * (`arn:aws:s3:::<name>`). The endpoint's policy allows only buckets of this account, the AWS-owned buckets the
   * bastion needs (Amazon Linux 2023 repositories, SSM Agent buckets) and the session log bucket
   * (`sessionLogArchive` or `sessionLogBucket`, added automatically); list any other bucket here.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3
   */
  readonly s3EndpointAllowedBucketArns?: string[];

  /**
   * An AWS Organizations organization ID (`o-...`) whose accounts' buckets the bastion may reach through the S3
   * gateway endpoint (`aws:ResourceOrgID`), in addition to `s3EndpointAllowedBucketArns`.
   *
   * @default - only the buckets listed above
   */
  readonly s3EndpointAllowedOrganizationId?: string;

  /**
   * The key prefix of session logs in `sessionLogBucket`, without leading or trailing slash, e.g.
   * `destinations.sessionManagerLogPrefix('222222222222')` of the log archive.
   * @default 'session-manager/<account-id>'
   */
  readonly sessionLogBucketPrefix?: string;

  /**
   * Send session logs to the central log archive (`CentralLogArchive` in the Security account) in addition to the
   * CloudWatch Logs group: the bucket is `sessionLogArchive.logBucket(this)`, the prefix
   * `sessionLogArchive.sessionManagerLogPrefix(<this account>)`, and the bastion's customer managed policy gets
   * `sessionLogArchive.logWriteStatements(prefix)` (S3 writes under the prefix, the archive key through S3 only).
   * The archive must list the bastion role (`bastionRoleName`) in its `writerRoles` with the same prefix.
   * Give either this or `sessionLogBucket`, not both.
   *
   * @default - no central archive; see `sessionLogBucket`
   * @see https://repost.aws/knowledge-center/ssm-s3-bucket-logging-multiple-accounts
   */
  readonly sessionLogArchive?: LogArchiveDestinations;

  /**
   * A fixed name for the bastion's IAM role, so that a log archive bucket in another account can allow it by ARN
   * before this stack exists.
   * @default - a name generated by CloudFormation
   */
  readonly bastionRoleName?: string;

  /**
   * Minutes of inactivity after which Session Manager ends a session, 1-60.
   * @default 20
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-timeout.html
   */
  readonly idleSessionTimeout?: number;

  /**
   * Maximum length of a session in minutes, 1-1440.
   * @default 480
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-max-timeout.html
   */
  readonly maxSessionDuration?: number;

  /**
   * Whether operators may also open a shell on the bastion (the `SSM-SessionManagerRunShell` document). Port
   * forwarding needs no shell; shell sessions are logged to the session log destinations.
   *
   * @default false
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-specify-session-document.html
   */
  readonly shellAccess?: boolean;

  /**
   * The bastion's instance type. Its CPU architecture picks the Amazon Linux 2023 image (x86_64 or arm64).
   * @default t3.small
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-types.html
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The bastion's image. It must run SSM Agent 3.1.1374.0 or later (remote-host port forwarding) and use
   * `/dev/xvda` as its root device, as Amazon Linux does.
   *
   * @default - the latest Amazon Linux 2023 with the default kernel, through the public SSM parameter
   * `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-<arch>` (resolved at each deployment: a new image
   * replaces the bastion, and the instance ID in the printed commands changes)
   */
  readonly machineImage?: ec2.IMachineImage;

  /**
   * Size of the bastion's encrypted gp3 root volume in GiB, 8-16384.
   * @default 8
   */
  readonly rootVolumeSize?: number;

  /**
   * A customer managed key for the bastion's root volume.
   * @default - the account's AWS managed key `aws/ebs`
   * @see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
   */
  readonly rootVolumeEncryptionKey?: kms.IKey;

  /**
   * EC2 termination protection on the bastion. Off by default: the bastion is stateless and CloudFormation replaces
   * it when the Amazon Linux image moves on, which termination protection would make fail.
   *
   * @default false
   */
  readonly terminationProtection?: boolean;

  /**
   * Forwarding targets to register at construction; more can be added with `addForwardingTarget`.
   * @default - none
   */
  readonly forwardingTargets?: ForwardingTargetOptions[];

  /**
   * Whether to add an interface endpoint for AWS STS, for operators whose terminals have no internet access at all
   * and obtain credentials through `sts:AssumeRole*` (add `sts.<region>.amazonaws.com` to the DC DNS forwarding).
   *
   * @default false
   */
  readonly stsEndpoint?: boolean;

  /**
   * Whether to add an EC2 Instance Connect Endpoint (the seed's "EIC"), a break-glass SSH path to the bastion that
   * does not depend on SSM Agent. It adds one inbound rule to the bastion (TCP 22 from the endpoint's own security
   * group only). Operators call the public `ec2-instance-connect` API to open the tunnel, so their terminals need
   * internet access for it.
   *
   * @default false
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/connect-using-eice.html
   */
  readonly instanceConnectEndpoint?: boolean;

  /**
   * A fixed name for the operator managed policy, so that IAM Identity Center permission sets can reference it as a
   * customer managed policy.
   *
   * @default - a name generated by CloudFormation
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/howtocmp.html
   */
  readonly operatorPolicyName?: string;
}

const DEFAULT_VPC_CIDR = '192.168.0.0/16';
const DEFAULT_SUBNETS = {
  bastion: ['192.168.10.0/24', '192.168.11.0/24'],
  endpoint: ['192.168.20.0/28', '192.168.21.0/28'],
  transitGatewayAttachment: ['192.168.50.0/28', '192.168.50.16/28'],
  resolverInbound: ['192.168.60.0/28', '192.168.60.16/28'],
  resolverOutbound: ['192.168.61.0/28', '192.168.61.16/28'],
};
const DEFAULT_SPOKE_SUMMARY = ['10.0.0.0/16'];
const PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';

/**
 * Operator access into spoke VPCs whose addresses overlap the operators' own data centre: operators never route to
 * the spokes. They open a Session Manager session to a bastion in the isolated Network VPC and forward a local port
 * through it (`AWS-StartPortForwardingSessionToRemoteHost`) to RDS or ECS task ENIs in Prod and Dev.
 *
 * It builds:
 * - the Network VPC: no internet gateway, no NAT, isolated subnets at the planned CIDRs (bastion, endpoint,
 *   tgw-attach, resolver-in, resolver-out in each AZ), the default security group stripped of its rules, a flow log;
 * - with `transitGatewayId`: the VPC attachment on the tgw-attach subnets, bastion subnets routing
 *   `spokeSummaryCidrs` to the transit gateway, endpoint and resolver subnets routing the operator terminals and
 *   `dataCentreReturnCidrs` to it, attachment subnets with the `local` route only;
 * - interface endpoints ssm, ssmmessages, ec2messages, logs, kms (and optionally sts) with private DNS, in the
 *   endpoint subnets, behind a security group that allows 443 from the bastion and the operator terminals only; an
 *   S3 gateway endpoint on the bastion subnets whose policy allows only this account's buckets, the Amazon Linux
 *   2023 repositories and SSM Agent buckets (read only) and the session log bucket, so that nothing on the bastion
 *   can copy data to another account's bucket;
 * - the bastion: Amazon Linux 2023, no public IP, IMDSv2 only, encrypted gp3 root volume, detailed monitoring, a role
 *   with `AmazonSSMManagedInstanceCore` plus exactly its log destinations and the session key, a security group
 *   with no inbound rule and egress only to the endpoints (443), S3 (443) and the registered forwarding targets;
 * - Session Manager hardening: a KMS key for session data, a KMS-encrypted session log group, idle timeout and
 *   maximum duration, in the preferences document when `sessionPreferences` is `STACK_MANAGED`;
 * - an operator managed policy: start sessions on this bastion only, with the port-forwarding document only (and the
 *   shell document when `shellAccess`), end and resume only one's own sessions, use the session key;
 * - stack outputs: the bastion ID, one `aws ssm start-session …` command per forwarding target, and the endpoint DNS
 *   names the data centre's DNS must forward to the Resolver inbound endpoint.
 *
 * ARCHITECTURE.md correction 3: a VPC route more specific than the VPC's `local` route cannot point at a transit
 * gateway, so every data-centre address the endpoints and resolvers answer must lie outside `vpcCidr`; synthesis
 * fails otherwise, naming the address and the two fixes. Operator terminals overlapping a spoke VPC fail as well:
 * the data centre must source-NAT them.
 *
 * Note that Session Manager does not log the data of port-forwarding sessions; CloudTrail records each
 * `StartSession` call with its target and parameters.
 *
 * @throws Error at synthesis listing every invalid prop (CIDRs, subnets, AZs, timeouts, forwarding targets).
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html#sessions-remote-port-forwarding
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-privatelink.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
 */
export class OverlappingCidrOpsAccess extends Construct implements ec2.IConnectable {
  /** The Network VPC. */
  public readonly vpc: ec2.Vpc;
  /** The bastion subnets, one per AZ. */
  public readonly bastionSubnets: ec2.SubnetSelection;
  /** The interface endpoint subnets, one per AZ. */
  public readonly endpointSubnets: ec2.SubnetSelection;
  /** The transit gateway attachment subnets, one per AZ. */
  public readonly transitGatewayAttachmentSubnets: ec2.SubnetSelection;
  /** The subnets for the Route 53 Resolver inbound endpoint, one per AZ. */
  public readonly resolverInboundSubnets: ec2.SubnetSelection;
  /** The subnets for the Route 53 Resolver outbound endpoint, one per AZ. */
  public readonly resolverOutboundSubnets: ec2.SubnetSelection;
  /**
   * The CIDRs of the bastion subnets: spoke security groups (in other accounts) allow these as the source of
   * forwarded connections.
   */
  public readonly bastionSubnetCidrs: string[];
  /** The bastion instance. */
  public readonly bastion: ec2.Instance;
  /** The bastion's role. */
  public readonly bastionRole: iam.Role;
  /** The bastion's security group: no inbound rule, egress to the endpoints, S3 and the forwarding targets only. */
  public readonly bastionSecurityGroup: ec2.SecurityGroup;
  /** The interface endpoints' security group: 443 from the bastion and the operator terminals only. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The bastion's connections. */
  public readonly connections: ec2.Connections;
  /** The interface endpoints (ssm, ssmmessages, ec2messages, logs, kms, and sts when enabled). */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** The VPC flow log. */
  public readonly flowLog: ec2.FlowLog;
  /** The KMS key of session data and of this construct's log groups. */
  public readonly sessionKey: kms.IKey;
  /** The CloudWatch Logs group of session logs. */
  public readonly sessionLogGroup: logs.LogGroup;
  /** The operators' managed policy; attach it to the operators' role, group or permission set. */
  public readonly operatorPolicy: iam.ManagedPolicy;
  /**
   * The DNS names of the interface endpoints (e.g. `ssm.ap-northeast-1.amazonaws.com`) that the data centre's DNS
   * servers must conditionally forward to the Resolver inbound endpoint, so that the operators' CLI reaches the
   * endpoints over the VPN.
   */
  public readonly dnsForwardingNames: string[];
  /** The `SSM-SessionManagerRunShell` document, when `sessionPreferences` is `STACK_MANAGED`. */
  public readonly sessionPreferencesDocument?: ssm.CfnDocument;
  /** The EC2 Instance Connect Endpoint, when enabled. */
  public readonly instanceConnectEndpoint?: ec2.CfnInstanceConnectEndpoint;
  /** The transit gateway VPC attachment, when `transitGatewayId` is set. */
  public readonly transitGatewayAttachment?: ec2.CfnTransitGatewayVpcAttachment;
  /** The ID of the transit gateway VPC attachment, for the hub's association and propagation. */
  public readonly transitGatewayAttachmentId?: string;
  /**
   * The Network VPC attachment as the hub's segments take it (`segment.associate(ops.hubAttachment)`), named
   * `network-vpc`, with the VPC CIDR behind it; when `transitGatewayId` is set.
   */
  public readonly hubAttachment?: ITransitGatewayAttachment;

  private readonly targets: Array<{
    readonly target: CheckedForwardingTarget;
    readonly prop: string;
    readonly registered: RegisteredForwardingTarget;
  }> = [];
  private readonly reachable?: Array<{ readonly cidr: Ipv4Cidr; readonly prop: string }>;

  constructor(scope: Construct, id: string, props: OverlappingCidrOpsAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const v = new PropsValidator('OverlappingCidrOpsAccess');

    // ---- Validation: every problem, one error, before anything is built.
    const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    const availabilityZones = props.availabilityZones ?? stack.availabilityZones.slice(0, 2);
    const subnetCidrs = { ...DEFAULT_SUBNETS, ...definedOnly(props.subnetCidrs) };
    const groups: ExactSubnetGroup[] = [
      subnetGroup('bastion', subnetCidrs.bastion, 'subnetCidrs.bastion'),
      subnetGroup('endpoint', subnetCidrs.endpoint, 'subnetCidrs.endpoint'),
      subnetGroup('tgw-attach', subnetCidrs.transitGatewayAttachment, 'subnetCidrs.transitGatewayAttachment'),
      subnetGroup('resolver-in', subnetCidrs.resolverInbound, 'subnetCidrs.resolverInbound'),
      subnetGroup('resolver-out', subnetCidrs.resolverOutbound, 'subnetCidrs.resolverOutbound'),
    ];
    const plan = validateExactSubnets(v, 'vpcCidr', vpcCidr, 'availabilityZones', availabilityZones, groups);

    v.nonEmpty('operatorTerminalCidrs', props.operatorTerminalCidrs,
      'give the CIDRs of the operators\' terminals as the Network VPC sees them, e.g. 10.0.210.0/24.');
    const operatorCidrs = props.operatorTerminalCidrs.map((c, i) => v.ipv4OrCidr(`operatorTerminalCidrs[${i}]`, c));
    const returnCidrs = (props.dataCentreReturnCidrs ?? []).map((c, i) => v.ipv4OrCidr(`dataCentreReturnCidrs[${i}]`, c));
    const spokeCidrs = (props.spokeVpcCidrs ?? []).map((c, i) => v.cidr(`spokeVpcCidrs[${i}]`, c));
    const summaryTexts = props.spokeSummaryCidrs ?? DEFAULT_SPOKE_SUMMARY;
    const summaries = summaryTexts.map((c, i) => v.cidr(`spokeSummaryCidrs[${i}]`, c));

    checkReturnAddressesOutsideVpc(v, 'operatorTerminalCidrs', operatorCidrs, 'the Network VPC', plan.vpcCidr);
    checkReturnAddressesOutsideVpc(v, 'dataCentreReturnCidrs', returnCidrs, 'the Network VPC', plan.vpcCidr);
    checkNotInSpokes(v, 'operatorTerminalCidrs', operatorCidrs, spokeCidrs);
    checkNotInSpokes(v, 'dataCentreReturnCidrs', returnCidrs, spokeCidrs);
    returnCidrs.forEach((cidr, i) => {
      const j = operatorCidrs.findIndex((o) => o && cidr && o.equals(cidr));
      if (cidr && j >= 0) {
        v.report(`dataCentreReturnCidrs[${i}]`, props.dataCentreReturnCidrs![i],
          `repeats \`operatorTerminalCidrs[${j}]\`, which is routed back already; list each address once.`);
      }
      const k = returnCidrs.findIndex((o, idx) => idx < i && o && cidr && o.equals(cidr));
      if (cidr && k >= 0) {
        v.report(`dataCentreReturnCidrs[${i}]`, props.dataCentreReturnCidrs![i], `repeats \`dataCentreReturnCidrs[${k}]\`; list each address once.`);
      }
    });
    spokeCidrs.forEach((spoke, i) => {
      if (spoke && plan.vpcCidr?.overlaps(spoke)) {
        v.report(`spokeVpcCidrs[${i}]`, spoke.toString(),
          `overlaps the Network VPC CIDR ${plan.vpcCidr.toString()} (\`vpcCidr\`); the bastion cannot route to a spoke that overlaps its own VPC, so give the Network VPC a range outside every spoke.`);
      } else if (spoke && props.transitGatewayId !== undefined && !summaries.some((s) => s?.contains(spoke))) {
        v.report(`spokeVpcCidrs[${i}]`, spoke.toString(),
          'lies outside every `spokeSummaryCidrs` entry, so the bastion subnets have no route to it; add a summary that contains it.');
      }
    });
    summaries.forEach((summary, i) => {
      if (summary && plan.vpcCidr?.contains(summary)) {
        v.report(`spokeSummaryCidrs[${i}]`, summary.toString(),
          `lies inside the Network VPC CIDR ${plan.vpcCidr.toString()}; a route more specific than the VPC's local route cannot point at a transit gateway (https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html).`);
      }
    });
    if (props.transitGatewayId !== undefined) {
      v.nonEmpty('spokeSummaryCidrs', summaryTexts, 'give the summary the bastion routes to the spokes, e.g. 10.0.0.0/16.');
      v.nonEmpty('spokeVpcCidrs', props.spokeVpcCidrs,
        'give the CIDR of every spoke VPC the bastion forwards into, e.g. [\'10.0.0.0/18\', \'10.0.64.0/18\'], so that operator terminal ' +
        'and data-centre addresses that overlap a spoke are rejected (the transit gateway would route their replies into the spoke).');
    }
    checkS3EndpointPolicyProps(v, 's3EndpointAllowedBucketArns', props.s3EndpointAllowedBucketArns,
      's3EndpointAllowedOrganizationId', props.s3EndpointAllowedOrganizationId);

    const idleSessionTimeout = props.idleSessionTimeout ?? 20;
    const maxSessionDuration = props.maxSessionDuration ?? 480;
    v.integerInRange('idleSessionTimeout', idleSessionTimeout, 1, 60, 'an idle session timeout in minutes');
    v.integerInRange('maxSessionDuration', maxSessionDuration, 1, 1440, 'a maximum session duration in minutes');
    if (props.sessionLogArchive && (props.sessionLogBucket || props.sessionLogBucketPrefix)) {
      v.reportText('`sessionLogArchive` and `sessionLogBucket`/`sessionLogBucketPrefix` are both set; give the central archive or ' +
        'your own bucket, not both.');
    }
    const sessionLogBucket = props.sessionLogArchive?.logBucket(this) ?? props.sessionLogBucket;
    const sessionLogBucketPrefix = props.sessionLogArchive?.sessionManagerLogPrefix(stack.account)
      ?? props.sessionLogBucketPrefix ?? `session-manager/${stack.account}`;
    if (!v.isToken(sessionLogBucketPrefix) && !/^[^/].*[^/]$|^[^/]$/.test(sessionLogBucketPrefix)) {
      v.report('sessionLogBucketPrefix', sessionLogBucketPrefix,
        'must not be empty or start or end with a slash; write it as e.g. session-manager/222222222222.');
    }
    const rootVolumeSize = props.rootVolumeSize ?? 8;
    v.integerInRange('rootVolumeSize', rootVolumeSize, 8, 16384, 'a gp3 root volume size in GiB');

    // With a transit gateway, forwarding targets must lie in the Network VPC or a spoke VPC. The summaries are not
    // enough: they may contain the data centre's own addresses, and the bastion must never forward into the DC.
    // (Without spoke CIDRs the construct has already reported `spokeVpcCidrs`; every target would repeat it. With an
    // unresolved spoke CIDR the ranges are not known at synth, so targets are not checked against them.)
    const spokesKnown = (props.spokeVpcCidrs ?? []).every((c) => !Token.isUnresolved(c));
    if (props.transitGatewayId !== undefined && spokeCidrs.length > 0 && spokesKnown) {
      this.reachable = [
        ...(plan.vpcCidr ? [{ cidr: plan.vpcCidr, prop: 'vpcCidr' }] : []),
        ...spokeCidrs.flatMap((s, i) => s ? [{ cidr: s, prop: `spokeVpcCidrs[${i}]` }] : []),
      ];
    }
    const initialTargets: Array<{ target: CheckedForwardingTarget; prop: string }> = [];
    const claimed: ClaimedTarget[] = [];
    (props.forwardingTargets ?? []).forEach((options, i) => {
      const prop = `forwardingTargets[${i}]`;
      const target = checkForwardingTarget(v, prop, options, { existing: claimed, reachable: this.reachable });
      claimed.push({ name: options.name, localPort: options.localPort ?? options.port, prop });
      if (target) {
        initialTargets.push({ target, prop });
      }
    });
    v.throwIfInvalid(this);

    // ---- Encryption key for session data and log groups.
    // CloudWatch Logs encrypts the session and flow log groups with this key; its key policy names the regional
    // logs service, limited to log groups of this account and Region (a no-op for an imported key).
    this.sessionKey = props.encryptionKey ?? createEncryptionKey(this, 'SessionKey', {
      description: `Session Manager session data and ops-access log groups (${this.node.path})`,
    });
    allowCloudWatchLogsToUseKey(this.sessionKey);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    // ---- The Network VPC at its planned addresses; isolated subnets only, so no internet gateway and no NAT.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: new ExactSubnetIpAddresses(vpcCidr, availabilityZones, groups),
      availabilityZones,
      subnetConfiguration: exactSubnetConfiguration(groups),
      natGateways: 0,
      createInternetGateway: false,
      restrictDefaultSecurityGroup: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    this.bastionSubnets = { subnets: this.vpc.selectSubnets({ subnetGroupName: 'bastion' }).subnets };
    this.endpointSubnets = { subnets: this.vpc.selectSubnets({ subnetGroupName: 'endpoint' }).subnets };
    this.transitGatewayAttachmentSubnets = { subnets: this.vpc.selectSubnets({ subnetGroupName: 'tgw-attach' }).subnets };
    this.resolverInboundSubnets = { subnets: this.vpc.selectSubnets({ subnetGroupName: 'resolver-in' }).subnets };
    this.resolverOutboundSubnets = { subnets: this.vpc.selectSubnets({ subnetGroupName: 'resolver-out' }).subnets };
    this.bastionSubnetCidrs = [...subnetCidrs.bastion];

    this.flowLog = createVpcFlowLog(this, {
      vpc: this.vpc,
      destination: props.flowLogDestination,
      encryptionKey: this.sessionKey,
      retention: logRetention,
      vpcName: 'the Network VPC',
    }).flowLog;

    // ---- Security groups. Neither allows all outbound traffic; the bastion has no inbound rule.
    this.bastionSecurityGroup = new ec2.SecurityGroup(this, 'BastionSecurityGroup', {
      vpc: this.vpc,
      description: 'Ops bastion: no inbound rule; egress to VPC endpoints, S3 and registered forwarding targets only',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface VPC endpoints: HTTPS from the ops bastion and the operator terminals only',
      allowAllOutbound: false,
    });
    this.bastionSecurityGroup.connections.allowTo(this.endpointSecurityGroup, ec2.Port.tcp(443), 'HTTPS to the interface VPC endpoints');
    operatorCidrs.forEach((cidr, i) => {
      const text = cidr?.toString() ?? props.operatorTerminalCidrs[i];
      const description = cidr ? `HTTPS from operator terminals ${text}` : 'HTTPS from operator terminals';
      this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(text), ec2.Port.tcp(443), description);
    });
    this.connections = this.bastionSecurityGroup.connections;

    // ---- Interface endpoints for Session Manager, its logs and its KMS key, with private DNS.
    const services: Array<[string, ec2.InterfaceVpcEndpointAwsService, string]> = [
      ['Ssm', ec2.InterfaceVpcEndpointAwsService.SSM, 'ssm'],
      ['SsmMessages', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, 'ssmmessages'],
      ['Ec2Messages', ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES, 'ec2messages'],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, 'logs'],
      ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS, 'kms'],
    ];
    if (props.stsEndpoint) {
      services.push(['Sts', ec2.InterfaceVpcEndpointAwsService.STS, 'sts']);
    }
    this.interfaceEndpoints = services.map(([name, service]) => new ec2.InterfaceVpcEndpoint(this, `${name}Endpoint`, {
      vpc: this.vpc,
      service,
      subnets: this.endpointSubnets,
      securityGroups: [this.endpointSecurityGroup],
      privateDnsEnabled: true,
      // `open` would add an ingress rule from the whole VPC CIDR; the endpoint SG rules above are the only ones.
      open: false,
    }));
    this.dnsForwardingNames = services.map(([, , prefix]) => `${prefix}.${stack.region}.${stack.urlSuffix}`);

    this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', {
      vpc: this.vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.bastionSubnets],
    });
    // Session logs to a bucket of another account (the Security account's archive) leave through this endpoint;
    // VPC flow logs to that archive do not (the flow log service delivers them).
    const sessionLogBucketArns = sessionLogBucket ? [sessionLogBucket.bucketArn] : [];
    restrictS3GatewayEndpoint(this.s3Endpoint, {
      awsOwnedSid: 'AmazonLinuxRepositoriesAndSsmAgentBuckets',
      awsOwnedObjects: [...AwsOwnedS3Objects.amazonLinux2023Repositories(this), ...AwsOwnedS3Objects.systemsManagerAgent(this)],
      additionalBucketArns: [...sessionLogBucketArns, ...(props.s3EndpointAllowedBucketArns ?? [])],
      organizationId: props.s3EndpointAllowedOrganizationId,
    });

    // ---- Transit gateway attachment and subnet routes.
    if (props.transitGatewayId !== undefined) {
      const attachment = attachVpcToTransitGateway(this, 'TransitGatewayAttachment', {
        transitGatewayId: props.transitGatewayId,
        vpc: this.vpc,
        subnets: this.transitGatewayAttachmentSubnets.subnets!,
        name: 'network-vpc',
      });
      this.transitGatewayAttachment = attachment;
      this.transitGatewayAttachmentId = attachment.attrId;
      this.hubAttachment = TransitGatewayAttachment.fromVpcAttachmentId(this, 'HubAttachment', {
        attachmentId: attachment.attrId,
        name: 'network-vpc',
        cidrs: [vpcCidr],
      });
      const returnDestinations = [
        ...operatorCidrs.map((c, i) => c?.toString() ?? props.operatorTerminalCidrs[i]),
        ...returnCidrs.map((c, i) => c?.toString() ?? props.dataCentreReturnCidrs![i]),
      ];
      addTransitGatewayRoutes(this, 'BastionRoute', this.bastionSubnets.subnets!, summaryTexts.map((t, i) => summaries[i]?.toString() ?? t),
        props.transitGatewayId, attachment);
      addTransitGatewayRoutes(this, 'EndpointRoute', this.endpointSubnets.subnets!, returnDestinations, props.transitGatewayId, attachment);
      addTransitGatewayRoutes(this, 'ResolverInboundRoute', this.resolverInboundSubnets.subnets!, returnDestinations, props.transitGatewayId, attachment);
      addTransitGatewayRoutes(this, 'ResolverOutboundRoute', this.resolverOutboundSubnets.subnets!, returnDestinations, props.transitGatewayId, attachment);
    }

    // ---- Session logs.
    this.sessionLogGroup = createEncryptedLogGroup(this, 'SessionLogGroup', { encryptionKey: this.sessionKey, retention: logRetention });

    // ---- The bastion.
    const ssmCore = iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore');
    this.bastionRole = new iam.Role(this, 'BastionRole', {
      roleName: props.bastionRoleName,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Ops bastion: Session Manager core permissions plus its session log destinations and session key',
      managedPolicies: [ssmCore],
    });
    acknowledgeNag(this.bastionRole, {
      id: nagFinding(this, 'AwsSolutions-IAM4', 'Policy', ssmCore.managedPolicyArn),
      reason: 'The ops bastion uses the AWS managed policy AmazonSSMManagedInstanceCore, which AWS maintains as the minimum for SSM Agent (ssm, ssmmessages, ec2messages) as the seed design requires.',
    });
    this.addBastionLogPermissions(props, sessionLogBucket, sessionLogBucketPrefix);

    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL);
    // The `kernel-default` parameter follows the kernel AWS recommends for AL2023 (MachineImage.latestAmazonLinux2023
    // pins CDK's own choice instead).
    const machineImage = props.machineImage ?? new ec2.AmazonLinux2023ImageSsmParameter({
      kernel: ec2.AmazonLinux2023Kernel.DEFAULT,
      // Resolved by CloudFormation at each deployment, never through a synth-time context lookup.
      cachedInContext: false,
      cpuType: instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
    });
    this.bastion = new ec2.Instance(this, 'Bastion', {
      vpc: this.vpc,
      vpcSubnets: { subnets: [this.bastionSubnets.subnets![0]] },
      instanceType,
      machineImage,
      role: this.bastionRole,
      securityGroup: this.bastionSecurityGroup,
      // No public IP: the bastion subnet is isolated (MapPublicIpOnLaunch false) and the VPC has no internet gateway.
      // Not set on the instance, which would move the subnet onto a network interface block.
      // IMDSv2 only, one hop: nothing on the bastion forwards metadata requests.
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpEndpoint: true,
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: false,
      detailedMonitoring: true,
      disableApiTermination: props.terminationProtection ?? false,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(rootVolumeSize, {
          encrypted: true,
          kmsKey: props.rootVolumeEncryptionKey,
          volumeType: ec2.EbsDeviceVolumeType.GP3,
          deleteOnTermination: true,
        }),
      }],
    });
    if (!props.terminationProtection) {
      acknowledgeNag(this.bastion, {
        id: 'AwsSolutions-EC29',
        reason: 'The ops bastion is stateless and CloudFormation replaces it whenever the Amazon Linux 2023 SSM parameter moves to a new image; termination protection would make that replacement fail. Set terminationProtection to turn it on.',
      }, {
        id: 'NIST.800.53.R5-EC2InstanceTerminationProtection',
        reason: 'The ops bastion is stateless and CloudFormation replaces it whenever the Amazon Linux 2023 SSM parameter moves to a new image; termination protection would make that replacement fail. Set terminationProtection to turn it on.',
      });
    }
    // The instance must not start before it can reach Systems Manager privately.
    for (const endpoint of this.interfaceEndpoints) {
      this.bastion.node.addDependency(endpoint);
    }

    this.allowS3FromBastion();

    // ---- Session Manager preferences.
    const preferences = {
      schemaVersion: '1.0',
      description: 'Session Manager preferences of this account and Region (cdk-gov-hybrid-network OverlappingCidrOpsAccess)',
      sessionType: 'Standard_Stream',
      inputs: {
        s3BucketName: sessionLogBucket?.bucketName ?? '',
        s3KeyPrefix: sessionLogBucket ? sessionLogBucketPrefix : '',
        s3EncryptionEnabled: true,
        cloudWatchLogGroupName: this.sessionLogGroup.logGroupName,
        cloudWatchEncryptionEnabled: true,
        cloudWatchStreamingEnabled: true,
        kmsKeyId: this.sessionKey.keyArn,
        runAsEnabled: false,
        runAsDefaultUser: '',
        // The document takes the minutes as strings; a number token must stay a token, not become its text.
        idleSessionTimeout: Tokenization.stringifyNumber(idleSessionTimeout),
        maxSessionDuration: Tokenization.stringifyNumber(maxSessionDuration),
        shellProfile: { windows: '', linux: '' },
      },
    };
    if (props.sessionPreferences === SessionPreferencesMode.STACK_MANAGED) {
      this.sessionPreferencesDocument = new ssm.CfnDocument(this, 'SessionPreferences', {
        name: PREFERENCES_DOCUMENT,
        documentType: 'Session',
        documentFormat: 'JSON',
        content: preferences,
        updateMethod: 'NewVersion',
      });
    } else {
      new CfnOutput(this, 'SessionPreferencesContent', {
        description: `Content for ${PREFERENCES_DOCUMENT} (aws ssm update-document --name ${PREFERENCES_DOCUMENT} --document-version '$LATEST' --content file://prefs.json)`,
        value: stack.toJsonString(preferences),
      });
    }

    // ---- Operators' managed policy.
    this.operatorPolicy = this.createOperatorPolicy(stack, props);

    // ---- Optional EC2 Instance Connect Endpoint (break-glass SSH).
    if (props.instanceConnectEndpoint) {
      this.instanceConnectEndpoint = this.createInstanceConnectEndpoint(stack);
    }

    // ---- Outputs and forwarding targets.
    new CfnOutput(this, 'BastionInstanceId', {
      description: 'The ops bastion; the --target of aws ssm start-session',
      value: this.bastion.instanceId,
    });
    new CfnOutput(this, 'OperatorDnsForwardingNames', {
      description: 'Names the data-centre DNS servers must conditionally forward to the Route 53 Resolver inbound endpoint',
      value: this.dnsForwardingNames.join(' '),
    });
    new CfnOutput(this, 'OperatorPolicyArn', {
      description: 'Managed policy to attach to the operators\' role, group or permission set',
      value: this.operatorPolicy.managedPolicyArn,
    });
    for (const { target, prop } of initialTargets) {
      this.registerTarget(target, prop);
    }
  }

  /** The forwarding targets registered so far, in registration order. */
  public get forwardingTargets(): RegisteredForwardingTarget[] {
    return this.targets.map((t) => t.registered);
  }

  /**
   * Registers a forwarding target: opens the bastion's egress for TCP `port` towards `cidr` and adds a stack output
   * with the exact `aws ssm start-session` command.
   *
   * @throws Error when the target is invalid (name, host, ports, CIDR) or clashes with one already registered
   * (name or local port), listing every problem.
   */
  public addForwardingTarget(options: ForwardingTargetOptions): RegisteredForwardingTarget {
    const v = new PropsValidator('OverlappingCidrOpsAccess');
    const prop = `addForwardingTarget(${options.name})`;
    const existing = this.targets.map((t) => ({ name: t.target.name, localPort: t.target.localPort, prop: t.prop }));
    const target = checkForwardingTarget(v, prop, options, { existing, reachable: this.reachable });
    v.throwIfInvalid(this);
    return this.registerTarget(target!, prop);
  }

  private registerTarget(target: CheckedForwardingTarget, prop: string): RegisteredForwardingTarget {
    this.bastionSecurityGroup.addEgressRule(ec2.Peer.ipv4(target.cidr), ec2.Port.tcp(target.port),
      `Forwarding target ${target.name}`);
    const command = startSessionCommand(this.bastion.instanceId, Stack.of(this).region, target);
    new CfnOutput(this, `ForwardingCommand-${target.name}`, {
      description: `${target.name}: forwards localhost:${target.localPort} to ${target.host}:${target.port} through the ops bastion`,
      value: command,
    });
    const registered: RegisteredForwardingTarget = {
      name: target.name,
      host: target.host,
      port: target.port,
      localPort: target.localPort,
      cidr: target.cidr,
      startSessionCommand: command,
    };
    this.targets.push({ target, prop, registered });
    return registered;
  }

  /**
   * Least privilege for the bastion's session log destinations and the session key, as a customer managed policy
   * (NIST 800-53 IAMNoInlinePolicy).
   */
  private addBastionLogPermissions(props: OverlappingCidrOpsAccessProps, sessionLogBucket: s3.IBucket | undefined, prefix: string): void {
    const stack = Stack.of(this);
    const logGroupNamespace = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const policy = new iam.ManagedPolicy(this, 'BastionPolicy', {
      description: 'Ops bastion: its session log destinations and the session data key',
      roles: [this.bastionRole],
    });
    policy.addStatements(new iam.PolicyStatement({
      sid: 'DecryptSessionData',
      actions: ['kms:Decrypt'],
      resources: [this.sessionKey.keyArn],
    }));
    policy.addStatements(new iam.PolicyStatement({
      sid: 'WriteSessionLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [this.sessionLogGroup.logGroupArn],
    }));
    // SSM Agent calls DescribeLogGroups to check that the session log group is encrypted; the action has no
    // finer resource than the log-group namespace of the account.
    policy.addStatements(new iam.PolicyStatement({
      sid: 'CheckSessionLogGroupEncryption',
      actions: ['logs:DescribeLogGroups'],
      resources: [logGroupNamespace],
    }));
    acknowledgeNag(policy, {
      id: nagFinding(policy, 'AwsSolutions-IAM5', 'Resource', logGroupNamespace),
      reason: 'SSM Agent calls logs:DescribeLogGroups to check that the session log group is encrypted; DescribeLogGroups is authorized on the account\'s log-group namespace, not on one group.',
    });
    if (props.sessionLogArchive) {
      const statements = props.sessionLogArchive.logWriteStatements(prefix);
      policy.addStatements(...statements);
      acknowledgeNag(policy, ...statements.flatMap((st) => st.resources).filter((r) => r.includes('*')).map((resource) => ({
        id: nagFinding(policy, 'AwsSolutions-IAM5', 'Resource', resource),
        reason: 'Session logs are new objects under this account\'s session-manager prefix of the central log bucket, encrypted with ' +
          'the archive key, whose ID the Network account cannot know: key/* is narrowed to the archive alias and to S3 (kms:ResourceAliases, kms:ViaService).',
      })));
    } else if (sessionLogBucket) {
      const bucket = sessionLogBucket;
      policy.addStatements(new iam.PolicyStatement({
        sid: 'WriteSessionLogsToS3',
        // PutObjectAcl: the agent may ask for bucket-owner-full-control on a bucket of another account.
        actions: ['s3:PutObject', 's3:PutObjectAcl'],
        resources: [bucket.arnForObjects(`${prefix}/*`)],
      }));
      policy.addStatements(new iam.PolicyStatement({
        sid: 'CheckSessionLogBucketEncryption',
        actions: ['s3:GetEncryptionConfiguration'],
        resources: [bucket.bucketArn],
      }));
      if (bucket.encryptionKey) {
        policy.addStatements(new iam.PolicyStatement({
          sid: 'EncryptSessionLogsInS3',
          actions: ['kms:GenerateDataKey'],
          resources: [bucket.encryptionKey.keyArn],
        }));
      }
    }
  }

  /**
   * The bastion reaches S3 (dnf repositories, SSM Agent updates, S3 session logs) through the gateway endpoint;
   * its egress rule needs the Region's S3 prefix list ID, which CloudFormation cannot look up, so a custom resource
   * reads it at deployment (no context lookup, no hand-copied ID).
   */
  private allowS3FromBastion(): void {
    const prefixListId = lookupS3PrefixListId(this);
    this.bastionSecurityGroup.addEgressRule(ec2.Peer.prefixList(prefixListId), ec2.Port.tcp(443), 'HTTPS to Amazon S3 through the gateway endpoint');
  }

  private createOperatorPolicy(stack: Stack, props: OverlappingCidrOpsAccessProps): iam.ManagedPolicy {
    const instanceArn = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: this.bastion.instanceId });
    const documents = [stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: PORT_FORWARDING_DOCUMENT })];
    if (props.shellAccess) {
      documents.push(stack.formatArn({ service: 'ssm', resource: 'document', resourceName: PREFERENCES_DOCUMENT }));
    }
    const sessions = stack.formatArn({ service: 'ssm', resource: 'session', resourceName: '*' });
    const ownSessions = stack.formatArn({ service: 'ssm', resource: 'session', resourceName: '${aws:username}-*' });
    const policy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      managedPolicyName: props.operatorPolicyName,
      description: 'Operators: port forwarding through the ops bastion only; end and resume only their own sessions',
      statements: [
        // With SessionDocumentAccessCheck, a session without --document-name (the default shell) is refused unless
        // the shell document is listed here.
        new iam.PolicyStatement({
          sid: 'StartSessionOnTheBastionWithAllowedDocumentsOnly',
          actions: ['ssm:StartSession'],
          resources: [instanceArn, ...documents],
          conditions: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
        }),
        // Opening the data channel needs the token StartSession returned to the caller, so allowing it on the
        // account's sessions grants nothing beyond the caller's own sessions.
        new iam.PolicyStatement({
          sid: 'OpenDataChannelOfStartedSessions',
          actions: ['ssmmessages:OpenDataChannel'],
          resources: [sessions],
        }),
        // IAM users: session IDs start with the user name (AWS's sample policy, method 1).
        new iam.PolicyStatement({
          sid: 'EndOrResumeOwnSessions',
          actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          resources: [ownSessions],
        }),
        // Federated and assumed-role callers have no aws:username, so ownership is checked on the session-id tag
        // Session Manager sets on each session, which carries the caller's user ID (method 2).
        new iam.PolicyStatement({
          sid: 'EndOrResumeOwnFederatedSessions',
          actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          resources: [sessions],
          conditions: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
        }),
        new iam.PolicyStatement({
          sid: 'EncryptSessionData',
          actions: ['kms:GenerateDataKey'],
          resources: [this.sessionKey.keyArn],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeForTheCli',
          actions: ['ssm:DescribeSessions', 'ssm:GetConnectionStatus', 'ssm:DescribeInstanceProperties', 'ec2:DescribeInstances'],
          resources: ['*'],
        }),
      ],
    });
    acknowledgeNag(policy, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ssm:DescribeSessions, ssm:GetConnectionStatus, ssm:DescribeInstanceProperties and ec2:DescribeInstances support no resource-level permissions; they only list sessions and instances for the Session Manager CLI.',
    }, {
      id: nagFinding(policy, 'AwsSolutions-IAM5', 'Resource', sessions),
      reason: 'Operators may open the data channel of, and end or resume, only sessions they started: the data channel needs the caller\'s StartSession token and the end/resume statement is conditioned on the session-id tag equal to ${aws:userid}.',
    }, {
      id: nagFinding(policy, 'AwsSolutions-IAM5', 'Resource', ownSessions),
      reason: 'The wildcard is the suffix Session Manager appends to the caller\'s own user ID in the session ID; operators end or resume only their own sessions (AWS end-user sample policy).',
    });
    return policy;
  }

  private createInstanceConnectEndpoint(stack: Stack): ec2.CfnInstanceConnectEndpoint {
    const sg = new ec2.SecurityGroup(this, 'InstanceConnectSecurityGroup', {
      vpc: this.vpc,
      description: 'EC2 Instance Connect Endpoint: SSH to the ops bastion only',
      allowAllOutbound: false,
    });
    sg.connections.allowTo(this.bastionSecurityGroup, ec2.Port.tcp(22), 'SSH from the EC2 Instance Connect Endpoint to the ops bastion');
    const endpoint = new ec2.CfnInstanceConnectEndpoint(this, 'InstanceConnectEndpoint', {
      subnetId: this.endpointSubnets.subnets![0].subnetId,
      securityGroupIds: [sg.securityGroupId],
      preserveClientIp: false,
    });
    this.operatorPolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'OpenTunnelToTheBastionSshPort',
        actions: ['ec2-instance-connect:OpenTunnel'],
        resources: [endpoint.attrInstanceConnectEndpointArn],
        conditions: {
          NumericEquals: { 'ec2-instance-connect:remotePort': '22' },
          IpAddress: { 'ec2-instance-connect:privateIpAddress': `${this.bastion.instancePrivateIp}/32` },
        },
      }),
      new iam.PolicyStatement({
        sid: 'PushKeyToTheBastion',
        actions: ['ec2-instance-connect:SendSSHPublicKey'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: this.bastion.instanceId })],
        conditions: { StringEquals: { 'ec2:osuser': 'ec2-user' } },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeInstanceConnectEndpoints',
        actions: ['ec2:DescribeInstanceConnectEndpoints'],
        resources: ['*'],
      }),
    );
    return endpoint;
  }
}

function subnetGroup(name: string, cidrs: string[], prop: string): ExactSubnetGroup {
  return { name, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrs, prop };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * An address that must get answers back from the Network VPC cannot share addresses with a spoke VPC: the transit
 * gateway route table of the Network VPC sends traffic for the spoke's range into the spoke.
 */
function checkNotInSpokes(v: PropsValidator, prop: string, addresses: ReadonlyArray<Ipv4Cidr | undefined>,
  spokes: ReadonlyArray<Ipv4Cidr | undefined>): void {
  addresses.forEach((address, i) => {
    spokes.forEach((spoke, j) => {
      if (address && spoke && address.overlaps(spoke)) {
        v.report(`${prop}[${i}]`, address.toString(),
          `overlaps ${spoke.toString()} (\`spokeVpcCidrs[${j}]\`), a spoke VPC the bastion forwards into: the transit gateway cannot tell ` +
          'replies to these data-centre addresses from traffic to the spoke, so the replies would be routed into the spoke. ' +
          'The data centre must source-NAT them to addresses outside every spoke VPC CIDR; give the translated addresses here.');
      }
    });
  });
}

/** How cdk-nag renders a stack value inside a finding ID: a pseudo parameter as `<AWS::Region>`, a literal as itself. */
