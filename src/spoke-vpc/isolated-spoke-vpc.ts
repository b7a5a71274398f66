import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createEncryptionKey } from '../private/encrypted-log-group';
import { ExactSubnetGroup, ExactSubnetIpAddresses, exactSubnetConfiguration, validateExactSubnets } from '../private/exact-vpc';
import { createVpcFlowLog } from '../private/flow-log';
import { AwsOwnedS3Objects, checkS3EndpointPolicyProps, restrictS3GatewayEndpoint } from '../private/s3-endpoint-policy';
import { PropsValidator } from '../private/validation';

/** A caller-defined subnet group of an `IsolatedSpokeVpc`, one subnet per availability zone. */
export interface SpokeSubnetGroup {
  /**
   * The subnet group name, used as the CDK subnet group name (`vpc.selectSubnets({ subnetGroupName })`): a letter
   * followed by letters, digits and hyphens, at most 32 characters, e.g. `transfer`. The built-in names
   * `tgw-attach`, `alb`, `app`, `data` and `endpoint` are taken.
   */
  readonly name: string;

  /** One CIDR per availability zone, in the order of `availabilityZones`, e.g. `['10.0.20.0/27', '10.0.20.32/27']`. */
  readonly cidrs: string[];
}

/** Properties of an `IsolatedSpokeVpc`. */
export interface IsolatedSpokeVpcProps {
  /**
   * The `Name` tag of the VPC.
   * @default - the construct path
   */
  readonly vpcName?: string;

  /** The VPC CIDR, /16 to /28, e.g. `10.0.0.0/18` for Prod. */
  readonly vpcCidr: string;

  /**
   * The availability zones, at least two, e.g. `['ap-northeast-1a', 'ap-northeast-1c']`. Every subnet list gives one
   * CIDR per zone in this order. Given explicitly so that synthesis needs no AZ lookup.
   */
  readonly availabilityZones: string[];

  /**
   * The subnets that hold the transit gateway attachment's network interfaces (subnet group `tgw-attach`), one per AZ;
   * a /28 is enough, e.g. `['10.0.0.0/28', '10.0.0.16/28']`.
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-best-design-practices.html
   */
  readonly transitGatewayAttachmentSubnetCidrs: string[];

  /** The subnets of the internal Application Load Balancer (subnet group `alb`), one per AZ; /27 or larger. */
  readonly loadBalancerSubnetCidrs: string[];

  /** The subnets of the application tasks (subnet group `app`), one per AZ. */
  readonly applicationSubnetCidrs: string[];

  /** The subnets of the database (subnet group `data`), one per AZ. */
  readonly dataSubnetCidrs: string[];

  /**
   * Subnets dedicated to the interface VPC endpoints (subnet group `endpoint`), one per AZ.
   * @default - the interface endpoints are placed in the application subnets
   */
  readonly endpointSubnetCidrs?: string[];

  /**
   * Further subnet groups, e.g. `[{ name: 'transfer', cidrs: ['10.0.20.0/27', '10.0.20.32/27'] }]` for the SFTP
   * backup bridge in Prod.
   * @default - none
   */
  readonly extraSubnetGroups?: SpokeSubnetGroup[];

  /**
   * Interface endpoints to create in addition to the four a Fargate service needs without internet access
   * (`ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`), e.g. `InterfaceVpcEndpointAwsService.SSM_MESSAGES` and
   * `InterfaceVpcEndpointAwsService.KMS` for ECS Exec, `MONITORING`, `STS`.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html
   */
  readonly interfaceEndpointServices?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * The source CIDRs allowed to reach the interface endpoints on TCP 443. Never `0.0.0.0/0`.
   *
   * Give `[]` to allow no address range at all, only the security groups that are granted explicitly: pass
   * `endpointSecurityGroup` to `SecureEcsWorkload` and `SftpBackupBridge` (each then opens 443 from its tasks'
   * security group only), or call `endpointSecurityGroup.connections.allowFrom(...)`. That is the tighter choice:
   * a database or load balancer subnet then has no path to the AWS APIs at all.
   *
   * @default - the VPC CIDR only
   */
  readonly endpointAllowedCidrs?: string[];

  /**
   * Buckets of other accounts that workloads of this VPC may reach through the S3 gateway endpoint, as bucket ARNs
   * (`arn:aws:s3:::<name>`). The endpoint's policy allows only buckets of this account and the ECR image layer bucket
   * of the Region (read only); list any other bucket here. AWS services that deliver to buckets themselves (VPC flow
   * logs, ALB access logs, WAF logs through Firehose) do not use the endpoint and need no entry.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3
   */
  readonly s3EndpointAllowedBucketArns?: string[];

  /**
   * An AWS Organizations organization ID (`o-...`) whose accounts' buckets workloads of this VPC may reach through
   * the S3 gateway endpoint (`aws:ResourceOrgID`), in addition to `s3EndpointAllowedBucketArns`.
   *
   * @default - only this account's buckets, the ECR layer bucket and `s3EndpointAllowedBucketArns`
   */
  readonly s3EndpointAllowedOrganizationId?: string;

  /**
   * Where the VPC flow logs (all traffic) go, e.g. `ec2.FlowLogDestination.toS3(centralBucket, 'vpc-flow-logs/prod')`
   * for the Security account's log archive (the bucket policy there must allow `delivery.logs.amazonaws.com`).
   * @default - a CloudWatch Logs log group encrypted with `encryptionKey`, kept for `flowLogRetention`
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html
   */
  readonly flowLogDestination?: ec2.FlowLogDestination;

  /**
   * Retention of the default flow log group. Ignored when `flowLogDestination` is given.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * The customer managed key for the default flow log group. Its key policy must allow CloudWatch Logs; this is
   * added for a key created in the same app, an imported key's owner must add it.
   * @default - a new key with rotation enabled, retained on stack deletion (only when no `flowLogDestination` is given)
   */
  readonly encryptionKey?: kms.IKey;
}

const RESERVED_GROUPS = ['tgw-attach', 'alb', 'app', 'data', 'endpoint'];
const GROUP_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,31}$/;

/**
 * An isolated spoke VPC for the Prod or Dev account: no internet gateway, no NAT gateway, only isolated subnets at
 * the planned CIDRs (`tgw-attach`, `alb`, `app`, `data`, optionally `endpoint` and caller-defined groups), the
 * interface endpoints a Fargate service needs without internet access plus those the caller declares, the S3 gateway
 * endpoint on every route table (ECR image layers are stored in S3), flow logs, and a default security group with
 * every rule removed.
 *
 * The S3 gateway endpoint does not carry the default full-access policy: it allows only buckets of this account
 * (`aws:ResourceAccount`), the Region's ECR image layer bucket (`prod-<region>-starport-layer-bucket`, read only),
 * and the buckets or organization given in `s3EndpointAllowedBucketArns` / `s3EndpointAllowedOrganizationId`. A
 * workload with stolen or foreign credentials cannot copy data to another account's bucket through it.
 *
 * The transit gateway attachment and the routes towards it are built by the TGW spoke attachment construct, from
 * `transitGatewayAttachmentSubnets` and the route tables of the other groups.
 *
 * Bad input (malformed or overlapping CIDRs, subnets outside the VPC, a wrong number of subnets per AZ, fewer than
 * two AZs, clashing group names, a duplicate endpoint service, an endpoint source of `/0`) fails at synthesis with
 * one error that lists every problem.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html
 */
export class IsolatedSpokeVpc extends Construct {
  /** Subnet group name of the transit gateway attachment subnets. */
  public static readonly TGW_ATTACHMENT_GROUP = 'tgw-attach';
  /** Subnet group name of the load balancer subnets. */
  public static readonly LOAD_BALANCER_GROUP = 'alb';
  /** Subnet group name of the application subnets. */
  public static readonly APPLICATION_GROUP = 'app';
  /** Subnet group name of the database subnets. */
  public static readonly DATA_GROUP = 'data';
  /** Subnet group name of the dedicated endpoint subnets (only when `endpointSubnetCidrs` is given). */
  public static readonly ENDPOINT_GROUP = 'endpoint';

  /** The interface endpoint services every `IsolatedSpokeVpc` gets: ecr.api, ecr.dkr, logs, secretsmanager. */
  public static defaultEndpointServices(): ec2.InterfaceVpcEndpointAwsService[] {
    return [
      ec2.InterfaceVpcEndpointAwsService.ECR,
      ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    ];
  }

  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The VPC CIDR as given. */
  public readonly vpcCidr: string;
  /** The transit gateway attachment subnets (`tgw-attach`), one per AZ. */
  public readonly transitGatewayAttachmentSubnets: ec2.SubnetSelection;
  /** The load balancer subnets (`alb`). */
  public readonly loadBalancerSubnets: ec2.SubnetSelection;
  /** The application subnets (`app`). */
  public readonly applicationSubnets: ec2.SubnetSelection;
  /** The database subnets (`data`). */
  public readonly dataSubnets: ec2.SubnetSelection;
  /** The subnets that hold the interface endpoints (`endpoint`, or `app` when no endpoint subnets are given). */
  public readonly endpointSubnets: ec2.SubnetSelection;
  /** The interface endpoints, in creation order: ecr.api, ecr.dkr, logs, secretsmanager, then `interfaceEndpointServices`. */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];
  /**
   * The S3 gateway endpoint, on every route table of the VPC, with the restrictive policy described above; add
   * statements with `s3GatewayEndpoint.addToPolicy(...)`.
   */
  public readonly s3GatewayEndpoint: ec2.GatewayVpcEndpoint;
  /**
   * The security group of every interface endpoint: TCP 443 in from `endpointAllowedCidrs` and from the security
   * groups granted later (e.g. by `SecureEcsWorkload` given it as `endpointSecurityGroup`), no egress.
   */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The VPC flow log (all traffic). */
  public readonly flowLog: ec2.FlowLog;
  /** The default flow log group, when no `flowLogDestination` was given. */
  public readonly flowLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: IsolatedSpokeVpcProps) {
    super(scope, id);

    const v = new PropsValidator('IsolatedSpokeVpc');
    const groups: ExactSubnetGroup[] = [
      group(IsolatedSpokeVpc.TGW_ATTACHMENT_GROUP, props.transitGatewayAttachmentSubnetCidrs, 'transitGatewayAttachmentSubnetCidrs'),
      group(IsolatedSpokeVpc.LOAD_BALANCER_GROUP, props.loadBalancerSubnetCidrs, 'loadBalancerSubnetCidrs'),
      group(IsolatedSpokeVpc.APPLICATION_GROUP, props.applicationSubnetCidrs, 'applicationSubnetCidrs'),
      group(IsolatedSpokeVpc.DATA_GROUP, props.dataSubnetCidrs, 'dataSubnetCidrs'),
    ];
    if (props.endpointSubnetCidrs) {
      groups.push(group(IsolatedSpokeVpc.ENDPOINT_GROUP, props.endpointSubnetCidrs, 'endpointSubnetCidrs'));
    }
    const seenNames = new Set<string>();
    (props.extraSubnetGroups ?? []).forEach((extra, i) => {
      const prop = `extraSubnetGroups[${i}].name`;
      if (!GROUP_NAME.test(extra.name)) {
        v.report(prop, extra.name, 'is not a subnet group name; use a letter followed by letters, digits and hyphens, at most 32 characters, e.g. transfer.');
      } else if (RESERVED_GROUPS.includes(extra.name)) {
        v.report(prop, extra.name, `is a built-in subnet group of IsolatedSpokeVpc (${RESERVED_GROUPS.join(', ')}); choose another name.`);
      } else if (seenNames.has(extra.name)) {
        v.report(prop, extra.name, 'is used by an earlier entry of `extraSubnetGroups`; give each group its own name.');
      }
      seenNames.add(extra.name);
      groups.push(group(extra.name, extra.cidrs, `extraSubnetGroups[${i}].cidrs`));
    });
    validateExactSubnets(v, 'vpcCidr', props.vpcCidr, 'availabilityZones', props.availabilityZones, groups);

    const endpointSources = props.endpointAllowedCidrs ?? [props.vpcCidr];
    if (props.endpointAllowedCidrs) {
      props.endpointAllowedCidrs.forEach((cidr, i) => {
        const parsed = v.cidr(`endpointAllowedCidrs[${i}]`, cidr);
        if (parsed && parsed.prefixLength === 0) {
          v.report(`endpointAllowedCidrs[${i}]`, cidr, 'allows every address; give the networks that call AWS APIs through these endpoints, e.g. the VPC CIDR.');
        }
      });
    }

    const services = [...IsolatedSpokeVpc.defaultEndpointServices(), ...(props.interfaceEndpointServices ?? [])];
    const defaults = IsolatedSpokeVpc.defaultEndpointServices().map((s) => s.shortName);
    const seenServices = new Set<string>();
    (props.interfaceEndpointServices ?? []).forEach((service, i) => {
      const prop = `interfaceEndpointServices[${i}]`;
      if (defaults.includes(service.shortName)) {
        v.report(prop, service.shortName, 'is created by default; remove it from `interfaceEndpointServices`.');
      } else if (seenServices.has(service.shortName)) {
        v.report(prop, service.shortName, 'is listed twice; a VPC cannot hold two endpoints with private DNS for one service.');
      }
      seenServices.add(service.shortName);
    });
    checkS3EndpointPolicyProps(v, 's3EndpointAllowedBucketArns', props.s3EndpointAllowedBucketArns,
      's3EndpointAllowedOrganizationId', props.s3EndpointAllowedOrganizationId);
    v.throwIfInvalid(this);

    this.vpcCidr = props.vpcCidr;
    const vpc = new ec2.Vpc(this, 'Resource', {
      vpcName: props.vpcName,
      ipAddresses: new ExactSubnetIpAddresses(props.vpcCidr, props.availabilityZones, groups),
      availabilityZones: props.availabilityZones,
      subnetConfiguration: exactSubnetConfiguration(groups),
      natGateways: 0,
      createInternetGateway: false,
      restrictDefaultSecurityGroup: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    this.vpc = vpc;

    this.transitGatewayAttachmentSubnets = { subnetGroupName: IsolatedSpokeVpc.TGW_ATTACHMENT_GROUP };
    this.loadBalancerSubnets = { subnetGroupName: IsolatedSpokeVpc.LOAD_BALANCER_GROUP };
    this.applicationSubnets = { subnetGroupName: IsolatedSpokeVpc.APPLICATION_GROUP };
    this.dataSubnets = { subnetGroupName: IsolatedSpokeVpc.DATA_GROUP };
    this.endpointSubnets = { subnetGroupName: props.endpointSubnetCidrs ? IsolatedSpokeVpc.ENDPOINT_GROUP : IsolatedSpokeVpc.APPLICATION_GROUP };

    // ECR stores image layers in S3; the gateway endpoint is free and goes on every route table.
    this.s3GatewayEndpoint = vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    restrictS3GatewayEndpoint(this.s3GatewayEndpoint, {
      awsOwnedSid: 'EcrImageLayers',
      awsOwnedObjects: AwsOwnedS3Objects.ecrImageLayers(this),
      additionalBucketArns: props.s3EndpointAllowedBucketArns,
      organizationId: props.s3EndpointAllowedOrganizationId,
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'Interface VPC endpoints: HTTPS from the allowed CIDRs and granted security groups only',
      allowAllOutbound: false,
    });
    endpointSources.forEach((cidr) => {
      this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), `HTTPS to AWS APIs from ${cidr}`);
    });

    this.interfaceEndpoints = services.map((service) => vpc.addInterfaceEndpoint(endpointId(service), {
      service,
      privateDnsEnabled: true,
      subnets: this.endpointSubnets,
      securityGroups: [this.endpointSecurityGroup],
      open: false,
    }));

    const flowLogKey = props.flowLogDestination ? undefined : props.encryptionKey ?? createEncryptionKey(this, 'FlowLogKey', {
      description: `Encrypts the flow log group of ${this.node.path}`,
    });
    const flowLog = createVpcFlowLog(this, {
      vpc,
      destination: props.flowLogDestination,
      encryptionKey: flowLogKey,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      vpcName: this.node.path,
    });
    this.flowLog = flowLog.flowLog;
    this.flowLogGroup = flowLog.logGroup;
  }

  /**
   * The subnets of one subnet group, built-in or from `extraSubnetGroups`, e.g. `subnetGroup('transfer')`.
   * Throws when the VPC has no such group.
   */
  public subnetGroup(name: string): ec2.SubnetSelection {
    const selection = { subnetGroupName: name };
    this.vpc.selectSubnets(selection); // throws, naming the available groups, when the group does not exist
    return selection;
  }
}

function group(name: string, cidrs: string[], prop: string): ExactSubnetGroup {
  return { name, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrs, prop };
}

/** `ecr.api` → `EcrApiEndpoint`, stable across releases because it derives from the service's short name. */
function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  return service.shortName.split(/[.-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('') + 'Endpoint';
}
