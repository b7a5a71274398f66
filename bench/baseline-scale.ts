/**
 * The 120-account topology of examples/scale-120 written directly with aws-cdk-lib (L1 and L2 constructs), without
 * any code of this library: the baseline of the benchmark (scripts/bench.ts). It builds the same stacks and, as far as
 * practical, the same resources: the log archive (key, three buckets, organization-scoped policies), the transit
 * gateway with 22 route tables, 60 blackholes, two BGP VPNs and their attachment lookups, one isolated VPC per spoke
 * account with its endpoints, flow log, attachment, transit gateway lookup and routes, and the routing stacks with
 * their attachment lookups, associations and propagations.
 *
 * Where it differs from the library: no validation of the plan (overlaps, quotas, names, the local-route rule), no
 * cdk-nag acknowledgements, a shorter inline lookup handler (bench/resolver-handler.ts), and construct IDs of its own.
 * The address plan is the example's (examples/scale-120/config.ts holds plain data, no library code).
 */
import { App, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct } from 'constructs';
import { ArchiveNames, createArchive, exampleContext, logsKey, plannedVpc, Resolver, tgwRoutes, tunnelOptions } from './baseline-common';
import { API_PEERS, DEPARTMENTS, ENVIRONMENTS, ScalePlan, scalePlan, spokeSubnets, WorkloadAccount } from '../examples/scale-120/config';

/** Security account: the log archive (organization-scoped policies, as the example configures the library). */
class ArchiveStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { plan: ScalePlan; names: ArchiveNames; sources: string[] }) {
    super(scope, id, props);
    createArchive(this, { names: props.names, sources: props.sources, organizationId: props.plan.organizationId });
  }
}

/** Network account: transit gateway, RAM share by OU, flow log, 22 route tables, blackholes, two BGP VPNs. */
class HubStack extends Stack {
  public readonly tgw: ec2.CfnTransitGateway;
  public readonly routeTables = new Map<string, ec2.CfnTransitGatewayRouteTable>();
  public readonly key: kms.Key;
  constructor(scope: Construct, id: string, props: StackProps & { plan: ScalePlan; names: ArchiveNames }) {
    super(scope, id, props);
    const { plan } = props;
    this.tgw = new ec2.CfnTransitGateway(this, 'Tgw', {
      amazonSideAsn: plan.transitGatewayAsn,
      autoAcceptSharedAttachments: 'disable',
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      dnsSupport: 'enable',
      vpnEcmpSupport: 'enable',
      multicastSupport: 'disable',
      securityGroupReferencingSupport: 'disable',
      description: 'Hybrid network hub',
      tags: [{ key: 'Name', value: `${plan.namePrefix}-tgw` }],
    });
    new ram.CfnResourceShare(this, 'Share', {
      name: `${plan.namePrefix}-tgw-share`,
      resourceArns: [this.tgw.attrTransitGatewayArn],
      principals: Object.values(plan.organizationalUnitArns),
      allowExternalPrincipals: false,
    });
    new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromTransitGatewayId(this.tgw.attrId),
      destination: props.names.flowLogs(this, 'tgw-flow-logs/hub'),
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
      flowLogName: `${plan.namePrefix}-tgw-flow-log`,
    });
    const names = [...DEPARTMENTS.flatMap((d) => ENVIRONMENTS.map((e) => `${d}-${e}`)), 'core', 'onprem'];
    for (const name of names) {
      const rt = new ec2.CfnTransitGatewayRouteTable(this, `Rt-${name}`, { transitGatewayId: this.tgw.attrId, tags: [{ key: 'Name', value: `${plan.namePrefix}-tgw-${name}` }] });
      this.routeTables.set(name, rt);
      const environment = ENVIRONMENTS.find((e) => name.endsWith(`-${e}`));
      for (const other of ENVIRONMENTS.filter((e) => environment && e !== environment)) {
        new ec2.CfnTransitGatewayRoute(this, `Rt-${name}-Blackhole-${other}`, {
          transitGatewayRouteTableId: rt.ref, destinationCidrBlock: plan.environmentCidrs[other], blackhole: true,
        });
      }
    }
    this.key = logsKey(this, 'LogKey', `Encrypts the log groups of transit gateway ${plan.namePrefix}-tgw`);
    const resolver = Resolver.of(this, this.key);
    resolver.allow('ec2:DescribeTransitGatewayAttachments');
    plan.vpns.forEach((vpn, i) => {
      const cgw = new ec2.CfnCustomerGateway(this, `Cgw${i}`, { type: 'ipsec.1', ipAddress: vpn.customerGatewayIp, bgpAsn: vpn.customerGatewayAsn, tags: [{ key: 'Name', value: vpn.name }] });
      const logGroup = new logs.LogGroup(this, `TunnelLogs${i}`, { encryptionKey: this.key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
      const tunnel = tunnelOptions(logGroup, true);
      const connection = new ec2.CfnVPNConnection(this, `Vpn${i}`, {
        type: 'ipsec.1',
        customerGatewayId: cgw.attrCustomerGatewayId,
        transitGatewayId: this.tgw.attrId,
        staticRoutesOnly: false,
        enableAcceleration: false,
        vpnTunnelOptionsSpecifications: [tunnel, tunnel],
        tags: [{ key: 'Name', value: vpn.name }],
      });
      const attachmentId = resolver.lookup(this, `Vpn${i}Attachment`, 'Custom::TransitGatewayVpnAttachment', {
        Operation: 'VpnAttachment', Name: vpn.name, VpnConnectionId: connection.attrVpnConnectionId, TransitGatewayId: this.tgw.attrId,
      });
      new ec2.CfnTransitGatewayRouteTableAssociation(this, `Vpn${i}Association`, { transitGatewayRouteTableId: this.routeTables.get('onprem')!.ref, transitGatewayAttachmentId: attachmentId });
      for (const [name, rt] of this.routeTables) {
        if (name !== 'onprem') {
          new ec2.CfnTransitGatewayRouteTablePropagation(this, `Vpn${i}Propagation-${name}`, { transitGatewayRouteTableId: rt.ref, transitGatewayAttachmentId: attachmentId });
        }
      }
    });
  }
}

/** A spoke account: isolated VPC, endpoints, flow log, attachment to the shared transit gateway, routes. */
class SpokeStack extends Stack {
  public readonly attachment: ec2.CfnTransitGatewayVpcAttachment;
  constructor(scope: Construct, id: string,
    props: StackProps & { plan: ScalePlan; names: ArchiveNames; spokeName: string; cidr: string; transitGatewayId?: string }) {
    super(scope, id, props);
    const { plan } = props;
    const s = spokeSubnets(props.cidr);
    const groups: Record<string, string[]> = { 'tgw-attach': s.tgw, 'alb': s.alb, 'app': s.app, 'data': s.data };
    const vpc = plannedVpc(this, 'Vpc', props.spokeName, props.cidr, plan.availabilityZones, groups);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const sg = new ec2.SecurityGroup(this, 'EndpointSg', { vpc, description: 'Interface VPC endpoints: HTTPS from the VPC', allowAllOutbound: false });
    sg.addIngressRule(ec2.Peer.ipv4(props.cidr), ec2.Port.tcp(443), `HTTPS to AWS APIs from ${props.cidr}`);
    for (const [id2, service] of [['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR], ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS], ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER]] as const) {
      vpc.addInterfaceEndpoint(id2, { service, privateDnsEnabled: true, subnets: { subnetGroupName: 'app' }, securityGroups: [sg], open: false });
    }
    new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(vpc), destination: props.names.flowLogs(this, `vpc-flow-logs/${props.spokeName}`), trafficType: ec2.FlowLogTrafficType.ALL,
    });
    let tgwId = props.transitGatewayId;
    if (!tgwId) {
      const resolver = Resolver.of(this);
      resolver.allow('ec2:DescribeTransitGateways');
      tgwId = resolver.lookup(this, 'TgwLookup', 'Custom::SharedTransitGatewayLookup', { Operation: 'TransitGateway', Name: props.spokeName, OwnerAccount: plan.networkAccount });
    }
    this.attachment = new ec2.CfnTransitGatewayVpcAttachment(this, 'Attachment', {
      transitGatewayId: tgwId,
      vpcId: vpc.vpcId,
      subnetIds: vpc.selectSubnets({ subnetGroupName: 'tgw-attach' }).subnetIds,
      options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
      tags: [{ key: 'Name', value: props.spokeName }],
    });
    for (const group of ['alb', 'app', 'data']) {
      tgwRoutes(this, `Route-${group}`, vpc.selectSubnets({ subnetGroupName: group }).subnets, ['10.0.0.0/8', ...plan.onPremisesCidrs], tgwId, this.attachment);
    }
  }
}

/** Network account, after spokes: lookups (accepting), associations and propagations. */
class RoutingStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & {
    hub: HubStack; workloads?: WorkloadAccount[]; core?: Array<{ name: string; accountId: string }>; networkAttachmentId?: string;
  }) {
    super(scope, id, props);
    const { hub } = props;
    const resolver = Resolver.of(this, hub.key);
    resolver.allow('ec2:DescribeTransitGatewayAttachments');
    const rt = (name: string) => hub.routeTables.get(name)!.ref;
    const wire = (attachmentId: string, name: string, associate: string, propagateInto: string[]) => {
      new ec2.CfnTransitGatewayRouteTableAssociation(this, `${name}-Association`, { transitGatewayRouteTableId: rt(associate), transitGatewayAttachmentId: attachmentId });
      for (const target of propagateInto) {
        new ec2.CfnTransitGatewayRouteTablePropagation(this, `${name}-Propagation-${target}`, { transitGatewayRouteTableId: rt(target), transitGatewayAttachmentId: attachmentId });
      }
    };
    const lookup = (name: string, account: string) => {
      resolver.allowAccept([account, this.account]);
      return resolver.lookup(this, name, 'Custom::TransitGatewaySpokeAttachment', {
        Operation: 'SpokeAttachment', Name: name, TransitGatewayId: hub.tgw.attrId, OwnerAccount: account, Accept: 'true', WaitSeconds: '300',
      });
    };
    for (const w of props.workloads ?? []) {
      const peers = w.role === 'api' ? API_PEERS[w.department].map((p) => `${p}-${w.environment}`) : [];
      wire(lookup(w.name, w.accountId), w.name, w.segment, [w.segment, 'core', 'onprem', ...peers]);
    }
    const all = [...hub.routeTables.keys()];
    for (const c of props.core ?? []) {
      wire(lookup(c.name, c.accountId), c.name, 'core', all);
    }
    if (props.networkAttachmentId) {
      wire(props.networkAttachmentId, 'network', 'core', all);
    }
  }
}

/** The baseline app at `accounts` accounts (5 to 120), with the example's cdk.json feature flags. */
export function createBaselineScaleApp(options: { accounts?: number; outdir?: string } = {}): { app: App; stacks: Stack[] } {
  const app = new App({ outdir: options.outdir, context: exampleContext('scale-120') });
  const plan = scalePlan(options.accounts ?? 120);
  const names = new ArchiveNames(plan.namePrefix, plan.securityAccount, plan.region);
  const env = (account: string) => ({ account, region: plan.region });
  const accounts = [plan.securityAccount, plan.networkAccount, plan.sharedServices.accountId, ...plan.workloads.map((w) => w.accountId)];
  for (const account of accounts) {
    app.node.setContext(`availability-zones:account=${account}:region=${plan.region}`, plan.availabilityZones);
  }
  const archive = new ArchiveStack(app, 'Scale-Security', { env: env(plan.securityAccount), plan, names, sources: [...accounts.slice(1, 3), plan.securityAccount, ...accounts.slice(3)] });
  const hub = new HubStack(app, 'Scale-Network', { env: env(plan.networkAccount), plan, names });
  hub.addStackDependency(archive);
  const spoke = (id: string, account: string, spokeName: string, cidr: string, transitGatewayId?: string) => {
    const stack = new SpokeStack(app, id, { env: env(account), plan, names, spokeName, cidr, transitGatewayId });
    stack.addStackDependency(hub);
    return stack;
  };
  const networkVpc = spoke('Scale-Network-Vpc', plan.networkAccount, plan.networkVpc.name, plan.networkVpc.cidr, hub.tgw.attrId);
  const securityVpc = spoke('Scale-Security-Vpc', plan.securityAccount, plan.securityVpc.name, plan.securityVpc.cidr);
  const shared = spoke('Scale-SharedServices', plan.sharedServices.accountId, plan.sharedServices.name, plan.sharedServices.cidr);
  const workloads = plan.workloads.map((w) => spoke(`Scale-${w.name}`, w.accountId, w.name, w.cidr));
  const core = new RoutingStack(app, 'Scale-Routing-core', {
    env: env(plan.networkAccount), hub, core: [plan.sharedServices, plan.securityVpc], networkAttachmentId: networkVpc.attachment.ref,
  });
  [hub, networkVpc, securityVpc, shared].forEach((s) => core.addStackDependency(s));
  const routing: Stack[] = [core];
  for (const department of DEPARTMENTS) {
    const mine = plan.workloads.filter((w) => w.department === department);
    if (mine.length > 0) {
      const stack = new RoutingStack(app, `Scale-Routing-${department}`, { env: env(plan.networkAccount), hub, workloads: mine });
      stack.addStackDependency(hub);
      mine.forEach((w) => stack.addStackDependency(workloads[plan.workloads.indexOf(w)]));
      routing.push(stack);
    }
  }
  Tags.of(app).add('project', 'cdk-gov-hybrid-network-scale');
  return { app, stacks: [archive, hub, networkVpc, securityVpc, shared, ...workloads, ...routing] };
}
