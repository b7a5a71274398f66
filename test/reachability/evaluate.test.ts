import { Scenario } from './scenario';
import { getAtt, TemplateBuilder } from './templates';
import { FlowProtocol, HopKind, NetworkEndpoint as E, PathDirection, QueryResult, Verdict } from '../../src/reachability';

const TCP = FlowProtocol.TCP;
const host = E.onPremises('dc-host');
const server = E.resource('Net/Server');

/** The hop of a given kind and direction in the first path. */
function hop(result: QueryResult, kind: HopKind, direction = PathDirection.FORWARD, path = 0) {
  return result.paths[path].hops.find((h) => h.kind === kind && h.direction === direction);
}

describe('the hub scenario', () => {
  test('GIVEN the hub WHEN the DC host opens 443 to the server THEN it is allowed both ways, hop by hop', () => {
    const result = new Scenario().model().query(host, server, TCP, 443);

    expect(result.verdict).toBe(Verdict.ALLOWED);
    expect(result.paths).toHaveLength(1);
    expect(result.paths[0].hops.map((h) => `${h.direction} ${h.kind} ${h.resource}`)).toEqual([
      'forward vpn Net/DcVpn (VPN attachment)',
      'forward transit-gateway-route-table Net/RtVpn',
      'forward transit-gateway-attachment Net/Attachment',
      'forward network-acl-outbound Net/Vpc (default network ACL)',
      'forward route-table Net/RtTgwSubnets',
      'forward network-acl-inbound Net/Vpc (default network ACL)',
      'forward security-group-ingress Net/ServerSg',
      'forward destination Net/AppA',
      'return route-table Net/RtAppSubnets',
      'return network-acl-outbound Net/Vpc (default network ACL)',
      'return network-acl-inbound Net/Vpc (default network ACL)',
      'return transit-gateway-attachment Net/Attachment',
      'return transit-gateway-route-table Net/RtApp',
      'return vpn Net/DcVpn (VPN attachment)',
    ]);
    expect(hop(result, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)?.detail).toBe('propagated 10.0.0.0/18 → Net/Attachment (Net/AppPropagation) matches 10.0.1.0/24');
    expect(hop(result, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE, PathDirection.RETURN)?.detail)
      .toBe('static 10.0.200.10/32 → Net/DcVpn (VPN attachment) (Net/HostReturn) matches 10.0.200.10/32');
    // The reply leaves the server's subnet by the 10.0.0.0/16 route: the local route 10.0.0.0/18 does not contain 10.0.200.10.
    expect(hop(result, HopKind.ROUTE_TABLE, PathDirection.RETURN)?.detail).toBe('10.0.0.0/16 → transit gateway (Net/AppToDc) matches 10.0.200.10/32');
  });

  test('the VPN attachment IDs come from the describeTransitGatewayAttachments lookups; the model has no issue', () => {
    const model = new Scenario().model();
    expect(model.issues).toEqual([]);
    expect(model.summary).toMatchObject({
      stacks: 1, vpcs: 1, subnets: 4, transitGateways: 1, transitGatewayRouteTables: 2, attachments: 3, endpoints: 1,
    });
  });
});

describe('longest-prefix match with overlapping CIDRs', () => {
  test('a DC summary 10.0.0.0/16 that overlaps the VPC is answered only outside the VPC: the local route keeps the rest inside', () => {
    const s = new Scenario();
    s.t.resources.ServerSg.Properties.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16' }];
    s.tgwRoute('SummaryReturn', 'RtApp', '10.0.0.0/16', s.vpnAttachment('Dc'));

    const result = s.model().query(E.onPremises('dc-summary'), server, TCP, 443);

    expect(result.verdict).toBe(Verdict.PARTIAL);
    const blocked = result.paths.find((p) => p.verdict === Verdict.BLOCKED)!;
    expect(blocked.sourceAddresses).toEqual(['10.0.0.0/18']);
    // Hop details name the first address range of a merged path as an example; the path lists them all.
    expect(blocked.reason).toBe('return path: the local route of Net/Vpc keeps 10.0.0.0/24 inside that VPC, but the destination on-premises dc-summary is not in it ' +
      '(a route more specific than the local route cannot point at a transit gateway: https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html)');
    const allowed = result.paths.filter((p) => p.verdict === Verdict.ALLOWED).flatMap((p) => p.sourceAddresses);
    expect(allowed).toEqual(['10.0.64.0/18', '10.0.128.0/17']);
  });

  test('a more specific static route wins over a less specific one whatever their order', () => {
    const s = new Scenario();
    // 10.0.200.0/24 → user VPN is less specific than the /32 → DC VPN: the /32 decides.
    s.tgwRoute('AWideRoute', 'RtApp', '10.0.200.0/24', s.vpnAttachment('User'));
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.ALLOWED);
  });

  test('a route more specific than the local route towards a transit gateway is unknown: EC2 rejects it (correction 3)', () => {
    const s = new Scenario();
    s.vpcRoute('InsideVpc', 'RtTgwSubnets', '10.0.1.0/25');
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.UNKNOWN);
    expect(result.reason).toBe('Net/InsideVpc routes 10.0.1.0/25, more specific than the local route 10.0.0.0/18 of Net/Vpc, to a transit gateway; ' +
      'EC2 rejects such a route, so the deployment would fail (ARCHITECTURE.md correction 3, https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html)');
  });
});

describe('transit gateway route priority', () => {
  test('a static blackhole beats a propagated route of the same prefix', () => {
    const s = new Scenario();
    s.tgwRoute('Blackhole', 'RtVpn', '10.0.0.0/18');
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(hop(result, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toEqual({
      direction: PathDirection.FORWARD,
      kind: HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
      verdict: Verdict.BLOCKED,
      resource: 'Net/RtVpn',
      detail: 'static blackhole 10.0.0.0/18 (Net/Blackhole) drops 10.0.1.0/24; it beats propagated 10.0.0.0/18 → Net/Attachment (Net/AppPropagation) of equal length (static routes win)',
    });
  });

  test('a more specific blackhole drops only its part of a propagated range', () => {
    const s = new Scenario();
    s.tgwRoute('Blackhole', 'RtVpn', '10.0.2.0/24');
    const model = s.model();
    expect(model.query(host, server, TCP, 443).verdict).toBe(Verdict.ALLOWED);
    const vpc = model.query(host, E.vpc('Net/Vpc'), TCP, 443);
    expect(vpc.forwardVerdict).toBe(Verdict.PARTIAL);
    expect(vpc.paths.find((p) => p.destinationAddresses.includes('10.0.2.0/24'))?.reason).toBe('static blackhole 10.0.2.0/24 (Net/Blackhole) drops 10.0.2.0/24');
  });

  test('a static route to another attachment beats the propagated route of the same prefix', () => {
    const s = new Scenario();
    s.tgwRoute('Detour', 'RtVpn', '10.0.0.0/18', s.vpnAttachment('User'));
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.reason).toBe('10.0.1.0/24 leaves AWS through Net/UserVpn (VPN attachment), but the destination is resource Net/Server, which is in AWS');
  });

  test('two propagated VPC routes of the same prefix are ambiguous: unknown, naming both', () => {
    const s = new Scenario();
    const other = new TemplateBuilder('Other', '333333333333');
    const vpc = other.add('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/18' });
    other.add('TgwA', 'AWS::EC2::Subnet', { VpcId: vpc, CidrBlock: '10.0.9.0/28', AvailabilityZone: 'ap-northeast-1a' });
    other.add('Attachment', 'AWS::EC2::TransitGatewayVpcAttachment', { TransitGatewayId: 'tgw-0123456789abcdef0', VpcId: vpc, SubnetIds: [{ Ref: 'TgwA' }] });
    s.propagate('OtherPropagation', 'RtVpn', getAtt('OtherLookup', 'TransitGatewayAttachments.0.TransitGatewayAttachmentId'));
    s.t.add('OtherLookup', 'Custom::AWS', { ServiceToken: 'x', Create: JSON.stringify({ service: 'EC2', action: 'describeTransitGatewayAttachments', parameters: { Filters: [{ Name: 'resource-owner-id', Values: ['333333333333'] }] } }) });
    const result = s.model({ externalIds: { 'tgw-0123456789abcdef0': 'Net/Tgw' } }, other).query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.UNKNOWN);
    expect(result.reason).toBe('Net/RtVpn has 2 equal routes for 10.0.0.0/18 (propagated 10.0.0.0/18 → Net/Attachment (Net/AppPropagation); ' +
      'propagated 10.0.0.0/18 → Other/Attachment (Net/OtherPropagation)); which one AWS uses is not defined offline');
  });
});

describe('the return path', () => {
  test('GIVEN the host return route is removed THEN the flow is blocked on the return path at RtApp, though packets arrive', () => {
    const s = new Scenario();
    s.remove('HostReturn');
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.forwardVerdict).toBe(Verdict.ALLOWED);
    expect(result.reason).toBe('return path: no route for 10.0.200.10/32 in Net/RtApp (packets are delivered one way)');
    expect(hop(result, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE, PathDirection.RETURN)).toMatchObject({ verdict: Verdict.BLOCKED, resource: 'Net/RtApp' });
  });

  test('GIVEN the reply to the DC host is routed to the user VPN THEN it is blocked: it must leave through the VPN the host is declared behind', () => {
    const s = new Scenario();
    s.remove('HostReturn');
    s.tgwRoute('WrongReturn', 'RtApp', '10.0.200.10/32', s.vpnAttachment('User'));
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(hop(result, HopKind.VPN, PathDirection.RETURN)).toEqual({
      direction: PathDirection.RETURN,
      kind: HopKind.VPN,
      verdict: Verdict.BLOCKED,
      resource: 'Net/UserVpn (VPN attachment)',
      detail: '10.0.200.10/32 leaves AWS through Net/UserVpn (VPN attachment), but the destination is dc-host, which is declared behind Net/DcVpn (VPN attachment)',
    });
  });

  test('GIVEN the reply route is missing in the subnet route table THEN the return path is blocked there', () => {
    const s = new Scenario();
    s.remove('AppToUsers');
    const result = s.model().query(E.onPremises('users'), server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.reason).toBe('return path: no route for 172.16.0.0/16 in Net/RtAppSubnets (packets are delivered one way)');
  });
});

describe('security groups are stateful, network ACLs are not', () => {
  test('a server whose security group has no egress rule still answers: replies need no security group rule', () => {
    const result = new Scenario().model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.ALLOWED);
    expect(result.paths[0].hops.filter((h) => h.direction === PathDirection.RETURN && h.kind.startsWith('security-group'))).toEqual([]);
  });

  test('the same server cannot open a connection: its security group has no egress rule', () => {
    const result = new Scenario().model().query(server, host, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.reason).toBe('no egress rule of Net/ServerSg allows tcp 443 to 10.0.200.10/32');
  });

  test('a security group without inline egress rules allows all egress (the EC2 default)', () => {
    const s = new Scenario();
    delete s.t.resources.ServerSg.Properties.SecurityGroupEgress;
    expect(s.model().query(server, host, TCP, 443).verdict).toBe(Verdict.ALLOWED);
  });

  test('a separate SecurityGroupEgress resource removes that default: only its rule allows', () => {
    const s = new Scenario();
    delete s.t.resources.ServerSg.Properties.SecurityGroupEgress;
    s.t.add('ServerEgress', 'AWS::EC2::SecurityGroupEgress', { GroupId: getAtt('ServerSg', 'GroupId'), IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.200.10/32' });
    const model = s.model();
    expect(model.query(server, host, TCP, 443).verdict).toBe(Verdict.BLOCKED);
    expect(model.query(server, host, TCP, 22).verdict).toBe(Verdict.ALLOWED);
  });

  function withAcl(s: Scenario, entries: Array<Record<string, unknown>>): void {
    s.t.add('Acl', 'AWS::EC2::NetworkAcl', { VpcId: { Ref: 'Vpc' } });
    s.t.add('AclAssociation', 'AWS::EC2::SubnetNetworkAclAssociation', { SubnetId: { Ref: 'AppA' }, NetworkAclId: { Ref: 'Acl' } });
    entries.forEach((e, i) => s.t.add(`Entry${i}`, 'AWS::EC2::NetworkAclEntry', { NetworkAclId: { Ref: 'Acl' }, CidrBlock: '0.0.0.0/0', RuleAction: 'allow', Protocol: 6, ...e }));
  }

  test('a network ACL that allows 443 in but no ephemeral ports out blocks the reply', () => {
    const s = new Scenario();
    withAcl(s, [{ RuleNumber: 100, Egress: false, PortRange: { From: 443, To: 443 } }]);
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.forwardVerdict).toBe(Verdict.ALLOWED);
    expect(hop(result, HopKind.NETWORK_ACL_OUTBOUND, PathDirection.RETURN)).toEqual({
      direction: PathDirection.RETURN,
      kind: HopKind.NETWORK_ACL_OUTBOUND,
      verdict: Verdict.BLOCKED,
      resource: 'Net/Acl',
      detail: 'Net/Acl denies tcp 1024-65535 to 10.0.200.10/32 (the final * rule) (outbound of Net/AppA)',
    });
  });

  test('a network ACL that allows only part of the ephemeral ports out makes the flow partial', () => {
    const s = new Scenario();
    withAcl(s, [
      { RuleNumber: 100, Egress: false, PortRange: { From: 443, To: 443 } },
      { RuleNumber: 100, Egress: true, PortRange: { From: 32768, To: 60999 } },
    ]);
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.PARTIAL);
    expect(hop(result, HopKind.NETWORK_ACL_OUTBOUND, PathDirection.RETURN)?.detail).toBe('Net/Acl allows tcp 1024-65535 to 10.0.200.10/32 only on 32768-60999 ' +
      '(rule 100 allow tcp 32768-60999 to 0.0.0.0/0); the rest is denied (the final * rule) (outbound of Net/AppA)');
  });

  test('network ACL rules apply in rule-number order: a lower deny beats a higher allow', () => {
    const s = new Scenario();
    withAcl(s, [
      { RuleNumber: 200, Egress: false, PortRange: { From: 443, To: 443 } },
      { RuleNumber: 100, Egress: false, PortRange: { From: 443, To: 443 }, CidrBlock: '10.0.200.0/24', RuleAction: 'deny' },
      { RuleNumber: 100, Egress: true, PortRange: { From: 1024, To: 65535 } },
    ]);
    const model = s.model();
    const result = model.query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.reason).toBe('Net/Acl denies tcp 443 from 10.0.200.10/32 (rule 100 deny tcp 443 from 10.0.200.0/24) (inbound of Net/AppA)');
    expect(model.query(E.onPremises('users'), server, TCP, 443).verdict).toBe(Verdict.ALLOWED);
  });
});

describe('unknown values are named, never assumed away', () => {
  test('a route whose transit gateway ID comes from an unmodelled custom resource makes the flow unknown, naming it', () => {
    const s = new Scenario();
    s.remove('AppToDc');
    s.t.add('Thing', 'Custom::Thing', { ServiceToken: 'arn:aws:lambda:ap-northeast-1:222222222222:function:thing' });
    s.vpcRoute('AppToDc', 'RtAppSubnets', '10.0.0.0/16', { TransitGatewayId: getAtt('Thing', 'TgwId') });
    const model = s.model();

    const result = model.query(host, server, TCP, 443);

    expect(result.verdict).toBe(Verdict.UNKNOWN);
    expect(result.forwardVerdict).toBe(Verdict.ALLOWED);
    expect(result.reason).toBe('return path: the target of the route 10.0.0.0/16 (Net/AppToDc) is not known offline: Net/AppToDc TransitGatewayId: ' +
      'Net/Thing is a custom resource of type Custom::Thing; its attribute TgwId is only known at deployment');
    expect(model.issues).toContainEqual({
      kind: 'unresolved',
      resource: 'Net/AppToDc',
      resourceType: 'AWS::EC2::Route',
      property: 'TransitGatewayId',
      reason: 'Net/Thing is a custom resource of type Custom::Thing; its attribute TgwId is only known at deployment',
    });
  });

  test('a BGP VPN without declared sites propagates unknown routes: lookups in that table are unknown unless a /32 decides', () => {
    const s = new Scenario();
    s.t.resources.UserVpn.Properties.StaticRoutesOnly = false;
    s.sites = s.sites.filter((x) => x.name !== 'users');
    s.propagate('UsersPropagation', 'RtApp', s.vpnAttachment('User'));
    expect(s.model().query(host, server, TCP, 443).verdict).toBe(Verdict.ALLOWED);

    s.remove('HostReturn');
    s.tgwRoute('HostReturn', 'RtApp', '10.0.200.0/24', s.vpnAttachment('Dc'));
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.UNKNOWN);
    expect(result.reason).toBe('return path: cannot tell which route of Net/RtApp matches 10.0.200.10/32: Net/UsersPropagation: Net/UserVpn (VPN attachment) uses BGP ' +
      'and propagates what on-premises advertises; declare the sites behind it in onPremisesSites');
  });

  test('a BGP VPN propagates the CIDRs its declared sites advertise', () => {
    const s = new Scenario();
    s.t.resources.UserVpn.Properties.StaticRoutesOnly = false;
    s.remove('UsersReturn');
    s.propagate('UsersPropagation', 'RtApp', s.vpnAttachment('User'));
    const result = s.model().query(E.onPremises('users'), server, TCP, 443);
    expect(result.verdict).toBe(Verdict.ALLOWED);
    expect(hop(result, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE, PathDirection.RETURN)?.detail)
      .toBe('propagated 172.16.0.0/16 → Net/UserVpn (VPN attachment) (BGP, advertised by users; Net/UsersPropagation) matches 172.16.0.0/16');
  });
});

describe('values that decide a rule', () => {
  test('a security group rule whose port range is only known at deployment is unknown, never "all ports"', () => {
    const s = new Scenario();
    s.t.add('Thing', 'Custom::Thing', { ServiceToken: 'x' });
    s.t.add('Lb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Subnets: [{ Ref: 'AppA' }] });
    s.t.resources.ServerSg.Properties.SecurityGroupIngress = [
      { IpProtocol: 'tcp', FromPort: getAtt('Thing', 'Port'), ToPort: getAtt('Thing', 'Port'), CidrIp: '10.0.200.10/32' },
      { IpProtocol: 'tcp', FromPort: getAtt('Lb', 'ListenerPort'), ToPort: getAtt('Lb', 'ListenerPort'), CidrIp: '172.16.0.0/16' },
    ];
    const model = s.model();
    const fromCustom = model.query(host, server, TCP, 22);
    expect(fromCustom.verdict).toBe(Verdict.UNKNOWN);
    expect(fromCustom.reason).toBe('cannot tell whether Net/ServerSg allow tcp 22 from 10.0.200.10/32: Net/ServerSg: Net/Thing is a custom resource of type Custom::Thing; ' +
      'its attribute Port is only known at deployment');
    const fromAttribute = model.query(E.onPremises('users'), server, TCP, 22);
    expect(fromAttribute.verdict).toBe(Verdict.UNKNOWN);
    expect(fromAttribute.reason).toBe('cannot tell whether Net/ServerSg allow tcp 22 from 172.16.0.0/16: Net/ServerSg: the port range Net/Lb.ListenerPort-Net/Lb.ListenerPort ' +
      'is only known at deployment');
  });

  test('egress to an AWS-managed prefix list (S3 through a gateway endpoint) never reaches a private address', () => {
    const s = new Scenario();
    s.t.add('S3List', 'Custom::AWS', { ServiceToken: 'x', Create: JSON.stringify({ service: 'EC2', action: 'DescribePrefixLists', parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.ap-northeast-1.s3'] }] } }) });
    s.t.resources.ServerSg.Properties.SecurityGroupEgress = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: getAtt('S3List', 'PrefixLists.0.PrefixListId') }];
    const model = s.model();
    expect(model.issues).toEqual([]);
    const result = model.query(server, host, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.reason).toBe('no egress rule of Net/ServerSg allows tcp 443 to 10.0.200.10/32');
  });
});

describe('availability zones and attachments', () => {
  test('a resource in an AZ where the attachment has no subnet cannot reach the transit gateway', () => {
    const s = new Scenario();
    s.t.resources.Attachment.Properties.SubnetIds = [{ Ref: 'TgwA' }];
    s.t.resources.Server.Properties.SubnetId = { Ref: 'AppC' };
    const result = s.model().query(server, host, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
  });

  test('the reply from a server in an AZ without an attachment subnet is blocked at the attachment, naming the AZ', () => {
    const s = new Scenario();
    s.t.resources.Attachment.Properties.SubnetIds = [{ Ref: 'TgwA' }];
    s.t.resources.Server.Properties.SubnetId = { Ref: 'AppC' };
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(hop(result, HopKind.TRANSIT_GATEWAY_ATTACHMENT, PathDirection.RETURN)?.detail).toBe('Net/Attachment has no subnet in ap-northeast-1c, so resources in Net/AppC ' +
      'cannot reach the transit gateway (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html)');
  });

  test('an attachment associated with no route table drops its traffic', () => {
    const s = new Scenario();
    s.remove('DcVpnAssociation');
    const result = s.model().query(host, server, TCP, 443);
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(result.reason).toBe('Net/DcVpn (VPN attachment) is associated with no transit gateway route table, so the transit gateway drops its traffic');
  });

  test('with default association and propagation, attachments use the default route table', () => {
    const s = new Scenario();
    s.t.resources.Tgw.Properties = {};
    for (const id of ['DcVpnAssociation', 'UserVpnAssociation', 'AppAssociation', 'AppPropagation', 'HostReturn', 'UsersReturn']) {
      s.remove(id);
    }
    const result = s.model().query(E.onPremises('users'), server, TCP, 443);
    // Static VPNs propagate nothing: the reply to 172.16.0.0/16 has no route in the default table.
    expect(result.verdict).toBe(Verdict.BLOCKED);
    expect(hop(result, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)?.detail).toBe('propagated 10.0.0.0/18 → Net/Attachment (default propagation of Net/Tgw) matches 10.0.1.0/24');
    expect(result.reason).toBe('return path: no route for 172.16.0.0/16 in Net/Tgw (default route table) (packets are delivered one way)');
  });
});

describe('other routes', () => {
  test('a gateway endpoint route never captures a private address', () => {
    const s = new Scenario();
    s.t.add('S3', 'AWS::EC2::VPCEndpoint', { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.ap-northeast-1.s3', RouteTableIds: [{ Ref: 'RtAppSubnets' }] });
    expect(s.model().query(host, server, TCP, 443).verdict).toBe(Verdict.ALLOWED);
  });

  test('a default route to an internet gateway is not followed: flows that use it are unknown, and the gateway is listed as not modelled', () => {
    const s = new Scenario();
    s.t.add('Igw', 'AWS::EC2::InternetGateway', {});
    s.vpcRoute('Default', 'RtAppSubnets', '0.0.0.0/0', { GatewayId: { Ref: 'Igw' } });
    s.sites.push({ name: 'partner', cidrs: ['203.0.113.0/24'], vpnConnection: 'Net/UserVpn' });
    s.t.resources.ServerSg.Properties.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }];
    s.tgwRoute('Partner', 'RtVpn', '0.0.0.0/0', { Ref: 'Attachment' });
    const model = s.model();
    const result = model.query(E.onPremises('partner'), server, TCP, 443);
    expect(result.verdict).toBe(Verdict.UNKNOWN);
    expect(result.reason).toBe('return path: the route 0.0.0.0/0 (Net/Default) leads to internet gateway Net/Igw, which the model does not follow');
    expect(model.issues).toContainEqual({
      kind: 'not-modelled',
      resource: 'Net/Igw',
      resourceType: 'AWS::EC2::InternetGateway',
      property: undefined,
      reason: 'internet access is not modelled; routes to it are reported as unknown',
    });
  });

  test('ICMP echo requests are answered by echo replies through network ACLs', () => {
    const s = new Scenario();
    s.t.resources.ServerSg.Properties.SecurityGroupIngress = [{ IpProtocol: 'icmp', FromPort: 8, ToPort: -1, CidrIp: '10.0.200.10/32' }];
    s.t.add('Acl', 'AWS::EC2::NetworkAcl', { VpcId: { Ref: 'Vpc' } });
    s.t.add('AclAssociation', 'AWS::EC2::SubnetNetworkAclAssociation', { SubnetId: { Ref: 'AppA' }, NetworkAclId: { Ref: 'Acl' } });
    s.t.add('In', 'AWS::EC2::NetworkAclEntry', { NetworkAclId: { Ref: 'Acl' }, CidrBlock: '0.0.0.0/0', RuleAction: 'allow', Protocol: 1, Icmp: { Type: 8, Code: -1 }, RuleNumber: 100, Egress: false });
    s.t.add('Out', 'AWS::EC2::NetworkAclEntry', { NetworkAclId: { Ref: 'Acl' }, CidrBlock: '0.0.0.0/0', RuleAction: 'allow', Protocol: 1, Icmp: { Type: 0, Code: -1 }, RuleNumber: 100, Egress: true });
    const model = s.model();
    expect(model.query(host, server, FlowProtocol.ICMP, 8).verdict).toBe(Verdict.ALLOWED);
    expect(model.query(host, server, FlowProtocol.ICMP, 13).verdict).toBe(Verdict.BLOCKED);
  });
});

describe('security group references', () => {
  function twoServers(s: Scenario): void {
    s.t.add('ClientSg', 'AWS::EC2::SecurityGroup', { GroupDescription: 'client', VpcId: { Ref: 'Vpc' } });
    s.t.add('Client', 'AWS::EC2::Instance', { ImageId: 'ami-1', SubnetId: { Ref: 'AppC' }, SecurityGroupIds: [getAtt('ClientSg', 'GroupId')] });
    s.t.add('FromClient', 'AWS::EC2::SecurityGroupIngress', { GroupId: getAtt('ServerSg', 'GroupId'), IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, SourceSecurityGroupId: getAtt('ClientSg', 'GroupId') });
  }

  test('a rule that references the client security group allows the client in the same VPC', () => {
    const s = new Scenario();
    twoServers(s);
    const result = s.model().query(E.resource('Net/Client'), server, TCP, 8443);
    expect(result.verdict).toBe(Verdict.ALLOWED);
    expect(hop(result, HopKind.SECURITY_GROUP_INGRESS)?.detail).toBe('ingress rule tcp 8443 from Net/ClientSg allows tcp 8443 from 10.0.2.0/24');
  });

  test('the same rule does not allow a subnet as a whole: it has no security group', () => {
    const s = new Scenario();
    twoServers(s);
    expect(s.model().query(E.subnet('Net/AppC'), server, TCP, 8443).verdict).toBe(Verdict.BLOCKED);
  });
});
