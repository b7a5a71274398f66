/**
 * The four-account reference deployment (examples/reference-deployment) written directly with aws-cdk-lib L1 and L2
 * constructs, without any code of this library: the baseline of the benchmark (scripts/bench.ts). Same five stacks,
 * same account plan (examples/reference-deployment/config.ts is plain data), and as far as practical the same
 * resources: the log archive; the transit gateway with its four route tables, two hardened VPNs and their attachment
 * lookups; the Network VPC with the Session Manager bastion, its endpoints, routes, session preferences and operator
 * policy; the Route 53 Resolver endpoints, rule, query logging, Profile and RAM shares; in Prod and Dev the isolated
 * VPC, attachment and routes, private zone in the Profile, WAF log Firehose, internal ALB + WAF + Fargate + RDS, and in
 * Prod the SFTP backup bridge (dump task, schedule, bucket, alarms, Transfer Family server and lookups).
 *
 * Where it differs from the library: no validation of the props or the address plan, no cdk-nag acknowledgements, no
 * synthesis-time checks (correction 3, quotas, overlaps), a shorter inline lookup handler, construct IDs of its own,
 * and it follows the reference deployment as committed when the benchmark was written (later changes to the library's
 * constructs are not mirrored automatically; compare resource counts in bench/results.json).
 */
import * as path from 'path';
import { App, CfnOutput, Duration, Fn, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as route53profiles from 'aws-cdk-lib/aws-route53profiles';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as transfer from 'aws-cdk-lib/aws-transfer';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ArchiveNames, createArchive, exampleContext, logsKey, plannedVpc, Resolver, s3PrefixList, tgwRoutes, tunnelOptions } from './baseline-common';
import { ReferenceConfig, REFERENCE_DEFAULTS, SpokePlan } from '../examples/reference-deployment/config';

const ASSETS = path.join(__dirname, '..', 'assets');
const PROFILE_ACTIONS = ['route53profiles:AssociateProfile', 'route53profiles:DisassociateProfile', 'route53profiles:GetProfile',
  'route53profiles:GetProfileResourceAssociation', 'route53profiles:ListProfileResourceAssociations', 'route53profiles:AssociateResourceToProfile',
  'route53profiles:DisassociateResourceFromProfile'];

interface Ctx {
  readonly config: ReferenceConfig;
  readonly names: ArchiveNames;
  readonly bastionRoleName: string;
}

/** An AwsCustomResource that calls one SDK action on create and update and returns `outputPaths`. */
function sdkLookup(scope: Construct, id: string, type: string, call: Omit<cr.AwsSdkCall, 'physicalResourceId'> & { id: string }, statement: iam.PolicyStatement): cr.AwsCustomResource {
  const sdkCall: cr.AwsSdkCall = { ...call, physicalResourceId: cr.PhysicalResourceId.of(call.id) };
  return new cr.AwsCustomResource(scope, id, {
    resourceType: type,
    installLatestAwsSdk: false,
    onCreate: sdkCall,
    onUpdate: sdkCall,
    policy: cr.AwsCustomResourcePolicy.fromStatements([statement]),
  });
}

/** Security account: the archive. */
class SecurityStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { ctx: Ctx }) {
    super(scope, id, props);
    const { accounts } = props.ctx.config;
    createArchive(this, {
      names: props.ctx.names,
      sources: [accounts.network, accounts.prod, accounts.dev],
      wafAccounts: [accounts.prod, accounts.dev],
      writerRoles: [{ account: accounts.network, roleName: props.ctx.bastionRoleName, prefix: `session-manager/${accounts.network}` }],
    });
  }
}

/** Network account: hub, VPNs, Network VPC with the bastion, Resolver hub. */
class NetworkStack extends Stack {
  public readonly tgw: ec2.CfnTransitGateway;
  public readonly key: kms.Key;
  public readonly routeTables: Record<'users' | 'dc' | 'spokes' | 'network', ec2.CfnTransitGatewayRouteTable>;
  public readonly vpn: Record<'user' | 'dc', string>;

  constructor(scope: Construct, id: string, props: StackProps & { ctx: Ctx }) {
    super(scope, id, props);
    const { config, names } = props.ctx;
    const { accounts, dataCentre, userSites, network: plan } = config;
    const azs = config.availabilityZones;

    // ---------------- transit gateway
    this.tgw = new ec2.CfnTransitGateway(this, 'Tgw', {
      amazonSideAsn: config.transitGatewayAsn,
      autoAcceptSharedAttachments: 'disable',
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      dnsSupport: 'enable',
      vpnEcmpSupport: 'enable',
      multicastSupport: 'disable',
      securityGroupReferencingSupport: 'disable',
      description: 'Hybrid network hub',
      tags: [{ key: 'Name', value: `${config.namePrefix}-tgw` }],
    });
    new ram.CfnResourceShare(this, 'TgwShare', {
      name: `${config.namePrefix}-tgw-share`, resourceArns: [this.tgw.attrTransitGatewayArn], principals: [accounts.prod, accounts.dev], allowExternalPrincipals: false,
    });
    new ec2.FlowLog(this, 'TgwFlowLog', {
      resourceType: ec2.FlowLogResourceType.fromTransitGatewayId(this.tgw.attrId),
      destination: names.flowLogs(this, 'tgw-flow-logs/hub'),
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
      flowLogName: `${config.namePrefix}-tgw-flow-log`,
    });
    this.key = logsKey(this, 'HubLogKey', `Encrypts the log groups of transit gateway ${config.namePrefix}-tgw`);
    const resolver = Resolver.of(this, this.key);
    resolver.allow('ec2:DescribeTransitGatewayAttachments');
    const vpn = (name: string, ip: string, asn: number) => {
      const cgw = new ec2.CfnCustomerGateway(this, `${name}Cgw`, { type: 'ipsec.1', ipAddress: ip, bgpAsn: asn, tags: [{ key: 'Name', value: name }] });
      const logGroup = new logs.LogGroup(this, `${name}TunnelLogs`, { encryptionKey: this.key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
      const connection = new ec2.CfnVPNConnection(this, `${name}Connection`, {
        type: 'ipsec.1',
        customerGatewayId: cgw.attrCustomerGatewayId,
        transitGatewayId: this.tgw.attrId,
        staticRoutesOnly: true,
        enableAcceleration: false,
        vpnTunnelOptionsSpecifications: [tunnelOptions(logGroup, false), tunnelOptions(logGroup, false)],
        tags: [{ key: 'Name', value: name }],
      });
      return resolver.lookup(this, `${name}Attachment`, 'Custom::TransitGatewayVpnAttachment', {
        Operation: 'VpnAttachment', Name: name, VpnConnectionId: connection.attrVpnConnectionId, TransitGatewayId: this.tgw.attrId,
      });
    };
    this.vpn = {
      user: vpn('user-vpn', userSites.vpn.customerGatewayIp, userSites.vpn.customerGatewayAsn),
      dc: vpn('dc-vpn', dataCentre.vpn.customerGatewayIp, dataCentre.vpn.customerGatewayAsn),
    };

    // ---------------- Network VPC, bastion, endpoints
    const sessionKey = logsKey(this, 'SessionKey', 'Session Manager session data and ops-access log groups');
    const vpc = plannedVpc(this, 'OpsVpc', undefined, plan.cidr, azs, {
      'bastion': plan.bastion,
      'endpoint': plan.endpoint,
      'tgw-attach': plan.transitGatewayAttachment,
      'resolver-in': plan.resolverInbound,
      'resolver-out': plan.resolverOutbound,
    });
    new ec2.FlowLog(this, 'OpsFlowLog', { resourceType: ec2.FlowLogResourceType.fromVpc(vpc), destination: names.flowLogs(this, 'vpc-flow-logs/network-vpc'), trafficType: ec2.FlowLogTrafficType.ALL });
    const bastionSg = new ec2.SecurityGroup(this, 'BastionSg', { vpc, description: 'Ops bastion: no inbound rule', allowAllOutbound: false });
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSg', { vpc, description: 'Interface VPC endpoints: HTTPS from the ops bastion and the operator terminals only', allowAllOutbound: false });
    endpointSg.addIngressRule(ec2.Peer.ipv4(dataCentre.operatorTerminals), ec2.Port.tcp(443), `HTTPS from operator terminals ${dataCentre.operatorTerminals}`);
    const targets = [['prod-db', config.prod.cidr, 5432], ['prod-app', config.prod.cidr, 8080], ['dev-db', config.dev.cidr, 5432], ['dev-app', config.dev.cidr, 8080]] as const;
    for (const [name, cidr, port] of targets) {
      bastionSg.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port), `Forwarding target ${name}`);
    }
    bastionSg.connections.allowTo(endpointSg, ec2.Port.tcp(443), 'HTTPS to the interface VPC endpoints');
    bastionSg.addEgressRule(ec2.Peer.prefixList(s3PrefixList(this, 'OpsS3PrefixList')), ec2.Port.tcp(443), 'HTTPS to Amazon S3 through the gateway endpoint');
    const endpoints = [ec2.InterfaceVpcEndpointAwsService.SSM, ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
      ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
      ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, ec2.InterfaceVpcEndpointAwsService.KMS].map((service, i) =>
      vpc.addInterfaceEndpoint(`Endpoint${i}`, { service, privateDnsEnabled: true, subnets: { subnetGroupName: 'endpoint' }, securityGroups: [endpointSg], open: false }));
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'bastion' }] });
    const attachment = new ec2.CfnTransitGatewayVpcAttachment(this, 'OpsAttachment', {
      transitGatewayId: this.tgw.attrId,
      vpcId: vpc.vpcId,
      subnetIds: vpc.selectSubnets({ subnetGroupName: 'tgw-attach' }).subnetIds,
      options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
    });
    tgwRoutes(this, 'BastionRoute', vpc.selectSubnets({ subnetGroupName: 'bastion' }).subnets, [config.spokeSummaryCidr], this.tgw.attrId, attachment);
    const returns = [dataCentre.operatorTerminals, ...dataCentre.dnsServers.map((ip) => `${ip}/32`)];
    for (const group of ['endpoint', 'resolver-in', 'resolver-out']) {
      tgwRoutes(this, `${group}Route`, vpc.selectSubnets({ subnetGroupName: group }).subnets, returns, this.tgw.attrId, attachment);
    }
    const sessionLogs = new logs.LogGroup(this, 'SessionLogs', { encryptionKey: sessionKey, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const bastionRole = new iam.Role(this, 'BastionRole', {
      roleName: props.ctx.bastionRoleName,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    new iam.ManagedPolicy(this, 'BastionPolicy', {
      roles: [bastionRole],
      statements: [
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [sessionKey.keyArn] }),
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], resources: [sessionLogs.logGroupArn] }),
        new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: [`arn:aws:logs:${this.region}:${this.account}:log-group:*`] }),
        ...names.writeStatements([`session-manager/${accounts.network}`], ['s3:PutObject', 's3:PutObjectAcl'], ['s3:GetEncryptionConfiguration']),
      ],
    });
    const bastion = new ec2.Instance(this, 'Bastion', {
      vpc,
      vpcSubnets: { subnets: [vpc.selectSubnets({ subnetGroupName: 'bastion' }).subnets[0]] },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL),
      machineImage: new ec2.AmazonLinux2023ImageSsmParameter({ kernel: ec2.AmazonLinux2023Kernel.DEFAULT, cachedInContext: false }),
      role: bastionRole,
      securityGroup: bastionSg,
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpEndpoint: true,
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: false,
      detailedMonitoring: true,
      disableApiTermination: false,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }) }],
    });
    endpoints.forEach((e) => bastion.node.addDependency(e));
    new ssm.CfnDocument(this, 'SessionPreferences', {
      name: 'SSM-SessionManagerRunShell',
      documentType: 'Session',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '1.0',
        description: 'Session Manager preferences of this account and Region',
        sessionType: 'Standard_Stream',
        inputs: {
          s3BucketName: names.logBucketName,
          s3KeyPrefix: `session-manager/${accounts.network}`,
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: sessionLogs.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: sessionKey.keyArn,
          runAsEnabled: false,
          runAsDefaultUser: '',
          idleSessionTimeout: '20',
          maxSessionDuration: '480',
          shellProfile: { windows: '', linux: '' },
        },
      },
    });
    const sessionArn = `arn:aws:ssm:${this.region}:${this.account}:session`;
    const operatorPolicy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      statements: [
        new iam.PolicyStatement({
          actions: ['ssm:StartSession'],
          conditions: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
          resources: [`arn:aws:ssm:${this.region}::document/AWS-StartPortForwardingSessionToRemoteHost`, `arn:aws:ec2:${this.region}:${this.account}:instance/${bastion.instanceId}`],
        }),
        new iam.PolicyStatement({ actions: ['ssmmessages:OpenDataChannel'], resources: [`${sessionArn}/*`] }),
        new iam.PolicyStatement({ actions: ['ssm:ResumeSession', 'ssm:TerminateSession'], resources: [`${sessionArn}/\${aws:userid}-*`] }),
        new iam.PolicyStatement({
          actions: ['ssm:ResumeSession', 'ssm:TerminateSession'],
          resources: [`${sessionArn}/*`],
          conditions: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
        }),
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [sessionKey.keyArn] }),
        new iam.PolicyStatement({ actions: ['ec2:DescribeInstances', 'ssm:DescribeInstanceProperties', 'ssm:DescribeSessions', 'ssm:GetConnectionStatus'], resources: ['*'] }),
      ],
    });
    new CfnOutput(this, 'BastionInstanceId', { value: bastion.instanceId, description: 'The ops bastion' });
    new CfnOutput(this, 'OperatorPolicyArn', { value: operatorPolicy.managedPolicyArn, description: 'Managed policy for the operators' });
    const forwarded = ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'].map((s) => `${s}.${this.region}.${this.urlSuffix}`);
    new CfnOutput(this, 'DnsForwardingNames', { value: forwarded.join(' '), description: 'Names the DC DNS servers forward to the inbound endpoint' });
    for (const [name, host, port, local] of [['prod-db', `db.${config.prod.zoneName}`, 5432, 15432], ['prod-app', `<address-in-${config.prod.cidr}>`, 8080, 18080],
      ['dev-db', `db.${config.dev.zoneName}`, 5432, 25432], ['dev-app', `<address-in-${config.dev.cidr}>`, 8080, 28080]] as const) {
      new CfnOutput(this, `Forward-${name}`, {
        value: `aws ssm start-session --target ${bastion.instanceId} --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host="${host}",portNumber="${port}",localPortNumber="${local}" --region ${this.region}`,
        description: `${name}: forwards localhost:${local} through the ops bastion`,
      });
    }

    // ---------------- Route 53 Resolver hub
    const dnsServers = dataCentre.dnsServers;
    const inSg = new ec2.SecurityGroup(this, 'ResolverInSg', { vpc, description: 'Resolver inbound endpoint: DNS from the DC DNS servers only', allowAllOutbound: false });
    const outSg = new ec2.SecurityGroup(this, 'ResolverOutSg', { vpc, description: 'Resolver outbound endpoint: DNS to the forwarding targets only', allowAllOutbound: false });
    for (const ip of dnsServers) {
      for (const port of [ec2.Port.udp(53), ec2.Port.tcp(53)]) {
        inSg.addIngressRule(ec2.Peer.ipv4(`${ip}/32`), port, `DNS from data-centre DNS server ${ip}`);
        outSg.addEgressRule(ec2.Peer.ipv4(`${ip}/32`), port, `DNS to forwarding target ${ip}:53`);
      }
    }
    const inSubnets = vpc.selectSubnets({ subnetGroupName: 'resolver-in' }).subnetIds;
    new route53resolver.CfnResolverEndpoint(this, 'Inbound', {
      direction: 'INBOUND',
      name: 'gov-private-dns-inbound',
      securityGroupIds: [inSg.securityGroupId],
      protocols: ['Do53'],
      resolverEndpointType: 'IPV4',
      ipAddresses: inSubnets.map((subnetId, i) => ({ subnetId, ip: plan.resolverInboundIps[i] })),
    });
    const outbound = new route53resolver.CfnResolverEndpoint(this, 'Outbound', {
      direction: 'OUTBOUND',
      name: 'gov-private-dns-outbound',
      securityGroupIds: [outSg.securityGroupId],
      protocols: ['Do53'],
      resolverEndpointType: 'IPV4',
      ipAddresses: vpc.selectSubnets({ subnetGroupName: 'resolver-out' }).subnetIds.map((subnetId) => ({ subnetId })),
    });
    const outIps = sdkLookup(this, 'OutboundIps', 'Custom::AWS', {
      service: 'Route53Resolver',
      action: 'listResolverEndpointIpAddresses',
      parameters: { ResolverEndpointId: outbound.attrResolverEndpointId },
      id: outbound.attrResolverEndpointId,
      outputPaths: ['IpAddresses.0.Ip', 'IpAddresses.1.Ip'],
    }, new iam.PolicyStatement({ actions: ['route53resolver:ListResolverEndpointIpAddresses'], resources: [outbound.attrArn] }));
    const rule = new route53resolver.CfnResolverRule(this, 'Rule', {
      domainName: dataCentre.domainName,
      name: 'gov-private-dns-onprem-example-local',
      ruleType: 'FORWARD',
      resolverEndpointId: outbound.attrResolverEndpointId,
      targetIps: dnsServers.map((ip) => ({ ip, port: '53' })),
    });
    const queryLogs = new route53resolver.CfnResolverQueryLoggingConfig(this, 'QueryLogs', { name: 'gov-private-dns-query-logs', destinationArn: `${names.logBucketArn}/resolver-query-logs/network` });
    const profile = new route53profiles.CfnProfile(this, 'Profile', { name: 'gov-private-dns' });
    new route53profiles.CfnProfileResourceAssociation(this, 'RuleInProfile', { name: 'rule-onprem-example-local', profileId: profile.attrId, resourceArn: rule.attrArn });
    new route53profiles.CfnProfileResourceAssociation(this, 'QueryLogsInProfile', { name: 'query-logs', profileId: profile.attrId, resourceArn: queryLogs.attrArn });
    new route53profiles.CfnProfileAssociation(this, 'ProfileToVpc', { name: 'gov-private-dns-network-vpc', profileId: profile.attrId, resourceId: vpc.vpcId });
    for (const [zone, account] of [[config.prod.zoneName, accounts.prod], [config.dev.zoneName, accounts.dev]]) {
      const permission = new ram.CfnPermission(this, `Permission-${zone}`, {
        name: `gov-private-dns-${zone}`,
        resourceType: 'route53profiles:Profile',
        policyTemplate: { Effect: 'Allow', Action: PROFILE_ACTIONS, Condition: { StringEqualsIfExists: { 'route53profiles:ResourceTypes': 'HostedZone', 'route53profiles:HostedZoneDomains': zone } } },
      });
      new ram.CfnResourceShare(this, `ZoneShare-${zone}`, {
        name: `gov-private-dns-zone-${zone}`, allowExternalPrincipals: false, permissionArns: [permission.attrArn], principals: [account], resourceArns: [profile.attrArn],
      });
    }
    const inIps = plan.resolverInboundIps.join(', ');
    new CfnOutput(this, 'InboundIpsOutput', { value: inIps, description: 'IPs of the Resolver inbound endpoint' });
    new CfnOutput(this, 'OutboundIpsOutput', { value: Fn.join(', ', [outIps.getResponseField('IpAddresses.0.Ip'), outIps.getResponseField('IpAddresses.1.Ip')]), description: 'Source IPs of forwarded queries' });
    new CfnOutput(this, 'ProfileIdOutput', { value: profile.attrId, description: 'Route 53 Profile shared with the spokes' });
    let forwarders = 0;
    for (const zone of [config.prod.zoneName, config.dev.zoneName, ...forwarded]) {
      new CfnOutput(this, `Forwarder${forwarders++}`, { value: `${zone} -> ${inIps}`, description: 'Conditional forwarder on the DC DNS servers' });
    }

    // ---------------- route tables
    const rt = (name: string) => new ec2.CfnTransitGatewayRouteTable(this, `Rt-${name}`, { transitGatewayId: this.tgw.attrId, tags: [{ key: 'Name', value: `${config.namePrefix}-tgw-${name}` }] });
    this.routeTables = { users: rt('users'), dc: rt('dc'), spokes: rt('spokes'), network: rt('network') };
    const { users, dc, spokes, network } = this.routeTables;
    const associate = (name: string, table: ec2.CfnTransitGatewayRouteTable, attachmentId: string) =>
      new ec2.CfnTransitGatewayRouteTableAssociation(this, name, { transitGatewayRouteTableId: table.ref, transitGatewayAttachmentId: attachmentId });
    const route = (name: string, table: ec2.CfnTransitGatewayRouteTable, cidr: string, attachmentId: string) =>
      new ec2.CfnTransitGatewayRoute(this, name, {
        transitGatewayRouteTableId: table.ref, destinationCidrBlock: cidr, transitGatewayAttachmentId: attachmentId,
      });
    associate('UsersUserVpn', users, this.vpn.user);
    associate('DcDcVpn', dc, this.vpn.dc);
    new ec2.CfnTransitGatewayRouteTablePropagation(this, 'DcNetworkVpc', { transitGatewayRouteTableId: dc.ref, transitGatewayAttachmentId: attachment.ref });
    new ec2.CfnTransitGatewayRouteTablePropagation(this, 'SpokesNetworkVpc', { transitGatewayRouteTableId: spokes.ref, transitGatewayAttachmentId: attachment.ref });
    userSites.cidrs.forEach((cidr, i) => route(`SpokesUsers${i}`, spokes, cidr, this.vpn.user));
    route('SpokesBackupServer', spokes, dataCentre.backupServer, this.vpn.dc);
    associate('NetworkNetworkVpc', network, attachment.ref);
    returns.forEach((cidr, i) => route(`NetworkReturn${i}`, network, cidr, this.vpn.dc));
    new CfnOutput(this, 'TransitGatewayId', { value: this.tgw.attrId, description: 'Transit Gateway shared with Prod and Dev through RAM' });
  }
}

/** Prod or Dev: VPC, attachment, private zone, WAF log stream, ALB + WAF + Fargate + RDS, and in Prod the backup bridge. */
class SpokeStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { ctx: Ctx; spoke: SpokePlan; backup?: ReferenceConfig['prod'] }) {
    super(scope, id, props);
    const { config, names } = props.ctx;
    const { spoke, backup } = props;
    const azs = config.availabilityZones;
    const account = this.account;

    // ---------------- VPC and attachment
    const groups: Record<string, string[]> = { 'tgw-attach': spoke.transitGatewayAttachment, 'alb': spoke.alb, 'app': spoke.app, 'data': spoke.data, ...(backup ? { transfer: backup.transfer } : {}) };
    const vpc = plannedVpc(this, 'Vpc', spoke.name, spoke.cidr, azs, groups);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSg', { vpc, description: 'Interface VPC endpoints: HTTPS from the allowed CIDRs only', allowAllOutbound: false });
    endpointSg.addIngressRule(ec2.Peer.ipv4(spoke.cidr), ec2.Port.tcp(443), `HTTPS to AWS APIs from ${spoke.cidr}`);
    [ec2.InterfaceVpcEndpointAwsService.ECR, ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER].forEach((service, i) =>
      vpc.addInterfaceEndpoint(`Endpoint${i}`, { service, privateDnsEnabled: true, subnets: { subnetGroupName: 'app' }, securityGroups: [endpointSg], open: false }));
    new ec2.FlowLog(this, 'FlowLog', { resourceType: ec2.FlowLogResourceType.fromVpc(vpc), destination: names.flowLogs(this, `vpc-flow-logs/${spoke.name}-vpc`), trafficType: ec2.FlowLogTrafficType.ALL });
    const resolver = Resolver.of(this);
    resolver.allow('ec2:DescribeTransitGateways');
    const tgwId = resolver.lookup(this, 'TgwLookup', 'Custom::SharedTransitGatewayLookup', { Operation: 'TransitGateway', Name: spoke.name, OwnerAccount: config.accounts.network });
    const attachment = new ec2.CfnTransitGatewayVpcAttachment(this, 'Attachment', {
      transitGatewayId: tgwId,
      vpcId: vpc.vpcId,
      subnetIds: vpc.selectSubnets({ subnetGroupName: 'tgw-attach' }).subnetIds,
      options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
      tags: [{ key: 'Name', value: spoke.name }],
    });
    const subnets = (group: string) => vpc.selectSubnets({ subnetGroupName: group }).subnets;
    tgwRoutes(this, 'AlbRoute', subnets('alb'), config.userSites.cidrs, tgwId, attachment);
    tgwRoutes(this, 'AppRoute', subnets('app'), [config.network.cidr], tgwId, attachment);
    tgwRoutes(this, 'DataRoute', subnets('data'), [config.network.cidr], tgwId, attachment);
    if (backup) {
      tgwRoutes(this, 'TransferRoute', subnets('transfer'), [config.dataCentre.backupServer], tgwId, attachment);
    }

    // ---------------- private zone in the hub's Route 53 Profile
    const zone = new route53.PrivateHostedZone(this, 'Zone', { zoneName: spoke.zoneName, vpc, comment: 'Private zone of this spoke, shared through the Route 53 Profile' });
    const shareName = `gov-private-dns-zone-${spoke.zoneName}`;
    const share = sdkLookup(this, 'ProfileShare', 'Custom::AWS', {
      service: 'RAM',
      action: 'getResourceShares',
      parameters: { resourceOwner: 'OTHER-ACCOUNTS', name: shareName, resourceShareStatus: 'ACTIVE' },
      id: shareName,
      outputPaths: ['resourceShares.0.resourceShareArn'],
    }, new iam.PolicyStatement({ actions: ['ram:GetResourceShares'], resources: ['*'] }));
    const shareArn = share.getResponseField('resourceShares.0.resourceShareArn');
    const profileLookup = sdkLookup(this, 'Profile', 'Custom::AWS', {
      service: 'RAM',
      action: 'listResources',
      parameters: { resourceOwner: 'OTHER-ACCOUNTS', resourceShareArns: [shareArn], resourceType: 'route53profiles:Profile' },
      id: shareArn,
      outputPaths: ['resources.0.arn'],
    }, new iam.PolicyStatement({ actions: ['ram:ListResources'], resources: ['*'] }));
    const profileId = Fn.select(1, Fn.split('/', profileLookup.getResponseField('resources.0.arn')));
    new route53profiles.CfnProfileResourceAssociation(this, 'ZoneInProfile', { name: `zone-${spoke.zoneName.replace(/\./g, '-')}`, profileId, resourceArn: `arn:aws:route53:::hostedzone/${zone.hostedZoneId}` });
    new route53profiles.CfnProfileAssociation(this, 'ProfileToVpc', { name: `gov-private-dns-vpc-${spoke.zoneName.replace(/\./g, '-')}`, profileId, resourceId: vpc.vpcId });

    // ---------------- WAF log delivery to the archive
    const streamName = names.wafStreamName;
    const wafRole = new iam.Role(this, 'WafLogRole', {
      roleName: names.wafRoleName,
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:aws:firehose:${this.region}:${account}:deliverystream/${streamName}` } },
      }),
    });
    const wafPolicy = new iam.ManagedPolicy(this, 'WafLogPolicy', {
      roles: [wafRole],
      statements: names.writeStatements([`waf-errors/${account}`, `waf/${account}`], ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectAcl'], ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads']),
    });
    const stream = new firehose.CfnDeliveryStream(this, 'WafLogStream', {
      deliveryStreamName: streamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: names.logBucketArn,
        roleArn: wafRole.roleArn,
        bufferingHints: { intervalInSeconds: 300, sizeInMBs: 5 },
        compressionFormat: 'GZIP',
        cloudWatchLoggingOptions: { enabled: false },
        encryptionConfiguration: { noEncryptionConfig: 'NoEncryption' },
        prefix: `waf/${account}/!{timestamp:yyyy/MM/dd/HH}/`,
        errorOutputPrefix: `waf-errors/${account}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
      },
    });
    stream.node.addDependency(wafPolicy);

    // ---------------- the city-hall application
    const appKey = logsKey(this, 'AppKey', `Encrypts the database, Performance Insights, secrets and logs of ${this.stackName}`);
    const albSg = new ec2.SecurityGroup(this, 'AlbSg', { vpc, description: 'Internal ALB: HTTPS from the user sites only', allowAllOutbound: false });
    const serviceSg = new ec2.SecurityGroup(this, 'ServiceSg', { vpc, description: 'ECS tasks: the container port from the ALB and the operators', allowAllOutbound: false });
    const dbSg = new ec2.SecurityGroup(this, 'DatabaseSg', { vpc, description: 'Database: its port from the ECS tasks and the operators only', allowAllOutbound: false });
    config.userSites.cidrs.forEach((cidr) => albSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), `HTTPS from user site ${cidr}`));
    for (const cidr of config.network.bastion) {
      serviceSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(8080), `Operators (port forwarding) from ${cidr}`);
      dbSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(5432), `Operators (port forwarding) from ${cidr}`);
    }
    serviceSg.connections.allowTo(endpointSg, ec2.Port.tcp(443), 'HTTPS from the ECS tasks to the interface VPC endpoints');
    const prefixList = s3PrefixList(this, 'S3PrefixList');
    serviceSg.addEgressRule(ec2.Peer.prefixList(prefixList), ec2.Port.tcp(443), 'HTTPS to S3 (ECR image layers) through the gateway endpoint');
    serviceSg.connections.allowTo(dbSg, ec2.Port.tcp(5432), 'Application to the database');
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      vpcSubnets: { subnetGroupName: 'alb' },
      internetFacing: false,
      securityGroup: albSg,
      deletionProtection: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      http2Enabled: true,
    });
    alb.logAccessLogs(names.albBucket(this), `alb/${spoke.name}-app`);
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      port: 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: '/health', healthyHttpCodes: '200', interval: Duration.seconds(30) },
    });
    alb.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(spoke.certificateArn)],
      sslPolicy: elbv2.SslPolicy.TLS13_12_RES_PQ,
      open: false,
      defaultTargetGroups: [targetGroup],
    });
    const managed = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet'];
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'Protects the internal ALB',
      visibilityConfig: visibility(`${this.stackName}-app`),
      rules: managed.map((name, priority) => ({
        name: `AWS-${name}`, priority, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } }, visibilityConfig: visibility(`AWS-${name}`),
      })),
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: alb.loadBalancerArn, webAclArn: webAcl.attrArn });
    new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: webAcl.attrArn, logDestinationConfigs: [stream.attrArn], redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const appLogs = new logs.LogGroup(this, 'AppLogs', { encryptionKey: appKey, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const container = taskDefinition.addContainer('App', {
      image: ecs.ContainerImage.fromAsset(path.join(ASSETS, 'sample-app'), { platform: ecrAssets.Platform.LINUX_AMD64 }),
      essential: true,
      user: '1000',
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: 8080, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: appLogs, streamPrefix: 'app' }),
    });
    taskDefinition.addVolume({ name: 'scratch-0' });
    container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'scratch-0', readOnly: false });
    const service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: spoke.desiredCount,
      vpcSubnets: { subnetGroupName: 'app' },
      securityGroups: [serviceSg],
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      healthCheckGracePeriod: Duration.seconds(60),
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    targetGroup.addTarget(service.loadBalancerTarget({ containerName: 'App', containerPort: 8080 }));
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_9 });
    // RDS creates the export log groups unencrypted and never expiring unless they exist: create them first.
    const instanceIdentifier = `${this.stackName.toLowerCase()}-database`;
    const dbLogGroups = ['postgresql', 'upgrade'].map((log) => new logs.LogGroup(this, `DatabaseLogs-${log}`, {
      logGroupName: `/aws/rds/instance/${instanceIdentifier}/${log}`, encryptionKey: appKey, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
    }));
    const database = new rds.DatabaseInstance(this, 'Database', {
      engine,
      instanceIdentifier,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      vpc,
      vpcSubnets: { subnetGroupName: 'data' },
      securityGroups: [dbSg],
      parameterGroup: new rds.ParameterGroup(this, 'DatabaseParameters', { engine, description: 'Refuses database connections without TLS', parameters: { 'rds.force_ssl': '1' } }),
      credentials: rds.Credentials.fromUsername('postgres', { encryptionKey: appKey }),
      manageMasterUserPassword: true,
      databaseName: 'app',
      multiAz: spoke.multiAzDatabase,
      allocatedStorage: 20,
      storageType: rds.StorageType.GP3,
      storageEncryptionKey: appKey,
      backupRetention: Duration.days(spoke.backupRetentionDays),
      deleteAutomatedBackups: false,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      iamAuthentication: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: appKey,
      monitoringInterval: Duration.seconds(60),
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
    });
    dbLogGroups.forEach((g) => database.node.addDependency(g));
    new route53.ARecord(this, 'AppRecord', { zone, recordName: `app.${spoke.zoneName}`, target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(alb)) });
    new route53.CnameRecord(this, 'DbRecord', { zone, recordName: `db.${spoke.zoneName}`, domainName: database.dbInstanceEndpointAddress, ttl: Duration.seconds(60) });

    if (backup) {
      this.backupBridge(vpc, zone, cluster, database, dbSg, endpointSg, prefixList, backup, config);
    }
  }

  /** The SFTP backup bridge of Prod: nightly dump task to a KMS bucket, alarms, Transfer Family SFTP endpoint. */
  private backupBridge(vpc: ec2.Vpc, zone: route53.IHostedZone, cluster: ecs.Cluster, database: rds.DatabaseInstance, dbSg: ec2.SecurityGroup,
    endpointSg: ec2.SecurityGroup, prefixList: string, backup: ReferenceConfig['prod'], config: ReferenceConfig): void {
    const account = this.account;
    const key = logsKey(this, 'BackupKey', 'SFTP backup: database dumps, log groups, alarm topic');
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }));
    const accessLogs = new s3.Bucket(this, 'BackupAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    const bucket = new s3.Bucket(this, 'BackupBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'sftp-backup-dumps/',
      lifecycleRules: [
        { id: 'ExpireDumps', expiration: Duration.days(backup.backup.retentionDays), noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'RemoveExpiredObjectDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });
    const dumpLogs = new logs.LogGroup(this, 'DumpLogs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const namespace = 'GovHybridNetwork/SftpBackupBridge';
    for (const [id, event, metricName] of [['DumpSucceededFilter', 'dump-succeeded', 'DumpSucceeded'], ['DumpFailedFilter', 'dump-failed', 'DumpFailed']]) {
      new logs.MetricFilter(this, id, {
        logGroup: dumpLogs,
        filterPattern: logs.FilterPattern.stringValue('$.event', '=', event),
        metricNamespace: namespace,
        metricName,
        metricValue: '1',
        dimensions: { Bucket: '$.bucket' },
      });
    }
    const transferLogs = new logs.LogGroup(this, 'TransferLogs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const dumpSg = new ec2.SecurityGroup(this, 'DumpSg', { vpc, description: 'Dump task: HTTPS to the VPC endpoints, the database port to the database', allowAllOutbound: false });
    dumpSg.connections.allowTo(endpointSg, ec2.Port.tcp(443), 'HTTPS from the dump task to the interface VPC endpoints');
    dumpSg.addEgressRule(ec2.Peer.prefixList(prefixList), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    dumpSg.connections.allowTo(dbSg, ec2.Port.tcp(5432), 'The database port, for the logical dump');
    const taskRole = new iam.Role(this, 'DumpTaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${this.region}:${account}:*` } } }),
    });
    new iam.ManagedPolicy(this, 'DumpTaskPolicy', {
      roles: [taskRole],
      statements: [
        new iam.PolicyStatement({ actions: ['s3:AbortMultipartUpload', 's3:PutObject'], resources: [bucket.arnForObjects('dumps/*')] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn], conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } } }),
      ],
    });
    const executionRole = new iam.Role(this, 'DumpExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const image = ecs.ContainerImage.fromAsset(path.join(ASSETS, 'sftp-backup'), { platform: ecrAssets.Platform.LINUX_AMD64 });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'DumpTaskDefinition', {
      cpu: 512,
      memoryLimitMiB: 1024,
      taskRole,
      executionRole,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const secret = database.secret!;
    const dump = taskDefinition.addContainer('dump', {
      image,
      essential: true,
      user: '10001:10001',
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: dumpLogs, streamPrefix: 'dump' }),
      environment: {
        DUMP_ENGINE: 'postgresql',
        DB_HOST: database.dbInstanceEndpointAddress,
        DB_PORT: database.dbInstanceEndpointPort,
        DB_NAME: 'app',
        DUMP_BUCKET: bucket.bucketName,
        DUMP_PREFIX: 'dumps',
        TZ: backup.backup.timeZone,
        AWS_REGION: this.region,
        AWS_DEFAULT_REGION: this.region,
      },
      secrets: { DB_USER: ecs.Secret.fromSecretsManager(secret, 'username'), DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password') },
    });
    taskDefinition.addVolume({ name: 'work' });
    dump.addMountPoints({ containerPath: '/work', sourceVolume: 'work', readOnly: false });
    // Reading the database secret grants the execution role kms:Decrypt on the app key through Secrets Manager.
    const deadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', { retentionPeriod: Duration.days(14), enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY });
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:scheduler:${this.region}:${account}:schedule-group/default` } },
      }),
    });
    new iam.ManagedPolicy(this, 'SchedulePolicy', {
      roles: [scheduleRole],
      statements: [
        new iam.PolicyStatement({ actions: ['ecs:RunTask'], resources: [taskDefinition.taskDefinitionArn], conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } } }),
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [executionRole.roleArn, taskRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } }),
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetters.queueArn] }),
      ],
    });
    new scheduler.CfnSchedule(this, 'Schedule', {
      description: 'Logical dump of the database to S3',
      flexibleTimeWindow: { mode: 'OFF' },
      scheduleExpression: backup.backup.schedule,
      scheduleExpressionTimezone: backup.backup.timeZone,
      state: 'ENABLED',
      target: {
        arn: cluster.clusterArn,
        roleArn: scheduleRole.roleArn,
        deadLetterConfig: { arn: deadLetters.queueArn },
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 },
        ecsParameters: {
          taskDefinitionArn: taskDefinition.taskDefinitionArn,
          taskCount: 1,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'DISABLED', securityGroups: [dumpSg.securityGroupId], subnets: vpc.selectSubnets({ subnetGroupName: 'app' }).subnetIds } },
        },
      },
    });
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'SFTP backup alarms', masterKey: key, enforceSSL: true });
    const alarm = (id: string, metricName: string, props: Partial<cloudwatch.CreateAlarmOptions>, description: string) => {
      const a = new cloudwatch.Alarm(this, id, {
        metric: new cloudwatch.Metric({ namespace: 'GovHybridNetwork/SftpBackupBridge', metricName, dimensionsMap: { Bucket: bucket.bucketName }, statistic: 'Sum', period: Duration.hours(1) }),
        threshold: 1,
        evaluationPeriods: 1,
        alarmDescription: description,
        ...props,
      });
      a.addAlarmAction({ bind: () => ({ alarmActionArn: topic.topicArn }) });
      a.addOkAction({ bind: () => ({ alarmActionArn: topic.topicArn }) });
    };
    alarm('MissedRunAlarm', 'DumpSucceeded', { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, evaluationPeriods: 26, datapointsToAlarm: 26, treatMissingData: cloudwatch.TreatMissingData.BREACHING }, 'No database dump has succeeded for 26 hours.');
    alarm('FailedRunAlarm', 'DumpFailed', { comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING }, 'The database dump script reported a failure.');
    const scheduleFailed = new cloudwatch.Alarm(this, 'ScheduleFailedAlarm', {
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'EventBridge Scheduler could not start the database dump task.',
    });
    scheduleFailed.addAlarmAction({ bind: () => ({ alarmActionArn: topic.topicArn }) });
    scheduleFailed.addOkAction({ bind: () => ({ alarmActionArn: topic.topicArn }) });
    const sftpSg = new ec2.SecurityGroup(this, 'SftpSg', { vpc, description: 'SFTP endpoint: TCP 22 from the DC backup server only', allowAllOutbound: false });
    sftpSg.addIngressRule(ec2.Peer.ipv4(config.dataCentre.backupServer), ec2.Port.tcp(22), 'SFTP from the DC backup server');
    const server = new transfer.CfnServer(this, 'SftpServer', {
      domain: 'S3',
      endpointType: 'VPC',
      identityProviderType: 'SERVICE_MANAGED',
      protocols: ['SFTP'],
      securityPolicyName: 'TransferSecurityPolicy-2025-03',
      endpointDetails: { vpcId: vpc.vpcId, subnetIds: vpc.selectSubnets({ subnetGroupName: 'transfer' }).subnetIds, securityGroupIds: [sftpSg.securityGroupId] },
      structuredLogDestinations: [transferLogs.logGroupArn],
    });
    const userRole = new iam.Role(this, 'SftpUserRole', {
      assumedBy: new iam.ServicePrincipal('transfer.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:aws:transfer:${this.region}:${account}:user/${server.attrServerId}/*` } },
      }),
    });
    new iam.ManagedPolicy(this, 'SftpUserPolicy', {
      roles: [userRole],
      statements: [
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['dumps', 'dumps/*'] } } }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('dumps/*')] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn], conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } } }),
      ],
    });
    new transfer.CfnUser(this, 'SftpUser', {
      serverId: server.attrServerId,
      userName: 'backup',
      role: userRole.roleArn,
      homeDirectoryType: 'LOGICAL',
      homeDirectoryMappings: [{ entry: '/', target: `/${bucket.bucketName}/dumps` }],
      sshPublicKeys: [backup.backup.sshPublicKey],
    });
    const serverLookup = sdkLookup(this, 'ServerLookup', 'Custom::TransferServerLookup', {
      service: 'Transfer',
      action: 'describeServer',
      parameters: { ServerId: server.attrServerId },
      id: server.attrServerId,
      outputPaths: ['Server.EndpointDetails.VpcEndpointId', 'Server.HostKeyFingerprint'],
    }, new iam.PolicyStatement({ actions: ['transfer:DescribeServer'], resources: [server.attrArn] }));
    const endpointId = serverLookup.getResponseField('Server.EndpointDetails.VpcEndpointId');
    const endpointLookup = sdkLookup(this, 'EndpointLookup', 'Custom::VpcEndpointLookup', {
      service: 'EC2',
      action: 'describeVpcEndpoints',
      parameters: { VpcEndpointIds: [endpointId] },
      id: endpointId,
      outputPaths: ['VpcEndpoints.0.NetworkInterfaceIds.0', 'VpcEndpoints.0.NetworkInterfaceIds.1'],
    }, new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpoints'], resources: ['*'] }));
    const eniLookup = sdkLookup(this, 'EniLookup', 'Custom::NetworkInterfaceLookup', {
      service: 'EC2',
      action: 'describeNetworkInterfaces',
      parameters: { NetworkInterfaceIds: [endpointLookup.getResponseField('VpcEndpoints.0.NetworkInterfaceIds.0'), endpointLookup.getResponseField('VpcEndpoints.0.NetworkInterfaceIds.1')] },
      id: endpointId,
      outputPaths: ['NetworkInterfaces.0.PrivateIpAddress', 'NetworkInterfaces.1.PrivateIpAddress'],
    }, new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] }));
    new route53.ARecord(this, 'SftpRecord', {
      zone,
      recordName: `sftp.${zone.zoneName}`,
      ttl: Duration.minutes(5),
      comment: 'SFTP endpoint for the DC backup server',
      target: route53.RecordTarget.fromIpAddresses(eniLookup.getResponseField('NetworkInterfaces.0.PrivateIpAddress'), eniLookup.getResponseField('NetworkInterfaces.1.PrivateIpAddress')),
    });
    new CfnOutput(this, 'SftpHostKeyFingerprint', { value: serverLookup.getResponseField('Server.HostKeyFingerprint'), description: 'SSH host key fingerprint of the SFTP endpoint' });
    new CfnOutput(this, 'SftpHostName', { value: `sftp.${config.prod.zoneName}`, description: 'SFTP endpoint name for the backup server' });
  }
}

/** Network account, after the spokes: lookups (accepting), associations, propagations and the Transfer route. */
class NetworkSpokesStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { ctx: Ctx; network: NetworkStack }) {
    super(scope, id, props);
    const { config } = props.ctx;
    const { network } = props;
    const resolver = Resolver.of(this, network.key);
    resolver.allow('ec2:DescribeTransitGatewayAttachments');
    const lookup = (name: string, account: string) => {
      resolver.allowAccept([account, this.account]);
      return resolver.lookup(this, name, 'Custom::TransitGatewaySpokeAttachment', {
        Operation: 'SpokeAttachment', Name: name, TransitGatewayId: network.tgw.attrId, OwnerAccount: account, Accept: 'true', WaitSeconds: '300',
      });
    };
    const prod = lookup('prod', config.accounts.prod);
    const dev = lookup('dev', config.accounts.dev);
    const { users, dc, spokes, network: networkRt } = network.routeTables;
    for (const [name, attachmentId] of [['Prod', prod], ['Dev', dev]]) {
      new ec2.CfnTransitGatewayRouteTableAssociation(this, `Spokes${name}`, { transitGatewayRouteTableId: spokes.ref, transitGatewayAttachmentId: attachmentId });
      new ec2.CfnTransitGatewayRouteTablePropagation(this, `Users${name}`, { transitGatewayRouteTableId: users.ref, transitGatewayAttachmentId: attachmentId });
      new ec2.CfnTransitGatewayRouteTablePropagation(this, `Network${name}`, { transitGatewayRouteTableId: networkRt.ref, transitGatewayAttachmentId: attachmentId });
    }
    new ec2.CfnTransitGatewayRoute(this, 'DcTransfer', { transitGatewayRouteTableId: dc.ref, destinationCidrBlock: config.prod.transferCidr, transitGatewayAttachmentId: prod });
  }
}

/** The baseline reference deployment: same five stacks and deployment order as createReferenceApp. */
export function createBaselineReferenceApp(options: { outdir?: string } = {}): { app: App; stacks: Stack[] } {
  const app = new App({ outdir: options.outdir, context: exampleContext('reference-deployment') });
  const config = REFERENCE_DEFAULTS;
  for (const account of Object.values(config.accounts)) {
    app.node.setContext(`availability-zones:account=${account}:region=${config.region}`, config.availabilityZones);
  }
  const ctx: Ctx = {
    config,
    names: new ArchiveNames(config.namePrefix, config.accounts.security, config.region),
    bastionRoleName: `${config.namePrefix}-ops-bastion`,
  };
  const env = (account: string) => ({ account, region: config.region });
  const security = new SecurityStack(app, 'GovHybrid-Security', { env: env(config.accounts.security), ctx });
  const network = new NetworkStack(app, 'GovHybrid-Network', { env: env(config.accounts.network), ctx });
  network.addStackDependency(security);
  const prod = new SpokeStack(app, 'GovHybrid-Prod', { env: env(config.accounts.prod), ctx, spoke: config.prod, backup: config.prod });
  const dev = new SpokeStack(app, 'GovHybrid-Dev', { env: env(config.accounts.dev), ctx, spoke: config.dev });
  prod.addStackDependency(network);
  dev.addStackDependency(network);
  const spokes = new NetworkSpokesStack(app, 'GovHybrid-NetworkSpokes', { env: env(config.accounts.network), ctx, network });
  [network, prod, dev].forEach((s) => spokes.addStackDependency(s));
  Tags.of(app).add('project', 'cdk-gov-hybrid-network');
  for (const [stack, role] of [[security, 'security'], [network, 'network'], [prod, 'prod'], [dev, 'dev'], [spokes, 'network']] as const) {
    Tags.of(stack).add('account-role', role);
  }
  return { app, stacks: [security, network, prod, dev, spokes] };
}
