import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { acknowledgeFixtureVpcs, envOf, NETWORK, plannedVpc, PROD, referenceAppOf } from './fixtures';
import { GovHybridSpokeAttachment, GovHybridSpokeAttachmentProps } from '../../src/transit-hub';

const TGW = 'tgw-0123456789abcdef0';
const LOCAL_ROUTE_DOC = 'https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html';

function prodStack(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(referenceAppOf(), 'Prod', { env: envOf(PROD) });
  const vpc = plannedVpc(stack, 'Vpc', '10.0.0.0/18', {
    'tgw-attach': ['10.0.63.0/28', '10.0.63.16/28'],
    'alb': ['10.0.1.0/24', '10.0.2.0/24'],
    'app': ['10.0.10.0/24', '10.0.11.0/24'],
    'transfer': ['10.0.20.0/27', '10.0.20.32/27'],
  });
  return { stack, vpc };
}

function spoke(stack: Stack, vpc: ec2.IVpc, props: Partial<GovHybridSpokeAttachmentProps> = {}): GovHybridSpokeAttachment {
  return new GovHybridSpokeAttachment(stack, 'Spoke', {
    vpc,
    attachmentSubnets: { subnetGroupName: 'tgw-attach' },
    name: 'prod',
    transitGatewayId: TGW,
    ...props,
  });
}

describe('GovHybridSpokeAttachment', () => {
  test('with a known transit gateway ID: the attachment and its routes, no lookup function', () => {
    // GIVEN
    const { stack, vpc } = prodStack();

    // WHEN
    const attachment = spoke(stack, vpc, { routes: [{ subnets: { subnetGroupName: 'transfer' }, destinations: ['10.0.200.10/32'] }] });
    const added = attachment.addRoutes({ subnets: { subnetGroupName: 'app' }, destinations: ['192.168.0.0/16', '10.0.0.0/16'] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: TGW,
      VpcId: { Ref: Match.stringLikeRegexp('^Vpc') },
      Options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
      Tags: [{ Key: 'Name', Value: 'prod' }],
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::EC2::Route', 6);
    expect(added).toHaveLength(4);
    expect(attachment.routes).toHaveLength(6);
    template.hasResourceProperties('AWS::EC2::Route', {
      RouteTableId: { Ref: Match.stringLikeRegexp('^VpctransferSubnet1RouteTable') },
      DestinationCidrBlock: '10.0.200.10/32',
      TransitGatewayId: TGW,
    });
    // A summary containing the whole VPC is less specific than the local route, so it is allowed.
    template.hasResourceProperties('AWS::EC2::Route', { DestinationCidrBlock: '10.0.0.0/16', RouteTableId: { Ref: Match.stringLikeRegexp('^VpcappSubnet2RouteTable') } });
    expect(stack.resolve(attachment.attachmentId)).toEqual({ Ref: stack.getLogicalId(attachment.attachment) });
  });

  test('with the transit gateway owner: a deploy-time lookup with only ec2:DescribeTransitGateways; cdk-nag clean', () => {
    const { stack, vpc } = prodStack();
    const attachment = spoke(stack, vpc, { transitGatewayId: undefined, transitGatewayOwnerAccount: NETWORK });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::SharedTransitGatewayLookup', { Operation: 'TransitGateway', Name: 'prod', OwnerAccount: NETWORK });
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SpokeTransitGatewayLookup'), 'Id'] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: Match.anyValue() },
          { Action: 'ec2:DescribeTransitGateways', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
    expect(stack.resolve(attachment.transitGatewayId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SpokeTransitGatewayLookup/), 'Id'] });
    acknowledgeFixtureVpcs(stack);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });

  test('an on-premises address inside the VPC CIDR fails with the local-route explanation and both fixes (correction 3)', () => {
    const { stack, vpc } = prodStack();
    expect(() => spoke(stack, vpc, {
      routes: [{ subnets: { subnetGroupName: 'transfer' }, destinations: ['10.0.5.10/32', '10.0.32.0/18'] }],
    })).toThrow([
      'Invalid GovHybridSpokeAttachment props at Prod/Spoke (2 problems):',
      '  - `routes[0].destinations[0]` 10.0.5.10/32 lies inside 10.0.0.0/18, the CIDR of the VPC of spoke prod. A VPC route ' +
      "more specific than the VPC's local route cannot point at a transit gateway, so replies to this address would stay " +
      `inside the VPC (${LOCAL_ROUTE_DOC}). Fix it on one side: source-NAT the on-premises host on the data-centre side to ` +
      'an address outside 10.0.0.0/18, or host the endpoint in a VPC whose range does not contain it.',
      '  - `routes[0].destinations[1]` 10.0.32.0/18 has host bits set; its network address is 10.0.0.0/18.',
    ].join('\n'));
  });

  test('the VPC CIDR of an imported VPC is read from its attributes', () => {
    const stack = new Stack(referenceAppOf(), 'Prod', { env: envOf(PROD) });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.0.0.0/18',
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
      isolatedSubnetIds: ['subnet-1', 'subnet-2'],
      isolatedSubnetRouteTableIds: ['rtb-1', 'rtb-1'],
    });
    // Both subnets share rtb-1: one route, not two.
    const attachment = new GovHybridSpokeAttachment(stack, 'Spoke', {
      vpc, attachmentSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, name: 'prod', transitGatewayId: TGW,
    });
    expect(attachment.addRoutes({ subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, destinations: ['172.16.0.0/16'] })).toHaveLength(1);
    expect(() => attachment.addRoutes({ subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, destinations: ['10.0.20.0/26'] }))
      .toThrow('`routes[1].destinations[0]` 10.0.20.0/26 lies inside 10.0.0.0/18, the CIDR of the VPC of spoke prod.');
  });

  test('imported subnets without a route table ID cannot get routes', () => {
    const stack = new Stack(referenceAppOf(), 'Prod', { env: envOf(PROD) });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.0.0.0/18',
      availabilityZones: ['ap-northeast-1a'],
      isolatedSubnetIds: ['subnet-1'],
    });
    expect(() => new GovHybridSpokeAttachment(stack, 'Spoke', {
      vpc,
      attachmentSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      name: 'prod',
      transitGatewayId: TGW,
      routes: [{ subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, destinations: ['172.16.0.0/16'] }],
    })).toThrow('`routes[0].subnets` subnet-1 has no known route table; import the subnet with its routeTableId so routes can be added to it.');
  });

  test('an explicit vpcCidr is checked as given', () => {
    const { stack, vpc } = prodStack();
    expect(() => spoke(stack, vpc, { vpcCidr: '10.0.0.0/33' })).toThrow(
      '`vpcCidr` 10.0.0.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.');
  });

  test('the transit gateway must be given exactly one way, well-formed', () => {
    const first = prodStack();
    expect(() => spoke(first.stack, first.vpc, { transitGatewayId: undefined })).toThrow(
      '`transitGatewayId` and `transitGatewayOwnerAccount` are both missing; give the transit gateway ID, or the Network account that shares it to look it up at deployment.');
    const { stack, vpc } = prodStack();
    expect(() => spoke(stack, vpc, { transitGatewayId: 'tgw-xyz', transitGatewayOwnerAccount: '2222' })).toThrow([
      'Invalid GovHybridSpokeAttachment props at Prod/Spoke (3 problems):',
      '  - `transitGatewayId` and `transitGatewayOwnerAccount` are both set; give only one of them.',
      '  - `transitGatewayId` tgw-xyz is not a transit gateway ID; write it as tgw- followed by 8 or 17 hexadecimal digits.',
      '  - `transitGatewayOwnerAccount` 2222 is not an AWS account ID; use the 12 digits of the account.',
    ].join('\n'));
  });

  test('attachment subnets: none selected, or two in one availability zone', () => {
    const first = prodStack();
    expect(() => spoke(first.stack, first.vpc, { attachmentSubnets: { subnetGroupName: 'tgw-attach', availabilityZones: ['ap-northeast-1d'] } })).toThrow([
      'Invalid GovHybridSpokeAttachment props at Prod/Spoke (1 problem):',
      '  - `attachmentSubnets` (selection) selects no subnet; select the dedicated attachment subnets, one per availability zone.',
    ].join('\n'));
    const { stack } = prodStack();
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.0.0.0/18',
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1a'],
      isolatedSubnetIds: ['subnet-1', 'subnet-2'],
    });
    expect(() => spoke(stack, imported, { attachmentSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toThrow(
      '`attachmentSubnets` ap-northeast-1a has 2 subnets in this availability zone; a transit gateway attachment takes one subnet per availability zone.');
  });

  test('routes: a bare address, no destinations, and the same destination twice from one route table', () => {
    const { stack, vpc } = prodStack();
    expect(() => spoke(stack, vpc, {
      routes: [
        { subnets: { subnetGroupName: 'alb' }, destinations: ['172.16.0.0/16', '10.0.200.10'] },
        { subnets: { subnetGroupName: 'app' }, destinations: [] },
        { subnets: { subnetGroupName: 'alb' }, destinations: ['172.16.0.0/16'] },
      ],
    })).toThrow([
      'Invalid GovHybridSpokeAttachment props at Prod/Spoke (4 problems):',
      '  - `routes[0].destinations[1]` 10.0.200.10 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '  - `routes[1].destinations` [] is empty; give the CIDRs these subnets must reach through the transit gateway.',
      '  - `routes[2].destinations[0]` 172.16.0.0/16 is already routed from the route table of subnet Prod/Vpc/albSubnet1 by routes[0].destinations[0]; a route table has one route per destination.',
      '  - `routes[2].destinations[0]` 172.16.0.0/16 is already routed from the route table of subnet Prod/Vpc/albSubnet2 by routes[0].destinations[0]; a route table has one route per destination.',
    ].join('\n'));
  });
});
