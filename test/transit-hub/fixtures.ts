import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ExactSubnetGroup, ExactSubnetIpAddresses, exactSubnetConfiguration } from '../../src/private/exact-vpc';
import { acknowledgeNag } from '../../src/private/nag';
import { attachVpcToTransitGateway } from '../../src/private/routing';
import {
  GovHybridSpokeAttachment, GovHybridTransitHub, GovHybridTransitHubProps, TransitGatewayAttachment,
} from '../../src/transit-hub';

export const SECURITY = '111111111111';
export const NETWORK = '222222222222';
export const PROD = '333333333333';
export const DEV = '444444444444';
export const REGION = 'ap-northeast-1';
export const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];

/** An app whose stacks in the reference accounts resolve their AZs offline. */
export function referenceAppOf(): App {
  const context: Record<string, string[]> = {};
  for (const account of [SECURITY, NETWORK, PROD, DEV]) {
    context[`availability-zones:account=${account}:region=${REGION}`] = AZS;
  }
  return new App({ context });
}

export function envOf(account: string) {
  return { account, region: REGION };
}

const isolated = ec2.SubnetType.PRIVATE_ISOLATED;

/** A VPC whose subnets sit at the planned CIDRs, one per AZ per group. */
export function plannedVpc(stack: Stack, id: string, cidr: string, groups: Record<string, string[]>): ec2.Vpc {
  const planned: ExactSubnetGroup[] = Object.entries(groups).map(([name, cidrs]) => ({ name, subnetType: isolated, cidrs, prop: name }));
  return new ec2.Vpc(stack, id, {
    ipAddresses: new ExactSubnetIpAddresses(cidr, AZS, planned),
    availabilityZones: AZS,
    subnetConfiguration: exactSubnetConfiguration(planned),
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
  });
}

/** A hub in the Network stack with the flow log going to the Security account's archive bucket. */
export function hubOf(stack: Stack, props: Partial<GovHybridTransitHubProps> = {}): GovHybridTransitHub {
  const archive = s3.Bucket.fromBucketName(stack, 'LogArchive', `log-archive-${SECURITY}`);
  return new GovHybridTransitHub(stack, 'Hub', {
    flowLogDestination: ec2.FlowLogDestination.toS3(archive, 'tgw-flow-logs/'),
    ...props,
  });
}

export interface ReferenceDeployment {
  readonly app: App;
  readonly network: Stack;
  readonly routing: Stack;
  readonly prod: Stack;
  readonly dev: Stack;
  readonly hub: GovHybridTransitHub;
  readonly prodSpoke: GovHybridSpokeAttachment;
  readonly devSpoke: GovHybridSpokeAttachment;
}

/**
 * The reference deployment of ARCHITECTURE.md, as the lead's example app wires it: the hub, both VPNs and the Network
 * VPC attachment in the Network stack; the spoke attachments in Prod and Dev; the spoke lookups and their routes in
 * the Network account's routing stack, deployed last.
 */
export function referenceDeployment(): ReferenceDeployment {
  const app = referenceAppOf();

  // Network account: the hub stack.
  const network = new Stack(app, 'Network', { env: envOf(NETWORK) });
  const hub = hubOf(network, { shareWithAccounts: [PROD, DEV] });
  const users = hub.addSegment('users');
  const dc = hub.addSegment('dc');
  const spokes = hub.addSegment('spokes');
  const networkSegment = hub.addSegment('network');

  const userVpn = hub.addVpn('UserVpn', {
    name: 'user-vpn',
    customerGatewayAddress: '203.0.113.10',
    customerGatewayAsn: 65010,
    onPremisesCidrs: ['172.16.0.0/16'],
  });
  const dcVpn = hub.addVpn('DcVpn', {
    name: 'dc-vpn',
    customerGatewayAddress: '203.0.113.20',
    customerGatewayAsn: 65020,
    onPremisesCidrs: ['10.0.0.0/16'],
  });

  // The Network VPC and its attachment stand in for the ops-access construct, which exposes the attachment ID.
  const networkVpc = plannedVpc(network, 'NetworkVpc', '192.168.0.0/16', {
    'bastion': ['192.168.10.0/24', '192.168.11.0/24'],
    'tgw-attach': ['192.168.50.0/28', '192.168.50.16/28'],
  });
  const opsAttachment = attachVpcToTransitGateway(network, 'NetworkVpcTgwAttachment', {
    transitGatewayId: hub.transitGatewayId,
    vpc: networkVpc,
    subnets: networkVpc.selectSubnets({ subnetGroupName: 'tgw-attach' }).subnets,
    name: 'network-vpc',
  });
  const networkVpcAttachment = TransitGatewayAttachment.fromVpcAttachmentId(network, 'NetworkVpcAttachment', {
    attachmentId: opsAttachment.ref,
    name: 'network-vpc',
    cidrs: ['192.168.0.0/16'],
  });

  // rt-user: the user VPN; Prod and Dev are propagated from the routing stack.
  users.associate(userVpn);
  // rt-dc: the DC VPN; the Network VPC propagated; the Transfer /26 → Prod from the routing stack.
  dc.associate(dcVpn);
  dc.propagateFrom(networkVpcAttachment);
  // rt-spoke: Prod and Dev are associated from the routing stack; return paths to the Network VPC, the user sites and
  // the backup server.
  spokes.propagateFrom(networkVpcAttachment);
  spokes.propagateFrom(userVpn);
  spokes.addStaticRoute('10.0.200.10/32', dcVpn);
  // rt-network: the Network VPC; Prod and Dev propagated from the routing stack; operator terminals and DC DNS → DC VPN.
  networkSegment.associate(networkVpcAttachment);
  networkSegment.addStaticRoute('10.0.210.0/24', dcVpn);
  networkSegment.addStaticRoute('10.0.250.10/32', dcVpn);
  networkSegment.addStaticRoute('10.0.250.11/32', dcVpn);

  // Prod and Dev accounts: spoke attachments and their routes towards the transit gateway.
  const prod = new Stack(app, 'Prod', { env: envOf(PROD) });
  const prodVpc = plannedVpc(prod, 'Vpc', '10.0.0.0/18', {
    'tgw-attach': ['10.0.63.0/28', '10.0.63.16/28'],
    'alb': ['10.0.1.0/24', '10.0.2.0/24'],
    'app': ['10.0.10.0/24', '10.0.11.0/24'],
    'data': ['10.0.30.0/24', '10.0.31.0/24'],
    'transfer': ['10.0.20.0/27', '10.0.20.32/27'],
  });
  const prodSpoke = new GovHybridSpokeAttachment(prod, 'Spoke', {
    vpc: prodVpc,
    attachmentSubnets: { subnetGroupName: 'tgw-attach' },
    name: 'prod',
    transitGatewayOwnerAccount: NETWORK,
    routes: [
      { subnets: { subnetGroupName: 'alb' }, destinations: ['172.16.0.0/16'] },
      { subnets: { subnetGroupName: 'app' }, destinations: ['192.168.0.0/16'] },
      { subnets: { subnetGroupName: 'data' }, destinations: ['192.168.0.0/16'] },
      { subnets: { subnetGroupName: 'transfer' }, destinations: ['10.0.200.10/32'] },
    ],
  });

  const dev = new Stack(app, 'Dev', { env: envOf(DEV) });
  const devVpc = plannedVpc(dev, 'Vpc', '10.0.64.0/18', {
    'tgw-attach': ['10.0.127.0/28', '10.0.127.16/28'],
    'alb': ['10.0.65.0/24', '10.0.66.0/24'],
    'app': ['10.0.74.0/24', '10.0.75.0/24'],
    'data': ['10.0.94.0/24', '10.0.95.0/24'],
  });
  const devSpoke = new GovHybridSpokeAttachment(dev, 'Spoke', {
    vpc: devVpc,
    attachmentSubnets: { subnetGroupName: 'tgw-attach' },
    name: 'dev',
    transitGatewayOwnerAccount: NETWORK,
    routes: [
      { subnets: { subnetGroupName: 'alb' }, destinations: ['172.16.0.0/16'] },
      { subnets: { subnetGroupName: 'app' }, destinations: ['192.168.0.0/16'] },
      { subnets: { subnetGroupName: 'data' }, destinations: ['192.168.0.0/16'] },
    ],
  });

  // Network account, after the spokes: find the spoke attachments and route them.
  const routing = new Stack(app, 'NetworkRouting', { env: envOf(NETWORK) });
  const prodAttachment = hub.lookupSpokeAttachment(routing, 'Prod', { name: 'prod', ownerAccount: PROD, cidrs: ['10.0.0.0/18'] });
  const devAttachment = hub.lookupSpokeAttachment(routing, 'Dev', { name: 'dev', ownerAccount: DEV, cidrs: ['10.0.64.0/18'] });
  spokes.associate(prodAttachment);
  spokes.associate(devAttachment);
  users.propagateFrom(prodAttachment);
  users.propagateFrom(devAttachment);
  networkSegment.propagateFrom(prodAttachment);
  networkSegment.propagateFrom(devAttachment);
  dc.addStaticRoute('10.0.20.0/26', prodAttachment);

  return { app, network, routing, prod, dev, hub, prodSpoke, devSpoke };
}

/** The fixture VPCs stand in for the VPC constructs of other areas, which own their flow logs and default SG. */
export function acknowledgeFixtureVpcs(stack: Stack): void {
  for (const child of stack.node.children) {
    if (child.node.id === 'Vpc' || child.node.id === 'NetworkVpc') {
      acknowledgeNag(child,
        { id: 'AwsSolutions-VPC7', reason: 'Test fixture VPC standing in for the VPC construct of another area, which owns its flow logs.' },
        { id: 'NIST.800.53.R5-VPCFlowLogsEnabled', reason: 'Test fixture VPC standing in for the VPC construct of another area, which owns its flow logs.' },
        { id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', reason: 'Test fixture VPC standing in for the VPC construct of another area, which closes its default security group.' });
    }
  }
}
