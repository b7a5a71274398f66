import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DEV, envOf, hubOf, NETWORK, PROD, referenceAppOf } from './fixtures';
import {
  GovHybridTransitHub, ITransitGatewayAttachment, SegmentRouteKind, SpokeAttachmentLookup, TransitGatewayAttachment,
  TransitGatewayAttachmentType, VpnRouting,
} from '../../src/transit-hub';

const LOCAL_ROUTE_DOC = 'https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html';

function networkStack(app: App = referenceAppOf(), id = 'Net'): Stack {
  return new Stack(app, id, { env: envOf(NETWORK) });
}

function vpcAttachment(stack: Stack, name: string, cidrs: string[]): ITransitGatewayAttachment {
  return TransitGatewayAttachment.fromVpcAttachmentId(stack, `Attachment-${name}`, { attachmentId: `tgw-attach-${name}`, name, cidrs });
}

/** The text of the hub's synthesis validation error. */
function validationError(stack: Stack): string {
  try {
    Template.fromStack(stack);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synthesis to fail');
}

function expectProblems(stack: Stack, problems: string[], path = `${stack.stackName}/Hub`): void {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  expect(validationError(stack)).toBe([
    'Validation failed with the following errors:',
    `  [${path}] Invalid GovHybridTransitHub props at ${path} (${count}):`,
    ...problems.map((p) => `  - ${p}`),
  ].join('\n'));
}

describe('GovHybridTransitHub defaults', () => {
  test('a transit gateway that isolates by default, a per-minute flow log, no share and no key until needed', () => {
    // GIVEN a hub with only the flow log destination
    const stack = networkStack();
    const hub = hubOf(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGateway', {
      AmazonSideAsn: 64512,
      AutoAcceptSharedAttachments: 'disable',
      DefaultRouteTableAssociation: 'disable',
      DefaultRouteTablePropagation: 'disable',
      DnsSupport: 'enable',
      VpnEcmpSupport: 'enable',
      MulticastSupport: 'disable',
      SecurityGroupReferencingSupport: 'disable',
      Tags: [{ Key: 'Name', Value: 'gov-hybrid-tgw' }],
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'TransitGateway', MaxAggregationInterval: 60, LogDestinationType: 's3', TrafficType: Match.absent(),
    });
    template.resourceCountIs('AWS::RAM::ResourceShare', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 0);
    expect(stack.resolve(hub.transitGatewayId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(hub.transitGateway), 'Id'] });
    expect(hub.segments).toEqual([]);
  });

  test('every option is passed through; the share lists accounts, OUs and the organization with external principals off', () => {
    // GIVEN
    const stack = networkStack();
    const ou = 'arn:aws:organizations::999999999999:ou/o-abcdefghij/ou-ab12-cdefghij';
    const org = 'arn:aws:organizations::999999999999:organization/o-abcdefghij';
    hubOf(stack, {
      transitGatewayName: 'city-hub',
      description: 'City hall hub',
      amazonSideAsn: 4200000001,
      vpnEcmpSupport: false,
      autoAcceptSharedAttachments: true,
      shareWithAccounts: [PROD],
      shareWithOrganizationalUnitArns: [ou],
      shareWithOrganizationArn: org,
      resourceShareName: 'city-hub-to-spokes',
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGateway', {
      AmazonSideAsn: 4200000001,
      AutoAcceptSharedAttachments: 'enable',
      VpnEcmpSupport: 'disable',
      Description: 'City hall hub',
      Tags: [{ Key: 'Name', Value: 'city-hub' }],
    });
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'city-hub-to-spokes',
      AllowExternalPrincipals: false,
      Principals: [PROD, ou, org],
    });
  });

  test('a given log key is used for the VPN logs and gets the CloudWatch Logs statement; no key is created', () => {
    const stack = networkStack();
    const key = new kms.Key(stack, 'Mine', { enableKeyRotation: true });
    const hub = hubOf(stack, { logEncryptionKey: key });
    hub.addVpn('Vpn', { name: 'sites', customerGatewayAddress: '203.0.113.10', onPremisesCidrs: ['172.16.0.0/16'] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchLogsEncryption', Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' } })]) },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    expect(hub.logEncryptionKey).toBe(key);
  });

  test('the flow log goes to the destination the caller gives', () => {
    const stack = networkStack();
    const bucket = new s3.Bucket(stack, 'Local', { enforceSSL: true });
    new GovHybridTransitHub(stack, 'Hub', { flowLogDestination: ec2.FlowLogDestination.toS3(bucket) });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Local'), 'Arn'] },
    });
  });

  test('with auto-accept on, spoke lookups do not accept and get no accept permission', () => {
    // GIVEN
    const app = referenceAppOf();
    const stack = networkStack(app);
    const hub = hubOf(stack, { autoAcceptSharedAttachments: true });
    const routing = networkStack(app, 'Routing');

    // WHEN
    const prod = hub.lookupSpokeAttachment(routing, 'Prod', { name: 'prod', ownerAccount: PROD, cidrs: ['10.0.0.0/18'] });
    hub.addSegment('spokes').associate(prod);

    // THEN
    const template = Template.fromStack(routing);
    template.hasResourceProperties('Custom::TransitGatewaySpokeAttachment', { Accept: 'false' });
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(statements.map((s: { Action: unknown }) => s.Action)).toEqual([['logs:CreateLogStream', 'logs:PutLogEvents'], 'ec2:DescribeTransitGatewayAttachments']);
  });

  test('a default hub passes cdk-nag AwsSolutions and NIST 800-53 R5', () => {
    const stack = networkStack();
    const hub = hubOf(stack, { shareWithAccounts: [PROD, DEV] });
    hub.addSegment('users');
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });
});

describe('GovHybridTransitHub props validation', () => {
  test('malformed ASN, quota, account IDs and OU/organization ARNs are reported together', () => {
    const stack = networkStack();
    expect(() => hubOf(stack, {
      amazonSideAsn: 65535,
      routeTableQuota: 0,
      shareWithAccounts: ['1234', NETWORK],
      shareWithOrganizationalUnitArns: ['ou-ab12-cdefghij'],
      shareWithOrganizationArn: 'o-abcdefghij',
    })).toThrow([
      'Invalid GovHybridTransitHub props at Net/Hub (6 problems):',
      '  - `amazonSideAsn` 65535 is not a private ASN; use 64512-65534 or 4200000000-4294967294.',
      '  - `routeTableQuota` 0 is not a route table quota; use an integer from 1 to 10000.',
      '  - `shareWithAccounts[0]` 1234 is not an AWS account ID; use the 12 digits of the account.',
      '  - `shareWithAccounts[1]` 222222222222 is the account that owns the transit gateway; share it only with the spoke accounts.',
      '  - `shareWithOrganizationalUnitArns[0]` ou-ab12-cdefghij is not an organizational unit ARN; write it as arn:aws:organizations::<management account>:ou/o-<org id>/ou-<ou id>.',
      '  - `shareWithOrganizationArn` o-abcdefghij is not an organization ARN; write it as arn:aws:organizations::<management account>:organization/o-<org id>.',
    ].join('\n'));
  });
});

describe('spoke attachment lookups', () => {
  test('malformed owner account, CIDRs, VPC ID and wait are reported together', () => {
    const app = referenceAppOf();
    const hub = hubOf(networkStack(app));
    const routing = networkStack(app, 'Routing');
    expect(() => hub.lookupSpokeAttachment(routing, 'Prod', {
      name: 'prod', ownerAccount: '33333333333', cidrs: ['10.0.0.0/17', '10.0.0.1/18'], vpcId: 'vpc-xyz', waitForAttachment: Duration.minutes(11),
    })).toThrow([
      'Invalid SpokeAttachmentLookup props at Routing/Prod (4 problems):',
      '  - `ownerAccount` 33333333333 is not an AWS account ID; use the 12 digits of the account.',
      '  - `cidrs[1]` 10.0.0.1/18 has host bits set; its network address is 10.0.0.0/18.',
      '  - `vpcId` vpc-xyz is not a VPC ID; write it as vpc- followed by 8 or 17 hexadecimal digits.',
      '  - `waitForAttachment` 660 is not a wait in whole seconds; use an integer from 0 to 600.',
    ].join('\n'));
    expect(() => hub.lookupSpokeAttachment(routing, 'Dev', { name: 'dev', ownerAccount: DEV, cidrs: [] })).toThrow(
      "`cidrs` [] is empty; give the spoke VPC's CIDR blocks from the address plan, e.g. 10.0.0.0/18.");
  });

  test('a VPC ID narrows the lookup; the wait is configurable', () => {
    const app = referenceAppOf();
    const hub = hubOf(networkStack(app));
    const routing = networkStack(app, 'Routing');
    const prod = hub.lookupSpokeAttachment(routing, 'Prod', {
      name: 'prod', ownerAccount: PROD, cidrs: ['10.0.0.0/18'], vpcId: 'vpc-0123456789abcdef0', waitForAttachment: Duration.seconds(0),
    });
    hub.addSegment('spokes').associate(prod);
    Template.fromStack(routing).hasResourceProperties('Custom::TransitGatewaySpokeAttachment', {
      VpcId: 'vpc-0123456789abcdef0', WaitSeconds: '0', Accept: 'true',
    });
    expect(prod.ownerAccount).toBe(PROD);
    expect(prod.attachmentType).toBe(TransitGatewayAttachmentType.VPC);
  });
});

describe('segments', () => {
  test('a segment is a tagged route table; its declarations are readable back', () => {
    // GIVEN
    const stack = networkStack();
    const hub = hubOf(stack);
    const spoke = vpcAttachment(stack, 'prod', ['10.0.0.0/18']);
    const shared = vpcAttachment(stack, 'shared', ['10.100.0.0/16']);

    // WHEN
    const prod = hub.addSegment('prod', { routeTableName: 'rt-prod' });
    const sharedSegment = hub.addSegment('shared');
    prod.associate(spoke);
    sharedSegment.associate(shared);
    prod.propagateFrom(shared);
    prod.addBlackholeRoute('10.0.64.0/18');

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', { Tags: [{ Key: 'Name', Value: 'rt-prod' }] });
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', { Tags: [{ Key: 'Name', Value: 'gov-hybrid-tgw-shared' }] });
    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: { Ref: stack.getLogicalId(prod.routeTable) },
      DestinationCidrBlock: '10.0.64.0/18',
      Blackhole: true,
      TransitGatewayAttachmentId: Match.absent(),
    });
    expect(prod.associatedAttachments).toEqual([spoke]);
    expect(prod.propagatedAttachments).toEqual([shared]);
    expect(prod.routes).toEqual([{ destinationCidr: '10.0.64.0/18', kind: SegmentRouteKind.BLACKHOLE, attachment: undefined }]);
    expect(hub.findSegment('prod')).toBe(prod);
    expect(hub.findSegment('missing')).toBeUndefined();
  });

  test('propagating a statically routed VPN adds one static route per on-premises CIDR', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const vpn = hub.addVpn('Vpn', { name: 'sites', customerGatewayAddress: '203.0.113.10', onPremisesCidrs: ['172.16.0.0/16', '172.17.0.0/16'] });
    const sites = hub.addSegment('sites');
    const spokes = hub.addSegment('spokes');
    sites.associate(vpn);
    spokes.propagateFrom(vpn);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 0);
    for (const cidr of ['172.16.0.0/16', '172.17.0.0/16']) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
        TransitGatewayRouteTableId: { Ref: stack.getLogicalId(spokes.routeTable) },
        DestinationCidrBlock: cidr,
        TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubVpnAttachmentLookup'), 'Id'] },
      });
    }
    expect(spokes.routes.map((r) => [r.destinationCidr, r.kind])).toEqual([
      ['172.16.0.0/16', SegmentRouteKind.STATIC_FROM_PROPAGATION], ['172.17.0.0/16', SegmentRouteKind.STATIC_FROM_PROPAGATION],
    ]);
  });

  test('a BGP VPN is propagated like a VPC: a route table propagation, no static routes', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const vpn = hub.addVpn('Vpn', { name: 'bgp-site', customerGatewayAddress: '203.0.113.30', customerGatewayAsn: 65030, onPremisesCidrs: ['172.16.0.0/12'], routing: VpnRouting.BGP });
    hub.addSegment('sites').associate(vpn);
    const spokes = hub.addSegment('spokes');
    spokes.propagateFrom(vpn);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: { Ref: stack.getLogicalId(spokes.routeTable) },
      TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubVpnAttachmentLookup'), 'Id'] },
    });
    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 0);
    expect(spokes.routes).toEqual([]);
  });
});

describe('seed 001 scale design: one segment per department environment, blackholes between environments', () => {
  const departments = ['mfg', 'sales', 'service', 'iot'];
  const environments = ['dev', 'test', 'staging', 'prod'];
  const envCidr = (d: number, e: number) => `10.${d}.${e * 16}.0/20`;

  test('16 isolated segments, each reaching its own environment and shared services, blackholing the other environments', () => {
    // GIVEN a hub and one VPC attachment per department environment, plus shared services
    const stack = networkStack();
    const hub = hubOf(stack, { shareWithOrganizationalUnitArns: departments.map((_, d) => `arn:aws:organizations::999999999999:ou/o-abcdefghij/ou-ab12-dept000${d}`) });
    const shared = vpcAttachment(stack, 'shared-services', ['10.100.0.0/16']);
    const common = hub.addSegment('common-services');
    common.associate(shared);

    // WHEN
    departments.forEach((department, d) => {
      environments.forEach((environment, e) => {
        const segment = hub.addSegment(`${department}-${environment}`);
        const vpc = vpcAttachment(stack, `${department}-${environment}-app`, [envCidr(d, e)]);
        segment.associate(vpc);
        segment.propagateFrom(vpc);
        segment.propagateFrom(shared);
        common.propagateFrom(vpc);
        environments.forEach((_, other) => other !== e && segment.addBlackholeRoute(envCidr(d, other)));
      });
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 17);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 17);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 16 * 2 + 16);
    const blackholes = Object.values(template.findResources('AWS::EC2::TransitGatewayRoute'));
    expect(blackholes).toHaveLength(16 * 3);
    expect(blackholes.every((r) => r.Properties.Blackhole === true)).toBe(true);
    const mfgProd = hub.findSegment('mfg-prod')!;
    expect(mfgProd.routes.map((r) => r.destinationCidr)).toEqual(['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20']);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });

  test('more route tables than the quota fail unless the raised quota is declared', () => {
    // GIVEN 21 segments on a hub with the default quota
    const stack = networkStack();
    const hub = hubOf(stack);
    for (let i = 0; i < 21; i++) {
      hub.addSegment(`segment-${i}`);
    }
    // THEN
    expectProblems(stack, [
      '`segments` 21 route tables exceed the quota of 20 transit gateway route tables per transit gateway ' +
      '(https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html). Request an increase of "Transit gateway ' +
      'route tables per transit gateway" in Service Quotas and set `routeTableQuota` to the approved value, or use fewer segments.',
    ]);

    // GIVEN the same with an approved quota of 25
    const raised = networkStack(referenceAppOf());
    const raisedHub = hubOf(raised, { routeTableQuota: 25 });
    for (let i = 0; i < 21; i++) {
      raisedHub.addSegment(`segment-${i}`);
    }
    Template.fromStack(raised).resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 21);
  });
});

describe('routing validation at synthesis', () => {
  test('spoke CIDRs overlapping each other', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const spokes = hub.addSegment('spokes');
    spokes.associate(vpcAttachment(stack, 'prod', ['10.0.0.0/18']));
    spokes.associate(vpcAttachment(stack, 'dev', ['10.0.32.0/19']));
    expectProblems(stack, [
      '`attachments[dev].cidrs` 10.0.32.0/19 overlaps 10.0.0.0/18 of attachment prod; VPCs attached to one transit gateway ' +
      'need distinct CIDRs, or routes to them are ambiguous. Give each spoke its own range from the address plan.',
    ]);
  });

  test('an on-premises address inside the CIDR of a VPC that must answer it (correction 3)', () => {
    // GIVEN a backup server address inside the Prod VPC, routed back from the segment Prod is associated with
    const stack = networkStack();
    const hub = hubOf(stack);
    const dcVpn = hub.addVpn('DcVpn', { name: 'dc-vpn', customerGatewayAddress: '203.0.113.20', onPremisesCidrs: ['10.0.0.0/16'] });
    hub.addSegment('dc').associate(dcVpn);
    const spokes = hub.addSegment('spokes');
    spokes.associate(vpcAttachment(stack, 'prod', ['10.0.0.0/18']));
    spokes.addStaticRoute('10.0.5.10/32', dcVpn);
    // A summary that contains the whole VPC is allowed: it is less specific than the local route.
    spokes.addStaticRoute('10.0.0.0/16', dcVpn);

    expectProblems(stack, [
      '`segments[spokes].staticRoutes[0]` 10.0.5.10/32 lies inside 10.0.0.0/18, the CIDR of the VPC behind attachment prod. ' +
      "A VPC route more specific than the VPC's local route cannot point at a transit gateway, so replies to this address " +
      `would stay inside the VPC (${LOCAL_ROUTE_DOC}). Fix it on one side: source-NAT the on-premises host on the data-centre ` +
      'side to an address outside 10.0.0.0/18, or host the endpoint in a VPC whose range does not contain it.',
    ]);
  });

  test('a static route to an attachment that no segment associates, or to addresses not behind it', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const dc = hub.addSegment('dc');
    const prod = vpcAttachment(stack, 'prod', ['10.0.0.0/18']);
    dc.addStaticRoute('10.0.20.0/26', prod);
    dc.addStaticRoute('10.0.128.0/26', prod);
    expectProblems(stack, [
      '`segments[dc].staticRoutes[0]` "10.0.20.0/26 -> prod" points at attachment prod, which no segment of this hub associates, ' +
      'so its replies would have no route table; associate it with the segment whose routes it must use (e.g. <segment>.associate(prod)).',
      '`segments[dc].staticRoutes[1]` "10.0.128.0/26 -> prod" points at attachment prod, which no segment of this hub associates, ' +
      'so its replies would have no route table; associate it with the segment whose routes it must use (e.g. <segment>.associate(prod)).',
      '`segments[dc].staticRoutes[1]` 10.0.128.0/26 is not behind attachment prod (its CIDRs: 10.0.0.0/18); route only ' +
      'addresses the attachment delivers, or add the CIDR to its declared CIDRs.',
    ]);
  });

  test('an attachment associated with two segments, or twice with one; a route and a blackhole for the same destination', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const users = hub.addSegment('users');
    const spokes = hub.addSegment('spokes');
    const prod = vpcAttachment(stack, 'prod', ['10.0.0.0/18']);
    spokes.associate(prod);
    spokes.associate(prod);
    users.associate(prod);
    users.addStaticRoute('10.0.0.0/18', prod);
    users.addBlackholeRoute('10.0.0.0/18');
    expectProblems(stack, [
      '`attachments[prod]` ["users","spokes"] is associated with more than one segment; an attachment is associated ' +
      'with exactly one route table. Associate it once, and use propagateFrom or addStaticRoute to make it reachable from the other segments.',
      '`segments[users].blackholeRoutes[0]` 10.0.0.0/18 is also the destination of `segments[users].staticRoutes[0]`; a route table has one route per destination, remove one of them.',
      '`segments[spokes].associate` prod is associated with this segment twice; associate it once.',
    ]);
  });

  test('a blackhole that cancels a propagation exactly', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const users = hub.addSegment('users');
    const spokes = hub.addSegment('spokes');
    const prod = vpcAttachment(stack, 'prod', ['10.0.0.0/18']);
    spokes.associate(prod);
    users.propagateFrom(prod);
    users.propagateFrom(prod);
    users.addBlackholeRoute('10.0.0.0/18');
    expectProblems(stack, [
      '`segments[users].propagateFrom` prod is propagated into this segment twice; propagate it once.',
      '`segments[users].blackholeRoutes[0]` 10.0.0.0/18 blackholes exactly the CIDR that attachment prod propagates into this ' +
      'segment, so the propagation has no effect; remove the blackhole route or the propagation.',
    ]);
  });

  test('malformed segment names and CIDRs, duplicate segments and attachment names, empty or malformed attachment CIDRs', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const a = hub.addSegment('users');
    hub.addSegment('users');
    hub.addSegment('bad name');
    const first = vpcAttachment(stack, 'prod', ['10.0.0.0/18']);
    const second = TransitGatewayAttachment.fromAttachmentAttributes(stack, 'Second', {
      attachmentId: 'tgw-attach-2', name: 'prod', cidrs: ['10.0.64.0/33'], propagatesRoutes: true, attachmentType: TransitGatewayAttachmentType.OTHER,
    });
    const empty = TransitGatewayAttachment.fromVpcAttachmentId(stack, 'Empty', { attachmentId: 'tgw-attach-3', name: 'no cidrs!', cidrs: [] });
    a.associate(first);
    a.propagateFrom(second);
    a.propagateFrom(empty);
    const others = hub.addSegment('others');
    others.associate(second);
    others.associate(empty);
    a.addStaticRoute('10.0.20.0/33', first);
    a.addBlackholeRoute('10.0.64.0');
    expectProblems(stack, [
      '`segments[1]` users is already a segment of this hub; give each segment its own name.',
      '`segments[2]` "bad name" is not a usable segment name; use 1-64 letters, digits, `-` or `_`, starting with a letter or digit.',
      '`segments[users].staticRoutes[0]` 10.0.20.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '`segments[users].blackholeRoutes[0]` 10.0.64.0 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '`attachments[prod].cidrs[0]` 10.0.64.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '`attachments[no cidrs!].cidrs` [] is empty; declare the CIDRs behind the attachment (a VPC CIDR, or the on-premises networks behind a VPN).',
      '`attachments[prod].name` prod names two attachments (Net/Attachment-prod and Net/Second); give each attachment its own name.',
      '`attachments[no cidrs!].name` "no cidrs!" is not a usable attachment name; use 1-64 letters, digits, `-` or `_`, starting with a letter or digit.',
    ]);
  });

  test('a propagation from an attachment that no segment associates: a one-way path, refused', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    const users = hub.addSegment('users');
    const prod = vpcAttachment(stack, 'prod', ['10.0.0.0/18']);
    users.associate(vpcAttachment(stack, 'dev', ['10.0.64.0/18']));
    users.propagateFrom(prod);
    expectProblems(stack, [
      '`segments[users].propagateFrom` prod is propagated into this segment, but no segment of this hub associates attachment prod, ' +
        'so its replies would have no route table; associate it with the segment whose routes it must use (e.g. <segment>.associate(prod)).',
    ]);
    hub.addSegment('spokes').associate(prod);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('an attachment of another account cannot be routed by the hub', () => {
    const app = referenceAppOf();
    const stack = networkStack(app);
    const hub = hubOf(stack);
    const prodStack = new Stack(app, 'Prod', { env: envOf(PROD) });
    hub.addSegment('spokes').associate(vpcAttachment(prodStack, 'prod', ['10.0.0.0/18']));
    expect(() => app.synth()).toThrow(
      '`attachments[prod]` 333333333333/ap-northeast-1 is in another account or region than the transit gateway ' +
      '(222222222222/ap-northeast-1); only the transit gateway owner can associate, propagate and route attachments. In the ' +
      'Network account, use hub.lookupSpokeAttachment for a spoke created by GovHybridSpokeAttachment in its own account.');
  });

  test('a BGP VPN with the Amazon side ASN', () => {
    const stack = networkStack();
    const hub = hubOf(stack);
    hub.addVpn('Vpn', { name: 'bgp', customerGatewayAddress: '203.0.113.30', customerGatewayAsn: 64512, onPremisesCidrs: ['172.16.0.0/12'], routing: VpnRouting.BGP });
    expectProblems(stack, [
      "`vpns[0].customerGatewayAsn` 64512 equals the transit gateway's Amazon side ASN; a BGP VPN needs different ASNs on each side, change `customerGatewayAsn` or `amazonSideAsn`.",
    ]);
  });
});

describe('lookup refresh and the per-stack resolver', () => {
  test('a refresh key is passed to the lookup so that changing it runs the lookup again', () => {
    const app = referenceAppOf();
    const hub = hubOf(networkStack(app));
    const routing = networkStack(app, 'Routing');
    hub.lookupSpokeAttachment(routing, 'Prod', { name: 'prod', ownerAccount: PROD, cidrs: ['10.0.0.0/18'], refreshKey: '2026-11-21' });
    hub.lookupSpokeAttachment(routing, 'Dev', { name: 'dev', ownerAccount: DEV, cidrs: ['10.0.64.0/18'] });
    const template = Template.fromStack(routing);
    template.hasResourceProperties('Custom::TransitGatewaySpokeAttachment', { Name: 'prod', RefreshKey: '2026-11-21' });
    template.hasResourceProperties('Custom::TransitGatewaySpokeAttachment', { Name: 'dev', RefreshKey: Match.absent() });
  });

  test('two lookups of one stack with different log keys fail instead of dropping one key', () => {
    const routing = networkStack(referenceAppOf(), 'Routing');
    const first = new kms.Key(routing, 'First');
    const second = new kms.Key(routing, 'Second');
    const lookup = (id: string, ownerAccount: string, cidr: string, logEncryptionKey: kms.IKey) => new SpokeAttachmentLookup(routing, id, {
      transitGatewayId: 'tgw-0123456789abcdef0', name: id.toLowerCase(), ownerAccount, cidrs: [cidr], logEncryptionKey,
    });
    lookup('Prod', PROD, '10.0.0.0/18', first);
    expect(() => lookup('Dev', DEV, '10.0.64.0/18', second))
      .toThrow('The transit hub resolver of stack Routing already encrypts its logs with Routing/First; give every transit hub ' +
        'construct of the stack the same `logEncryptionKey` (Routing/Second differs).');
  });
});
