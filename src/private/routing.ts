import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IDependable } from 'constructs';
import { Ipv4Cidr } from './cidr';
import { PropsValidator } from './validation';

/** The AWS documentation behind correction 3 of ARCHITECTURE.md. */
export const LOCAL_ROUTE_DOC = 'https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html';

/**
 * ARCHITECTURE.md correction 3: a VPC route more specific than the VPC's `local` route cannot point at a transit
 * gateway, so an on-premises address that a VPC must answer (backup server, operator terminals, DNS servers) has to
 * lie outside that VPC's CIDR, or the reply stays inside the VPC. Records one problem per offending address that
 * names the address, the VPC and the two fixes.
 *
 * @param prop the prop that holds the on-premises addresses, e.g. `backupServerAddress`
 * @param addresses the parsed addresses or CIDRs, in prop order; undefined entries (invalid or tokens) are skipped
 * @param vpcName how to name the VPC in the message, e.g. `the Prod VPC`
 * @param vpcCidr the VPC's CIDR; skipped when undefined (invalid or a token)
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
 */
export function checkReturnAddressesOutsideVpc(v: PropsValidator, prop: string,
  addresses: ReadonlyArray<Ipv4Cidr | undefined>, vpcName: string, vpcCidr: Ipv4Cidr | undefined): void {
  if (!vpcCidr) {
    return;
  }
  addresses.forEach((address, i) => {
    if (address && vpcCidr.overlaps(address)) {
      const where = addresses.length > 1 ? `${prop}[${i}]` : prop;
      v.report(where, address.toString(),
        `lies inside ${vpcCidr.toString()}, the CIDR of ${vpcName}. A VPC route more specific than the VPC's local route ` +
        'cannot point at a transit gateway, so replies to this address would stay inside the VPC ' +
        `(${LOCAL_ROUTE_DOC}). Fix it on one side: source-NAT the on-premises host on the data-centre side to an ` +
        `address outside ${vpcCidr.toString()}, or host the endpoint in a VPC whose range does not contain it.`);
    }
  });
}

/** Options for `attachVpcToTransitGateway`. */
export interface VpcAttachmentOptions {
  readonly transitGatewayId: string;
  readonly vpc: ec2.IVpc;
  /** One subnet per AZ, dedicated to the attachment's network interfaces. */
  readonly subnets: ec2.ISubnet[];
  /** Name tag of the attachment. */
  readonly name: string;
  /**
   * Resources the attachment must wait for, e.g. the RAM resource share acceptance.
   * @default - none
   */
  readonly dependsOn?: IDependable[];
}

/**
 * Creates a transit gateway VPC attachment with DNS support on, IPv6 off and appliance mode off.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-transitgatewayvpcattachment.html
 */
export function attachVpcToTransitGateway(scope: Construct, id: string, options: VpcAttachmentOptions): ec2.CfnTransitGatewayVpcAttachment {
  const attachment = new ec2.CfnTransitGatewayVpcAttachment(scope, id, {
    transitGatewayId: options.transitGatewayId,
    vpcId: options.vpc.vpcId,
    subnetIds: options.subnets.map((s) => s.subnetId),
    options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
    tags: [{ key: 'Name', value: options.name }],
  });
  for (const dependency of options.dependsOn ?? []) {
    attachment.node.addDependency(dependency);
  }
  return attachment;
}

/**
 * Adds, to the route table of each subnet, a route per destination CIDR towards the transit gateway. The routes
 * depend on the attachment: a route to a transit gateway fails until the VPC is attached to it.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-routing
 */
export function addTransitGatewayRoutes(scope: Construct, idPrefix: string, subnets: ec2.ISubnet[], destinations: string[],
  transitGatewayId: string, attachment: IDependable): ec2.CfnRoute[] {
  const routes: ec2.CfnRoute[] = [];
  subnets.forEach((subnet, s) => {
    destinations.forEach((destination, d) => {
      // Stable IDs from the destination text, so that reordering destinations does not replace routes.
      const key = Token.isUnresolved(destination) ? `Destination${d}` : destination.replace(/[./]/g, '_');
      const route = new ec2.CfnRoute(scope, `${idPrefix}${s}To${key}`, {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: destination,
        transitGatewayId,
      });
      route.node.addDependency(attachment);
      routes.push(route);
    });
  });
  return routes;
}
