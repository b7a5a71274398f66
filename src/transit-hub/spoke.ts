import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IDependable } from 'constructs';
import { cidrIdPart } from './private/ids';
import { AttachmentResolver } from './private/resolver';
import { Ipv4Cidr } from '../private/cidr';
import { acknowledgeNag } from '../private/nag';
import { attachVpcToTransitGateway, checkReturnAddressesOutsideVpc } from '../private/routing';
import { PropsValidator } from '../private/validation';
import { knownVpcCidrs } from '../private/vpc-cidr';

/** Routes from some subnets of a spoke VPC towards the transit gateway. */
export interface SpokeRouteOptions {
  /**
   * The subnets whose route tables get the routes: the subnets that must answer (or reach) the destinations, e.g. the
   * Transfer subnets for the backup server, the ALB subnets for the user sites, the app and data subnets for the
   * Network VPC.
   */
  readonly subnets: ec2.SubnetSelection;
  /**
   * Destinations in CIDR notation (a host is `/32`), e.g. `['10.0.200.10/32']`. Each must lie outside the VPC CIDR:
   * a VPC route more specific than the `local` route cannot point at a transit gateway (ARCHITECTURE.md correction 3).
   */
  readonly destinations: string[];
}

/** Properties of a `GovHybridSpokeAttachment`. */
export interface GovHybridSpokeAttachmentProps {
  /** The spoke VPC. */
  readonly vpc: ec2.IVpc;
  /**
   * The dedicated attachment subnets, one per availability zone (e.g. two /28s). The transit gateway places one
   * network interface in each.
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-best-design-practices.html
   */
  readonly attachmentSubnets: ec2.SubnetSelection;
  /** A short name for the attachment's `Name` tag and messages, e.g. `prod`. */
  readonly name: string;
  /**
   * The transit gateway ID, when known (e.g. same account). Give this or `transitGatewayOwnerAccount`.
   * @default - looked up from `transitGatewayOwnerAccount`
   */
  readonly transitGatewayId?: string;
  /**
   * The Network account that owns the transit gateway and shares it through AWS RAM. The transit gateway ID is looked
   * up at deployment (`DescribeTransitGateways` filtered by `owner-id`, which lists the transit gateways shared with
   * this account); the deployment fails with "deploy the Network hub stack first" when none is shared yet.
   * @default - `transitGatewayId` is used
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGateways.html
   */
  readonly transitGatewayOwnerAccount?: string;
  /**
   * Routes towards the transit gateway. More can be added with `addRoutes`.
   * @default - no routes
   */
  readonly routes?: SpokeRouteOptions[];
  /**
   * The VPC's IPv4 CIDR, used to check the routes.
   * @default - read from the VPC (an `ec2.Vpc` of this app, or `vpc.vpcCidrBlock` when it is not a token)
   */
  readonly vpcCidr?: string;
  /**
   * The KMS key for the log group of the transit gateway lookup function.
   * @default - CloudWatch Logs service encryption
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Resources the attachment must wait for, e.g. the acceptance of an AWS RAM invitation outside AWS Organizations.
   * @default - none
   */
  readonly dependsOn?: IDependable[];
}

/**
 * The spoke side of the hub, used in the Prod and Dev accounts: a VPC attachment to the Network account's shared
 * transit gateway on dedicated attachment subnets, and the spoke VPC's routes towards the transit gateway (the Network
 * VPC, the user sites, and the data-centre addresses the spoke must answer).
 *
 * The spoke account creates its own attachment (ARCHITECTURE.md correction 6: cross-account CloudFormation references
 * do not exist); the Network account finds it with `hub.lookupSpokeAttachment`, accepts it when auto-accept is off,
 * and associates, propagates and routes it. Deploy order: Network hub stack → this stack → Network routing stack.
 *
 * The routes depend on the attachment, and a VPC route to a transit gateway needs an accepted attachment. With the
 * hub's `autoAcceptSharedAttachments` on (as in the reference deployment) the attachment is accepted at once and
 * carries no traffic until the Network routing stack associates it (default association and propagation are off).
 * With it off, the attachment stays `pendingAcceptance` until `hub.lookupSpokeAttachment` accepts it: deploy the
 * spoke stack and the Network routing stack at the same time (no stack dependency between them), so the routing
 * stack's lookup waits for the attachment, accepts it, and the spoke stack's routes then complete.
 *
 * ARCHITECTURE.md correction 3: every destination must lie outside the VPC CIDR (a route more specific than the VPC's
 * `local` route cannot point at a transit gateway); synthesis fails with an error naming the address, the VPC and the
 * two fixes otherwise.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
 */
export class GovHybridSpokeAttachment extends Construct {
  /** The VPC attachment. */
  public readonly attachment: ec2.CfnTransitGatewayVpcAttachment;
  /** The attachment ID, `tgw-attach-…`. */
  public readonly attachmentId: string;
  /** The transit gateway ID (given, or resolved at deployment). */
  public readonly transitGatewayId: string;
  /** The VPC routes created so far. */
  public get routes(): ec2.CfnRoute[] {
    return [...this.routeList];
  }

  private readonly vpc: ec2.IVpc;
  private readonly vpcCidrs: Ipv4Cidr[];
  private readonly spokeName: string;
  private readonly routeList: ec2.CfnRoute[] = [];
  private readonly routed = new Map<string, string>();
  private routeGroups = 0;

  constructor(scope: Construct, id: string, props: GovHybridSpokeAttachmentProps) {
    super(scope, id);
    const v = new PropsValidator('GovHybridSpokeAttachment');
    if (props.transitGatewayId === undefined && props.transitGatewayOwnerAccount === undefined) {
      v.reportText('`transitGatewayId` and `transitGatewayOwnerAccount` are both missing; give the transit gateway ID, or the Network account that shares it to look it up at deployment.');
    }
    if (props.transitGatewayId !== undefined && props.transitGatewayOwnerAccount !== undefined) {
      v.reportText('`transitGatewayId` and `transitGatewayOwnerAccount` are both set; give only one of them.');
    }
    if (props.transitGatewayId !== undefined && !v.isToken(props.transitGatewayId)) {
      v.check(/^tgw-[0-9a-f]{8,17}$/.test(props.transitGatewayId), 'transitGatewayId', props.transitGatewayId,
        'is not a transit gateway ID; write it as tgw- followed by 8 or 17 hexadecimal digits.');
    }
    if (props.transitGatewayOwnerAccount !== undefined) {
      v.accountId('transitGatewayOwnerAccount', props.transitGatewayOwnerAccount);
    }
    const vpcCidrs = resolveVpcCidrs(v, props);
    const subnets = props.vpc.selectSubnets(props.attachmentSubnets).subnets;
    if (subnets.length === 0) {
      v.report('attachmentSubnets', '(selection)', 'selects no subnet; select the dedicated attachment subnets, one per availability zone.');
    }
    const byAz = new Map<string, number>();
    subnets.forEach((s) => {
      if (!Token.isUnresolved(s.availabilityZone)) {
        byAz.set(s.availabilityZone, (byAz.get(s.availabilityZone) ?? 0) + 1);
      }
    });
    for (const [az, count] of byAz) {
      if (count > 1) {
        v.report('attachmentSubnets', az, `has ${count} subnets in this availability zone; a transit gateway attachment takes one subnet per availability zone.`);
      }
    }
    this.vpc = props.vpc;
    this.vpcCidrs = vpcCidrs;
    this.spokeName = props.name;
    const planned = (props.routes ?? []).map((r) => this.planRoutes(v, r, `routes[${this.routeGroups++}]`));
    v.throwIfInvalid(this);

    if (props.transitGatewayId !== undefined) {
      this.transitGatewayId = props.transitGatewayId;
    } else {
      const resolver = AttachmentResolver.of(this, props.logEncryptionKey);
      resolver.grant(new iam.PolicyStatement({ actions: ['ec2:DescribeTransitGateways'], resources: ['*'] }));
      acknowledgeNag(resolver.policy, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ec2:DescribeTransitGateways is an EC2 Describe action, which supports no resource-level permissions, so its Resource must be *; it is the only EC2 action granted to the spoke resolver.',
      });
      const lookup = resolver.resolve(this, 'TransitGatewayLookup', 'Custom::SharedTransitGatewayLookup', {
        Operation: 'TransitGateway',
        Name: props.name,
        OwnerAccount: props.transitGatewayOwnerAccount!,
      });
      this.transitGatewayId = lookup.getAttString('Id');
    }

    this.attachment = attachVpcToTransitGateway(this, 'Resource', {
      transitGatewayId: this.transitGatewayId,
      vpc: props.vpc,
      subnets,
      name: props.name,
      dependsOn: props.dependsOn,
    });
    this.attachmentId = this.attachment.ref;

    planned.forEach((p) => this.createRoutes(p));
  }

  /**
   * Adds routes from the selected subnets' route tables to each destination through the transit gateway.
   * Throws one error listing every problem: malformed destinations, destinations inside the VPC CIDR (correction 3),
   * destinations already routed from the same route table, a selection without subnets.
   */
  public addRoutes(options: SpokeRouteOptions): ec2.CfnRoute[] {
    const v = new PropsValidator('GovHybridSpokeAttachment');
    const planned = this.planRoutes(v, options, `routes[${this.routeGroups++}]`);
    v.throwIfInvalid(this);
    return this.createRoutes(planned);
  }

  private planRoutes(v: PropsValidator, options: SpokeRouteOptions, prop: string): PlannedRoute[] {
    v.nonEmpty(`${prop}.destinations`, options.destinations, 'give the CIDRs these subnets must reach through the transit gateway.');
    options.destinations.forEach((destination, i) => {
      const where = `${prop}.destinations[${i}]`;
      const cidr = v.cidr(where, destination);
      // A destination that contains the whole VPC (a summary such as 10.0.0.0/16) is allowed: it is less specific
      // than the local route. Anything inside the VPC range is not (correction 3).
      for (const vpcCidr of this.vpcCidrs) {
        if (cidr && !cidr.contains(vpcCidr)) {
          checkReturnAddressesOutsideVpc(v, where, [cidr], `the VPC of spoke ${this.spokeName}`, vpcCidr);
        }
      }
    });
    const selected = this.vpc.selectSubnets(options.subnets).subnets;
    selected.filter((s) => s.routeTable?.routeTableId === undefined).forEach((s) => {
      v.report(`${prop}.subnets`, s.subnetId, 'has no known route table; import the subnet with its routeTableId so routes can be added to it.');
    });
    // Subnets that share a route table get one route, not one per subnet.
    const subnets = uniqueRouteTables(selected.filter((s) => s.routeTable?.routeTableId !== undefined));
    if (selected.length === 0) {
      v.report(`${prop}.subnets`, '(selection)', 'selects no subnet; select the subnets that must reach these destinations.');
    }
    const planned: PlannedRoute[] = [];
    for (const subnet of subnets) {
      options.destinations.forEach((destination, i) => {
        const where = `${prop}.destinations[${i}]`;
        const key = `${subnet.routeTable.routeTableId}|${destination}`;
        const previous = this.routed.get(key);
        if (previous) {
          v.report(where, destination, `is already routed from the route table of subnet ${subnet.node.path} by ${previous}; a route table has one route per destination.`);
        } else {
          this.routed.set(key, where);
        }
        planned.push({ subnet, destination, index: i });
      });
    }
    return planned;
  }

  private createRoutes(planned: PlannedRoute[]): ec2.CfnRoute[] {
    const created = planned.map(({ subnet, destination, index }) => {
      const route = new ec2.CfnRoute(this, `Route${subnet.node.id.replace(/[^A-Za-z0-9]/g, '')}To${cidrIdPart(destination, index)}`, {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: destination,
        transitGatewayId: this.transitGatewayId,
      });
      // A route to a transit gateway fails until the VPC is attached to it.
      route.node.addDependency(this.attachment);
      return route;
    });
    this.routeList.push(...created);
    return created;
  }
}

interface PlannedRoute {
  readonly subnet: ec2.ISubnet;
  readonly destination: string;
  readonly index: number;
}

function uniqueRouteTables(subnets: ec2.ISubnet[]): ec2.ISubnet[] {
  const seen = new Set<string>();
  return subnets.filter((s) => {
    const id = s.routeTable.routeTableId;
    if (seen.has(id)) {
      return false;
    }
    seen.add(id);
    return true;
  });
}

/** The VPC's ranges known at synth: `vpcCidr` when given (validated), else what the VPC tells (shared helper). */
function resolveVpcCidrs(v: PropsValidator, props: GovHybridSpokeAttachmentProps): Ipv4Cidr[] {
  if (props.vpcCidr !== undefined) {
    const given = v.cidr('vpcCidr', props.vpcCidr);
    return given ? [given] : [];
  }
  const known = knownVpcCidrs(props.vpc);
  if (known.primaryText !== undefined && !known.primary) {
    v.cidr('vpc.vpcCidrBlock', known.primaryText);
  }
  return known.all;
}
