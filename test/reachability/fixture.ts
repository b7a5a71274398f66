import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as transfer from 'aws-cdk-lib/aws-transfer';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ExactSubnetGroup, ExactSubnetIpAddresses, exactSubnetConfiguration } from '../../src/private/exact-vpc';
import { addTransitGatewayRoutes, attachVpcToTransitGateway } from '../../src/private/routing';
import {
  FlowProtocol, NetworkEndpoint, OnPremisesSite, ReachabilityIntent, ReachabilityModel, ReachabilityModelOptions,
} from '../../src/reachability';

/**
 * A four-account app that mirrors ARCHITECTURE.md with aws-cdk-lib L1/L2 resources: Security (log archive), Network
 * (transit gateway with rt-user, rt-dc, rt-spoke and rt-network, the user and DC VPNs, the Network VPC with the bastion,
 * interface endpoints and Resolver endpoints), Prod and Dev (spoke VPCs with ALB, ECS service, RDS, and in Prod the
 * Transfer Family server), and the Network routing stack deployed after the spokes. Cross-account IDs are looked up
 * with AwsCustomResource, as the real constructs do.
 */

export const ACCOUNTS = { security: '111111111111', network: '222222222222', prod: '333333333333', dev: '444444444444' };
export const REGION = 'ap-northeast-1';
const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];
const isolated = ec2.SubnetType.PRIVATE_ISOLATED;

export const USER_CGW = '203.0.113.10';
export const DC_CGW = '203.0.113.20';

export const SITES: OnPremisesSite[] = [
  { name: 'users', cidrs: ['172.16.0.0/16'], customerGatewayAddress: USER_CGW },
  { name: 'dc-backup-server', cidrs: ['10.0.200.10/32'], vpnConnection: 'Network/DcVpn' },
  { name: 'dc-operators', cidrs: ['10.0.210.0/24'], vpnConnection: 'Network/DcVpn' },
  { name: 'dc-dns', cidrs: ['10.0.250.10', '10.0.250.11'], vpnConnection: 'Network/DcVpn' },
];

export const MODEL_OPTIONS: ReachabilityModelOptions = { onPremisesSites: SITES };

export interface FixtureOptions {
  /** A segmented hub: both spokes propagate into rt-spoke, and static blackholes keep them apart. */
  readonly segmented?: boolean;
  /** Changes the app before synthesis (mutation tests). */
  readonly mutate?: (fixture: Fixture) => void;
}

export interface SpokeHandles {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly attachment: ec2.CfnTransitGatewayVpcAttachment;
  readonly albSg: ec2.SecurityGroup;
  readonly appSg: ec2.SecurityGroup;
  readonly dbSg: ec2.SecurityGroup;
  readonly transferSg?: ec2.SecurityGroup;
  readonly tgwId: string;
}

export interface Fixture {
  readonly app: App;
  readonly network: NetworkHandles;
  readonly prod: SpokeHandles;
  readonly dev: SpokeHandles;
  readonly routing: RoutingHandles;
}

export interface NetworkHandles {
  readonly stack: Stack;
  readonly tgw: ec2.CfnTransitGateway;
  readonly rtUser: ec2.CfnTransitGatewayRouteTable;
  readonly rtDc: ec2.CfnTransitGatewayRouteTable;
  readonly rtSpoke: ec2.CfnTransitGatewayRouteTable;
  readonly rtNetwork: ec2.CfnTransitGatewayRouteTable;
  readonly userVpnAttachmentId: string;
  readonly dcVpnAttachmentId: string;
  readonly attachment: ec2.CfnTransitGatewayVpcAttachment;
  readonly vpc: ec2.Vpc;
  readonly bastionSg: ec2.SecurityGroup;
  readonly endpointSg: ec2.SecurityGroup;
  readonly backupReturnRoute: ec2.CfnTransitGatewayRoute;
}

export interface RoutingHandles {
  readonly stack: Stack;
  readonly prodAttachmentId: string;
  readonly devAttachmentId: string;
  readonly blackholes: ec2.CfnTransitGatewayRoute[];
}

function group(name: string, cidrs: string[]): ExactSubnetGroup {
  return { name, subnetType: isolated, cidrs, prop: name };
}

function exactVpc(scope: Construct, id: string, cidr: string, groups: ExactSubnetGroup[]): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    ipAddresses: new ExactSubnetIpAddresses(cidr, AZS, groups),
    availabilityZones: AZS,
    subnetConfiguration: exactSubnetConfiguration(groups),
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
  });
}

function subnets(vpc: ec2.Vpc, name: string): ec2.ISubnet[] {
  return vpc.selectSubnets({ subnetGroupName: name }).subnets;
}

function lookup(scope: Construct, id: string, action: string, parameters: Record<string, unknown>, path: string): string {
  const call: cr.AwsSdkCall = { service: 'EC2', action, parameters, physicalResourceId: cr.PhysicalResourceId.of(id), outputPaths: [path] };
  return new cr.AwsCustomResource(scope, id, {
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: [`ec2:${action.charAt(0).toUpperCase()}${action.slice(1)}`], resources: ['*'] })]),
    installLatestAwsSdk: false,
  }).getResponseField(path);
}

function vpnAttachmentLookup(scope: Construct, id: string, vpn: ec2.CfnVPNConnection, tgw: ec2.CfnTransitGateway): string {
  return lookup(scope, id, 'describeTransitGatewayAttachments', {
    Filters: [{ Name: 'resource-id', Values: [vpn.ref] }, { Name: 'transit-gateway-id', Values: [tgw.ref] }],
  }, 'TransitGatewayAttachments.0.TransitGatewayAttachmentId');
}

function spokeAttachmentLookup(scope: Construct, id: string, tgwId: string, account: string): string {
  return lookup(scope, id, 'describeTransitGatewayAttachments', {
    Filters: [
      { Name: 'transit-gateway-id', Values: [tgwId] },
      { Name: 'resource-owner-id', Values: [account] },
      { Name: 'resource-type', Values: ['vpc'] },
    ],
  }, 'TransitGatewayAttachments.0.TransitGatewayAttachmentId');
}

function buildNetwork(app: App): NetworkHandles {
  const stack = new Stack(app, 'Network', { env: { account: ACCOUNTS.network, region: REGION } });
  const tgw = new ec2.CfnTransitGateway(stack, 'Tgw', {
    amazonSideAsn: 64512,
    defaultRouteTableAssociation: 'disable',
    defaultRouteTablePropagation: 'disable',
    autoAcceptSharedAttachments: 'enable',
    dnsSupport: 'enable',
    vpnEcmpSupport: 'enable',
  });
  const table = (id: string) => new ec2.CfnTransitGatewayRouteTable(stack, id, { transitGatewayId: tgw.ref });
  const rtUser = table('RtUser');
  const rtDc = table('RtDc');
  const rtSpoke = table('RtSpoke');
  const rtNetwork = table('RtNetwork');

  const userCgw = new ec2.CfnCustomerGateway(stack, 'UserCgw', { bgpAsn: 65010, ipAddress: USER_CGW, type: 'ipsec.1' });
  const userVpn = new ec2.CfnVPNConnection(stack, 'UserVpn', { customerGatewayId: userCgw.ref, transitGatewayId: tgw.ref, type: 'ipsec.1', staticRoutesOnly: false });
  const dcCgw = new ec2.CfnCustomerGateway(stack, 'DcCgw', { bgpAsn: 65020, ipAddress: DC_CGW, type: 'ipsec.1' });
  const dcVpn = new ec2.CfnVPNConnection(stack, 'DcVpn', { customerGatewayId: dcCgw.ref, transitGatewayId: tgw.ref, type: 'ipsec.1', staticRoutesOnly: true });
  const userVpnAttachmentId = vpnAttachmentLookup(stack, 'UserVpnAttachment', userVpn, tgw);
  const dcVpnAttachmentId = vpnAttachmentLookup(stack, 'DcVpnAttachment', dcVpn, tgw);

  const vpc = exactVpc(stack, 'Vpc', '192.168.0.0/16', [
    group('bastion', ['192.168.10.0/24', '192.168.11.0/24']),
    group('endpoint', ['192.168.20.0/28', '192.168.21.0/28']),
    group('tgw-attach', ['192.168.50.0/28', '192.168.50.16/28']),
    group('resolver-in', ['192.168.60.0/28', '192.168.60.16/28']),
    group('resolver-out', ['192.168.61.0/28', '192.168.61.16/28']),
  ]);
  const attachment = attachVpcToTransitGateway(stack, 'Attachment', { transitGatewayId: tgw.ref, vpc, subnets: subnets(vpc, 'tgw-attach'), name: 'network' });
  addTransitGatewayRoutes(stack, 'Bastion', subnets(vpc, 'bastion'), ['10.0.0.0/16'], tgw.ref, attachment);
  addTransitGatewayRoutes(stack, 'Endpoint', subnets(vpc, 'endpoint'), ['10.0.210.0/24'], tgw.ref, attachment);
  addTransitGatewayRoutes(stack, 'ResolverIn', subnets(vpc, 'resolver-in'), ['10.0.250.10/32', '10.0.250.11/32'], tgw.ref, attachment);
  addTransitGatewayRoutes(stack, 'ResolverOut', subnets(vpc, 'resolver-out'), ['10.0.250.10/32', '10.0.250.11/32'], tgw.ref, attachment);

  const associate = (id: string, rt: ec2.CfnTransitGatewayRouteTable, attachmentId: string) =>
    new ec2.CfnTransitGatewayRouteTableAssociation(stack, id, { transitGatewayRouteTableId: rt.ref, transitGatewayAttachmentId: attachmentId });
  const propagate = (id: string, rt: ec2.CfnTransitGatewayRouteTable, attachmentId: string) =>
    new ec2.CfnTransitGatewayRouteTablePropagation(stack, id, { transitGatewayRouteTableId: rt.ref, transitGatewayAttachmentId: attachmentId });
  const route = (id: string, rt: ec2.CfnTransitGatewayRouteTable, cidr: string, attachmentId: string) =>
    new ec2.CfnTransitGatewayRoute(stack, id, {
      transitGatewayRouteTableId: rt.ref, destinationCidrBlock: cidr, transitGatewayAttachmentId: attachmentId,
    });
  associate('UserVpnAssociation', rtUser, userVpnAttachmentId);
  associate('DcVpnAssociation', rtDc, dcVpnAttachmentId);
  associate('NetworkAssociation', rtNetwork, attachment.ref);
  propagate('DcSeesNetwork', rtDc, attachment.ref);
  propagate('SpokeSeesNetwork', rtSpoke, attachment.ref);
  propagate('SpokeSeesUsers', rtSpoke, userVpnAttachmentId);
  route('OperatorsReturn', rtNetwork, '10.0.210.0/24', dcVpnAttachmentId);
  route('DnsReturn1', rtNetwork, '10.0.250.10/32', dcVpnAttachmentId);
  route('DnsReturn2', rtNetwork, '10.0.250.11/32', dcVpnAttachmentId);
  const backupReturnRoute = route('BackupServerReturn', rtSpoke, '10.0.200.10/32', dcVpnAttachmentId);

  const endpointSg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc, allowAllOutbound: false, description: 'interface endpoints' });
  const bastionSg = new ec2.SecurityGroup(stack, 'BastionSg', { vpc, allowAllOutbound: false, description: 'bastion: no inbound rule' });
  for (const spoke of ['10.0.0.0/18', '10.0.64.0/18']) {
    for (const port of [3306, 5432, 8080]) {
      bastionSg.addEgressRule(ec2.Peer.ipv4(spoke), ec2.Port.tcp(port), `port forwarding to ${spoke}:${port}`);
    }
  }
  bastionSg.connections.allowTo(endpointSg, ec2.Port.tcp(443), 'Session Manager through the endpoints');
  endpointSg.addIngressRule(ec2.Peer.ipv4('10.0.210.0/24'), ec2.Port.tcp(443), 'operator terminals');
  new ec2.CfnInstance(stack, 'Bastion', {
    imageId: 'ami-0123456789abcdef0',
    instanceType: 't3.small',
    subnetId: subnets(vpc, 'bastion')[0].subnetId,
    securityGroupIds: [bastionSg.securityGroupId],
    metadataOptions: { httpTokens: 'required' },
  });
  for (const [id, service] of [['Ssm', ec2.InterfaceVpcEndpointAwsService.SSM], ['SsmMessages', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES]] as const) {
    new ec2.InterfaceVpcEndpoint(stack, id, { vpc, service, subnets: { subnetGroupName: 'endpoint' }, securityGroups: [endpointSg], open: false, privateDnsEnabled: true });
  }

  const dnsServers = ['10.0.250.10/32', '10.0.250.11/32'];
  const inboundSg = new ec2.SecurityGroup(stack, 'ResolverInboundSg', { vpc, allowAllOutbound: false, description: 'resolver inbound' });
  const outboundSg = new ec2.SecurityGroup(stack, 'ResolverOutboundSg', { vpc, allowAllOutbound: false, description: 'resolver outbound' });
  for (const dns of dnsServers) {
    inboundSg.addIngressRule(ec2.Peer.ipv4(dns), ec2.Port.tcp(53));
    inboundSg.addIngressRule(ec2.Peer.ipv4(dns), ec2.Port.udp(53));
    outboundSg.addEgressRule(ec2.Peer.ipv4(dns), ec2.Port.tcp(53));
    outboundSg.addEgressRule(ec2.Peer.ipv4(dns), ec2.Port.udp(53));
  }
  const [inA, inC] = subnets(vpc, 'resolver-in');
  new route53resolver.CfnResolverEndpoint(stack, 'ResolverInbound', {
    direction: 'INBOUND',
    securityGroupIds: [inboundSg.securityGroupId],
    ipAddresses: [{ subnetId: inA.subnetId, ip: '192.168.60.10' }, { subnetId: inC.subnetId, ip: '192.168.60.20' }],
  });
  new route53resolver.CfnResolverEndpoint(stack, 'ResolverOutbound', {
    direction: 'OUTBOUND',
    securityGroupIds: [outboundSg.securityGroupId],
    ipAddresses: subnets(vpc, 'resolver-out').map((s) => ({ subnetId: s.subnetId })),
  });
  return {
    stack, tgw, rtUser, rtDc, rtSpoke, rtNetwork, userVpnAttachmentId, dcVpnAttachmentId, attachment, vpc, bastionSg, endpointSg, backupReturnRoute,
  };
}

function buildSpoke(app: App, name: 'Prod' | 'Dev', account: string, base: number, withTransfer: boolean): SpokeHandles {
  const stack = new Stack(app, name, { env: { account, region: REGION } });
  const tgwId = lookup(stack, 'TransitGatewayLookup', 'describeTransitGateways', {
    Filters: [{ Name: 'owner-id', Values: [ACCOUNTS.network] }],
  }, 'TransitGateways.0.TransitGatewayId');
  const net = (third: number, rest: string) => `10.0.${base + third}.${rest}`;
  const groups = [
    group('alb', [net(0, '0/24'), net(1, '0/24')]),
    group('app', [net(10, '0/24'), net(11, '0/24')]),
    group('data', [net(30, '0/24'), net(31, '0/24')]),
    group('tgw-attach', [net(40, '0/28'), net(40, '16/28')]),
    ...(withTransfer ? [group('transfer', [net(20, '0/27'), net(20, '32/27')])] : []),
  ];
  const vpc = exactVpc(stack, 'Vpc', `10.0.${base}.0/18`, groups);
  const attachment = attachVpcToTransitGateway(stack, 'Attachment', { transitGatewayId: tgwId, vpc, subnets: subnets(vpc, 'tgw-attach'), name: name.toLowerCase() });
  for (const g of ['alb', 'app', 'data', ...(withTransfer ? ['transfer'] : [])]) {
    addTransitGatewayRoutes(stack, `${g}ToTgw`, subnets(vpc, g), ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], tgwId, attachment);
  }

  const albSg = new ec2.SecurityGroup(stack, 'AlbSg', { vpc, allowAllOutbound: false, description: 'ALB: HTTPS from user sites' });
  const appSg = new ec2.SecurityGroup(stack, 'AppSg', { vpc, allowAllOutbound: false, description: 'ECS tasks' });
  const dbSg = new ec2.SecurityGroup(stack, 'DbSg', { vpc, allowAllOutbound: false, description: 'RDS' });
  albSg.addIngressRule(ec2.Peer.ipv4('172.16.0.0/16'), ec2.Port.tcp(443), 'user sites');
  albSg.connections.allowTo(appSg, ec2.Port.tcp(8080), 'ALB to tasks');
  appSg.connections.allowTo(dbSg, ec2.Port.tcp(5432), 'tasks to the database');
  for (const bastion of ['192.168.10.0/24', '192.168.11.0/24']) {
    appSg.addIngressRule(ec2.Peer.ipv4(bastion), ec2.Port.tcp(8080), 'bastion port forwarding');
    dbSg.addIngressRule(ec2.Peer.ipv4(bastion), ec2.Port.tcp(5432), 'bastion port forwarding');
  }
  new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false, vpcSubnets: { subnetGroupName: 'alb' }, securityGroup: albSg });
  new ecs.CfnService(stack, 'App', {
    cluster: `${name.toLowerCase()}-cluster`,
    taskDefinition: `${name.toLowerCase()}-app:1`,
    launchType: 'FARGATE',
    desiredCount: 2,
    networkConfiguration: { awsvpcConfiguration: { subnets: subnets(vpc, 'app').map((s) => s.subnetId), securityGroups: [appSg.securityGroupId], assignPublicIp: 'DISABLED' } },
  });
  const subnetGroup = new rds.CfnDBSubnetGroup(stack, 'DbSubnets', { dbSubnetGroupDescription: 'data', subnetIds: subnets(vpc, 'data').map((s) => s.subnetId) });
  new rds.CfnDBInstance(stack, 'Db', {
    engine: 'postgres',
    dbInstanceClass: 'db.t4g.micro',
    allocatedStorage: '20',
    dbSubnetGroupName: subnetGroup.ref,
    vpcSecurityGroups: [dbSg.securityGroupId],
    storageEncrypted: true,
    masterUsername: 'app',
    manageMasterUserPassword: true,
  });
  let transferSg: ec2.SecurityGroup | undefined;
  if (withTransfer) {
    transferSg = new ec2.SecurityGroup(stack, 'TransferSg', { vpc, allowAllOutbound: false, description: 'SFTP from the backup server' });
    transferSg.addIngressRule(ec2.Peer.ipv4('10.0.200.10/32'), ec2.Port.tcp(22), 'DC backup server');
    new transfer.CfnServer(stack, 'Transfer', {
      endpointType: 'VPC',
      protocols: ['SFTP'],
      identityProviderType: 'SERVICE_MANAGED',
      endpointDetails: { vpcId: vpc.vpcId, subnetIds: subnets(vpc, 'transfer').map((s) => s.subnetId), securityGroupIds: [transferSg.securityGroupId] },
    });
  }
  return { stack, vpc, attachment, albSg, appSg, dbSg, transferSg, tgwId };
}

function buildRouting(app: App, network: NetworkHandles, segmented: boolean): RoutingHandles {
  const stack = new Stack(app, 'NetworkRouting', { env: { account: ACCOUNTS.network, region: REGION } });
  const prodAttachmentId = spokeAttachmentLookup(stack, 'ProdAttachment', network.tgw.ref, ACCOUNTS.prod);
  const devAttachmentId = spokeAttachmentLookup(stack, 'DevAttachment', network.tgw.ref, ACCOUNTS.dev);
  for (const [label, id] of [['Prod', prodAttachmentId], ['Dev', devAttachmentId]] as const) {
    new ec2.CfnTransitGatewayRouteTableAssociation(stack, `${label}Association`, { transitGatewayRouteTableId: network.rtSpoke.ref, transitGatewayAttachmentId: id });
    new ec2.CfnTransitGatewayRouteTablePropagation(stack, `UsersSee${label}`, { transitGatewayRouteTableId: network.rtUser.ref, transitGatewayAttachmentId: id });
    new ec2.CfnTransitGatewayRouteTablePropagation(stack, `NetworkSees${label}`, { transitGatewayRouteTableId: network.rtNetwork.ref, transitGatewayAttachmentId: id });
  }
  new ec2.CfnTransitGatewayRoute(stack, 'DcToTransfer', { transitGatewayRouteTableId: network.rtDc.ref, destinationCidrBlock: '10.0.20.0/26', transitGatewayAttachmentId: prodAttachmentId });
  const blackholes: ec2.CfnTransitGatewayRoute[] = [];
  if (segmented) {
    for (const [label, id, cidr] of [['Prod', prodAttachmentId, '10.0.0.0/18'], ['Dev', devAttachmentId, '10.0.64.0/18']] as const) {
      new ec2.CfnTransitGatewayRouteTablePropagation(stack, `SpokeSees${label}`, { transitGatewayRouteTableId: network.rtSpoke.ref, transitGatewayAttachmentId: id });
      blackholes.push(new ec2.CfnTransitGatewayRoute(stack, `Blackhole${label}`, { transitGatewayRouteTableId: network.rtSpoke.ref, destinationCidrBlock: cidr, blackhole: true }));
    }
  }
  return { stack, prodAttachmentId, devAttachmentId, blackholes };
}

/** Builds the fixture app (not yet synthesized). */
export function buildFixture(options: FixtureOptions = {}): Fixture {
  // The built-in CloudFormation schema check takes ~10 s for this app on a 2-core machine; cfn-lint checks the fixture instead.
  const app = new App({ builtinCloudFormationValidation: false });
  const security = new Stack(app, 'Security', { env: { account: ACCOUNTS.security, region: REGION } });
  new s3.Bucket(security, 'LogArchive', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const network = buildNetwork(app);
  const prod = buildSpoke(app, 'Prod', ACCOUNTS.prod, 0, true);
  const dev = buildSpoke(app, 'Dev', ACCOUNTS.dev, 64, false);
  const routing = buildRouting(app, network, options.segmented ?? false);
  const fixture = { app, network, prod, dev, routing };
  options.mutate?.(fixture);
  return fixture;
}

/** Synthesizes the fixture and builds the model. */
export function fixtureModel(options: FixtureOptions = {}, modelOptions: ReachabilityModelOptions = MODEL_OPTIONS): ReachabilityModel {
  return ReachabilityModel.fromStage(buildFixture(options).app, modelOptions);
}

/** The intent of ARCHITECTURE.md for the fixture. */
export function fixtureIntent(): ReachabilityIntent {
  const intent = new ReachabilityIntent();
  const add = (name: string, endpoint: NetworkEndpoint, matrix = true) => intent.addEndpoint(name, endpoint, { includeInMatrix: matrix });
  add('users', NetworkEndpoint.onPremises('users'));
  add('dc-backup-server', NetworkEndpoint.onPremises('dc-backup-server'));
  add('dc-operators', NetworkEndpoint.onPremises('dc-operators'));
  add('dc-dns', NetworkEndpoint.onPremises('dc-dns'));
  add('bastion', NetworkEndpoint.resource('Network/Bastion'));
  add('ssm', NetworkEndpoint.resource('Network/Ssm'));
  add('ssmmessages', NetworkEndpoint.resource('Network/SsmMessages'));
  add('resolver-in', NetworkEndpoint.resource('Network/ResolverInbound'));
  add('resolver-out', NetworkEndpoint.resource('Network/ResolverOutbound'));
  for (const env of ['prod', 'dev']) {
    const Env = env === 'prod' ? 'Prod' : 'Dev';
    add(`${env}-alb`, NetworkEndpoint.resource(`${Env}/Alb`));
    add(`${env}-app`, NetworkEndpoint.resource(`${Env}/App`));
    add(`${env}-db`, NetworkEndpoint.resource(`${Env}/Db`));
    add(`${env}-vpc`, NetworkEndpoint.vpc(`${Env}/Vpc`), false);
  }
  add('prod-transfer', NetworkEndpoint.resource('Prod/Transfer'));
  add('network-vpc', NetworkEndpoint.vpc('Network/Vpc'), false);
  add('prod-app-subnet', NetworkEndpoint.subnet('Prod/Vpc/appSubnet1'), false);
  add('prod-data-subnet', NetworkEndpoint.subnet('Prod/Vpc/dataSubnet1'), false);

  const allow = (source: string, destination: string, ports: number[], description: string, protocol = FlowProtocol.TCP) =>
    intent.allow({ source, destination, ports, description, protocol });
  for (const env of ['prod', 'dev']) {
    allow('users', `${env}-alb`, [443], 'city-hall staff use the applications');
    allow(`${env}-alb`, `${env}-app`, [8080], 'the ALB forwards to the ECS tasks');
    allow(`${env}-app`, `${env}-db`, [5432], 'the application uses its database');
    allow('bastion', `${env}-app`, [8080], 'operators port-forward to the tasks');
    allow('bastion', `${env}-db`, [5432], 'operators port-forward to the database');
  }
  allow('dc-backup-server', 'prod-transfer', [22], 'SFTP backup');
  for (const endpoint of ['ssm', 'ssmmessages']) {
    allow('dc-operators', endpoint, [443], 'operators start Session Manager sessions');
    allow('bastion', endpoint, [443], 'the SSM agent on the bastion');
  }
  for (const protocol of [FlowProtocol.TCP, FlowProtocol.UDP]) {
    allow('dc-dns', 'resolver-in', [53], 'the DC forwards prod.internal and dev.internal', protocol);
    allow('resolver-out', 'dc-dns', [53], 'AWS forwards onprem.example.local', protocol);
  }
  const deny = (source: string, destination: string, description: string) => intent.deny({ source, destination, description });
  deny('users', 'network-vpc', 'user sites have no route to the Network VPC');
  deny('prod-vpc', 'dev-vpc', 'Prod and Dev never see each other');
  deny('dev-vpc', 'prod-vpc', 'Prod and Dev never see each other');
  for (const dc of ['dc-backup-server', 'dc-operators', 'dc-dns']) {
    deny(dc, 'dev-vpc', 'the DC reaches no part of Dev');
  }
  for (const dc of ['dc-backup-server', 'dc-operators', 'dc-dns']) {
    // rt-dc routes only the Transfer /26 into Prod; the application and data subnets stay out of the DC's reach.
    deny(dc, 'prod-app-subnet', 'the DC reaches Prod only at the Transfer subnets');
    deny(dc, 'prod-data-subnet', 'the DC reaches Prod only at the Transfer subnets');
  }
  for (const dc of ['dc-operators', 'dc-dns']) {
    deny('prod-vpc', dc, 'Prod reaches the DC only to answer the backup server');
    deny('dev-vpc', dc, 'Dev never reaches the DC');
  }
  return intent;
}
