import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { acknowledgeFixtureVpcs, DEV, NETWORK, PROD, ReferenceDeployment, referenceDeployment } from './fixtures';

/** Route tables of a template by segment name (from the `Name` tag `gov-hybrid-tgw-<segment>`). */
function routeTableIds(template: Template): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [logicalId, resource] of Object.entries(template.findResources('AWS::EC2::TransitGatewayRouteTable'))) {
    const name = (resource.Properties.Tags as Array<{ Key: string; Value: string }>).find((t) => t.Key === 'Name')!.Value;
    ids[name.replace('gov-hybrid-tgw-', '')] = logicalId;
  }
  return ids;
}

/** How a route table is referenced from the stack under test: a Ref in the hub stack, an import from the routing stack. */
function tableRef(segment: string, inRoutingStack: boolean, ids: Record<string, string>): unknown {
  return inRoutingStack
    ? { 'Fn::ImportValue': Match.stringLikeRegexp(`^Network:ExportsOutputRef${ids[segment]}`) }
    : { Ref: ids[segment] };
}

/** An attachment ID as the hub stack sees it: VPN lookups, or the Network VPC attachment's Ref. */
const userVpn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubUserVpnAttachmentLookup'), 'Id'] };
const dcVpn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubDcVpnAttachmentLookup'), 'Id'] };
const networkVpc = { Ref: 'NetworkVpcTgwAttachment' };
const prodSpoke = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Prod'), 'Id'] };
const devSpoke = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dev'), 'Id'] };

/** The routing resources of one type, each with the segment its route table belongs to. */
function summary(template: Template, type: string, ids: Record<string, string>) {
  return Object.values(template.findResources(type)).map((r) => {
    const table = r.Properties.TransitGatewayRouteTableId;
    const text: string = table.Ref ?? table['Fn::ImportValue'];
    const segment = Object.entries(ids).find(([, id]) => text === id || text.includes(`Ref${id}`))?.[0];
    const { TransitGatewayRouteTableId, ...rest } = r.Properties;
    return { segment, ...rest };
  });
}

describe('reference deployment (ARCHITECTURE.md "Transit Gateway")', () => {
  let ref: ReferenceDeployment;
  let hub: Template;
  let routing: Template;
  let ids: Record<string, string>;

  beforeAll(() => {
    ref = referenceDeployment();
    hub = Template.fromStack(ref.network);
    routing = Template.fromStack(ref.routing);
    ids = routeTableIds(hub);
  });

  test('the transit gateway isolates by default: no default association or propagation, DNS on, ECMP on, no auto-accept', () => {
    hub.resourceCountIs('AWS::EC2::TransitGateway', 1);
    hub.hasResourceProperties('AWS::EC2::TransitGateway', {
      AmazonSideAsn: 64512,
      AutoAcceptSharedAttachments: 'disable',
      DefaultRouteTableAssociation: 'disable',
      DefaultRouteTablePropagation: 'disable',
      DnsSupport: 'enable',
      VpnEcmpSupport: 'enable',
      MulticastSupport: 'disable',
    });
  });

  test('four route tables, one per segment, all in the hub stack', () => {
    expect(Object.keys(ids).sort()).toEqual(['dc', 'network', 'spokes', 'users']);
    routing.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 0);
  });

  test('rt-user: the user VPN is associated; Prod and Dev are propagated; nothing else', () => {
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayRouteTableId: { Ref: ids.users }, TransitGatewayAttachmentId: userVpn,
    });
    for (const spoke of [prodSpoke, devSpoke]) {
      routing.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
        TransitGatewayRouteTableId: tableRef('users', true, ids), TransitGatewayAttachmentId: spoke,
      });
    }
    expect(summary(hub, 'AWS::EC2::TransitGatewayRouteTableAssociation', ids).filter((s) => s.segment === 'users')).toHaveLength(1);
    expect(summary(hub, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'users')).toHaveLength(0);
    expect(summary(routing, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'users')).toHaveLength(2);
    expect(summary(hub, 'AWS::EC2::TransitGatewayRoute', ids).filter((s) => s.segment === 'users')).toHaveLength(0);
  });

  test('rt-dc: the DC VPN is associated; the Network VPC is propagated; only the Transfer /26 goes to Prod', () => {
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayRouteTableId: { Ref: ids.dc }, TransitGatewayAttachmentId: dcVpn,
    });
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: { Ref: ids.dc }, TransitGatewayAttachmentId: networkVpc,
    });
    const dcRoutes = summary(routing, 'AWS::EC2::TransitGatewayRoute', ids).filter((s) => s.segment === 'dc');
    expect(dcRoutes).toEqual([{ segment: 'dc', DestinationCidrBlock: '10.0.20.0/26', TransitGatewayAttachmentId: { 'Fn::GetAtt': [expect.stringMatching(/^Prod/), 'Id'] } }]);
    expect(summary(routing, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'dc')).toHaveLength(0);
    expect(summary(hub, 'AWS::EC2::TransitGatewayRoute', ids).filter((s) => s.segment === 'dc')).toHaveLength(0);
    // Exactly these: one association, one propagation (the user VPN and the spokes are never propagated here).
    expect(summary(hub, 'AWS::EC2::TransitGatewayRouteTableAssociation', ids).filter((s) => s.segment === 'dc')).toHaveLength(1);
    expect(summary(routing, 'AWS::EC2::TransitGatewayRouteTableAssociation', ids).filter((s) => s.segment === 'dc')).toHaveLength(0);
    expect(summary(hub, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'dc')).toHaveLength(1);
  });

  test('rt-spoke: Prod and Dev are associated; Network VPC propagated; user sites and the backup server /32 are static', () => {
    for (const spoke of [prodSpoke, devSpoke]) {
      routing.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
        TransitGatewayRouteTableId: tableRef('spokes', true, ids), TransitGatewayAttachmentId: spoke,
      });
    }
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: { Ref: ids.spokes }, TransitGatewayAttachmentId: networkVpc,
    });
    // The user VPN is static: "propagating" it adds a static route for the CIDR behind it.
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: { Ref: ids.spokes }, DestinationCidrBlock: '172.16.0.0/16', TransitGatewayAttachmentId: userVpn,
    });
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: { Ref: ids.spokes }, DestinationCidrBlock: '10.0.200.10/32', TransitGatewayAttachmentId: dcVpn,
    });
    const spokeRoutes = summary(hub, 'AWS::EC2::TransitGatewayRoute', ids).filter((s) => s.segment === 'spokes');
    expect(spokeRoutes.map((r) => r.DestinationCidrBlock).sort()).toEqual(['10.0.200.10/32', '172.16.0.0/16']);
    // Prod and Dev do not see each other: neither is propagated into rt-spoke.
    expect(summary(routing, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'spokes')).toHaveLength(0);
    expect(summary(hub, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'spokes')).toHaveLength(1);
  });

  test('rt-network: the Network VPC is associated; Prod and Dev propagated; operator terminals and DC DNS go to the DC VPN', () => {
    hub.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayRouteTableId: { Ref: ids.network }, TransitGatewayAttachmentId: networkVpc,
    });
    for (const spoke of [prodSpoke, devSpoke]) {
      routing.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
        TransitGatewayRouteTableId: tableRef('network', true, ids), TransitGatewayAttachmentId: spoke,
      });
    }
    const routes = summary(hub, 'AWS::EC2::TransitGatewayRoute', ids).filter((s) => s.segment === 'network');
    expect(routes.map((r) => r.DestinationCidrBlock).sort()).toEqual(['10.0.210.0/24', '10.0.250.10/32', '10.0.250.11/32']);
    for (const destination of ['10.0.210.0/24', '10.0.250.10/32', '10.0.250.11/32']) {
      hub.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
        TransitGatewayRouteTableId: { Ref: ids.network }, DestinationCidrBlock: destination, TransitGatewayAttachmentId: dcVpn,
      });
    }
    // Exactly these: the Network VPC never propagates into its own table, the VPNs never propagate into it.
    expect(summary(hub, 'AWS::EC2::TransitGatewayRouteTableAssociation', ids).filter((s) => s.segment === 'network')).toHaveLength(1);
    expect(summary(routing, 'AWS::EC2::TransitGatewayRouteTableAssociation', ids).filter((s) => s.segment === 'network')).toHaveLength(0);
    expect(summary(hub, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'network')).toHaveLength(0);
    expect(summary(routing, 'AWS::EC2::TransitGatewayRouteTablePropagation', ids).filter((s) => s.segment === 'network')).toHaveLength(2);
    expect(summary(routing, 'AWS::EC2::TransitGatewayRoute', ids).filter((s) => s.segment === 'network')).toHaveLength(0);
  });

  test('no blackhole routes in the reference (isolation comes from not declaring routes)', () => {
    for (const t of [hub, routing]) {
      expect(Object.values(t.findResources('AWS::EC2::TransitGatewayRoute')).filter((r) => r.Properties.Blackhole)).toEqual([]);
    }
  });

  test('every attachment is associated exactly once: 3 in the hub stack, 2 in the routing stack', () => {
    hub.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 3);
    routing.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 2);
  });

  test('the RAM share names the Prod and Dev accounts, external principals off', () => {
    hub.resourceCountIs('AWS::RAM::ResourceShare', 1);
    hub.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'gov-hybrid-tgw-share',
      AllowExternalPrincipals: false,
      Principals: [PROD, DEV],
      ResourceArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'TransitGatewayArn'] }],
    });
  });

  test('both VPNs are static, IKEv2 only, AES-256, SHA-2, DH 14+, logging to KMS-encrypted log groups', () => {
    hub.resourceCountIs('AWS::EC2::VPNConnection', 2);
    const tunnel = {
      IKEVersions: [{ Value: 'ikev2' }],
      Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }, { Value: 'AES256' }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }, { Value: 'AES256' }],
      Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }, { Value: 'SHA2-384' }, { Value: 'SHA2-512' }],
      Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }, { Value: 'SHA2-384' }, { Value: 'SHA2-512' }],
      Phase1DHGroupNumbers: [{ Value: 14 }, { Value: 19 }, { Value: 20 }, { Value: 21 }],
      Phase2DHGroupNumbers: [{ Value: 14 }, { Value: 19 }, { Value: 20 }, { Value: 21 }],
      // The log group's ARN without the ":*" of its `Arn` attribute.
      LogOptions: {
        CloudwatchLogOptions: {
          LogEnabled: true,
          LogOutputFormat: 'json',
          LogGroupArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:222222222222:log-group:', { Ref: Match.stringLikeRegexp('TunnelLogs') }]] },
        },
      },
    };
    for (const [name, address, asn] of [['user-vpn', '203.0.113.10', 65010], ['dc-vpn', '203.0.113.20', 65020]] as const) {
      hub.hasResourceProperties('AWS::EC2::CustomerGateway', { Type: 'ipsec.1', IpAddress: address, BgpAsn: asn, Tags: [{ Key: 'Name', Value: name }] });
      hub.hasResourceProperties('AWS::EC2::VPNConnection', {
        Type: 'ipsec.1',
        StaticRoutesOnly: true,
        TransitGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'Id'] },
        VpnTunnelOptionsSpecifications: [tunnel, tunnel],
        Tags: [{ Key: 'Name', Value: name }],
      });
    }
    hub.resourceCountIs('AWS::Logs::LogGroup', 3); // two VPN tunnel log groups and the resolver's
    hub.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubLogKey'), 'Arn'] }, RetentionInDays: 365 });
  });

  test('the VPN attachment lookup filters by VPN connection, transit gateway and type (correction 2)', () => {
    hub.hasResourceProperties('Custom::TransitGatewayVpnAttachment', {
      Operation: 'VpnAttachment',
      Name: 'dc-vpn',
      VpnConnectionId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubDcVpn'), 'VpnConnectionId'] },
      TransitGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'Id'] },
    });
  });

  test("the hub stack's lookup policy allows only ec2:DescribeTransitGatewayAttachments (no resource-level permissions exist)", () => {
    hub.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    hub.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GovHybridTransitResolverLogs'), 'Arn'] } },
          { Action: 'ec2:DescribeTransitGatewayAttachments', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
    hub.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test("the routing stack's lookup policy: describe attachments, accept only the spoke accounts' (and hub's) attachments", () => {
    routing.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: Match.anyValue() },
          { Action: 'ec2:DescribeTransitGatewayAttachments', Effect: 'Allow', Resource: '*' },
          {
            // One statement for every lookup of the stack: the policy grows by one ARN per spoke account.
            Action: 'ec2:AcceptTransitGatewayVpcAttachment',
            Effect: 'Allow',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:ap-northeast-1:${PROD}:transit-gateway-attachment/*`]] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:ap-northeast-1:${NETWORK}:transit-gateway-attachment/*`]] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:ap-northeast-1:${DEV}:transit-gateway-attachment/*`]] },
            ],
          },
        ],
      },
    });
  });

  test('the spoke lookups find each account\'s attachment on the hub\'s transit gateway, accept it, and wait up to 5 minutes', () => {
    for (const [name, account] of [['prod', PROD], ['dev', DEV]]) {
      routing.hasResourceProperties('Custom::TransitGatewaySpokeAttachment', {
        Operation: 'SpokeAttachment',
        Name: name,
        OwnerAccount: account,
        TransitGatewayId: { 'Fn::ImportValue': Match.stringLikeRegexp('^Network:ExportsOutputFnGetAttHub') },
        Accept: 'true',
        WaitSeconds: '300',
      });
    }
  });

  test('the flow log of the transit gateway goes to the Security account archive, one-minute aggregation', () => {
    hub.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'TransitGateway',
      ResourceId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'Id'] },
      LogDestinationType: 's3',
      LogDestination: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::log-archive-111111111111/tgw-flow-logs/']] },
      MaxAggregationInterval: 60,
    });
  });

  test('Prod attaches on its attachment subnets and routes only what it must answer or reach, after the attachment', () => {
    const prod = Template.fromStack(ref.prod);
    prod.hasResourceProperties('Custom::SharedTransitGatewayLookup', { Operation: 'TransitGateway', OwnerAccount: NETWORK });
    prod.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SpokeTransitGatewayLookup'), 'Id'] },
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpctgwattachSubnet1') }, { Ref: Match.stringLikeRegexp('^VpctgwattachSubnet2') }],
      Tags: [{ Key: 'Name', Value: 'prod' }],
    });
    const routes = Object.values(prod.findResources('AWS::EC2::Route'));
    const byTable = routes.map((r) => `${r.Properties.RouteTableId.Ref.replace(/Subnet[12]RouteTable.*$/, '')} ${r.Properties.DestinationCidrBlock}`);
    expect(byTable.sort()).toEqual([
      'Vpcalb 172.16.0.0/16', 'Vpcalb 172.16.0.0/16',
      'Vpcapp 192.168.0.0/16', 'Vpcapp 192.168.0.0/16',
      'Vpcdata 192.168.0.0/16', 'Vpcdata 192.168.0.0/16',
      'Vpctransfer 10.0.200.10/32', 'Vpctransfer 10.0.200.10/32',
    ]);
    const attachment = Object.keys(prod.findResources('AWS::EC2::TransitGatewayVpcAttachment'))[0];
    for (const route of routes) {
      expect(route.DependsOn).toEqual([attachment]);
    }
    prod.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }), { Action: 'ec2:DescribeTransitGateways', Effect: 'Allow', Resource: '*' }] },
    });
  });

  test('Dev has no route to the backup server: only Prod hosts the Transfer endpoint', () => {
    const dev = Template.fromStack(ref.dev);
    const destinations = Object.values(dev.findResources('AWS::EC2::Route')).map((r) => r.Properties.DestinationCidrBlock);
    expect([...new Set(destinations)].sort()).toEqual(['172.16.0.0/16', '192.168.0.0/16']);
  });

  test('cdk-nag AwsSolutions and NIST 800-53 R5 report nothing on any of the four stacks', () => {
    for (const stack of [ref.network, ref.routing, ref.prod, ref.dev]) {
      acknowledgeFixtureVpcs(stack);
      expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
      expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
    }
  });
});
