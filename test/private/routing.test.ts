import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Ipv4Cidr } from '../../src/private/cidr';
import { addTransitGatewayRoutes, attachVpcToTransitGateway, checkReturnAddressesOutsideVpc } from '../../src/private/routing';
import { PropsValidator } from '../../src/private/validation';

describe('checkReturnAddressesOutsideVpc', () => {
  test('names the address, the VPC and both fixes', () => {
    const v = new PropsValidator('SftpBackupBridge');
    checkReturnAddressesOutsideVpc(v, 'backupServerAddress', [Ipv4Cidr.parse('10.0.5.10/32')], 'the Prod VPC', Ipv4Cidr.parse('10.0.0.0/18'));
    expect(v.messages).toEqual([
      '`backupServerAddress` 10.0.5.10/32 lies inside 10.0.0.0/18, the CIDR of the Prod VPC. A VPC route more specific than ' +
      "the VPC's local route cannot point at a transit gateway, so replies to this address would stay inside the VPC " +
      '(https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html). Fix it on one side: source-NAT the ' +
      'on-premises host on the data-centre side to an address outside 10.0.0.0/18, or host the endpoint in a VPC whose ' +
      'range does not contain it.',
    ]);
  });

  test('indexes list props, skips unparsed entries and accepts the reference plan', () => {
    const v = new PropsValidator('X');
    checkReturnAddressesOutsideVpc(v, 'dnsServers', [undefined, Ipv4Cidr.parse('192.168.1.10/32'), Ipv4Cidr.parse('10.0.250.10/32')],
      'the Network VPC', Ipv4Cidr.parse('192.168.0.0/16'));
    expect(v.messages).toHaveLength(1);
    expect(v.messages[0]).toMatch(/^`dnsServers\[1\]` 192.168.1.10\/32 lies inside 192.168.0.0\/16, the CIDR of the Network VPC\./);

    const clean = new PropsValidator('X');
    checkReturnAddressesOutsideVpc(clean, 'operatorCidrs', [Ipv4Cidr.parse('10.0.210.0/24')], 'the Prod VPC', Ipv4Cidr.parse('10.0.0.0/18'));
    checkReturnAddressesOutsideVpc(clean, 'operatorCidrs', [Ipv4Cidr.parse('10.0.210.0/24')], 'a VPC', undefined);
    expect(clean.messages).toEqual([]);
  });
});

describe('transit gateway attachment and routes', () => {
  test('attaches on the given subnets and routes each destination from each subnet, after the attachment', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      natGateways: 0,
      maxAzs: 2,
      subnetConfiguration: [
        { name: 'attach', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    const attachment = attachVpcToTransitGateway(stack, 'Attachment', {
      transitGatewayId: 'tgw-0123456789abcdef0',
      vpc,
      subnets: vpc.selectSubnets({ subnetGroupName: 'attach' }).subnets,
      name: 'prod',
    });
    const routes = addTransitGatewayRoutes(stack, 'App', vpc.selectSubnets({ subnetGroupName: 'app' }).subnets,
      ['192.168.0.0/16', '172.16.0.0/16'], 'tgw-0123456789abcdef0', attachment);

    expect(routes.map((r) => r.node.id)).toEqual(['App0To192_168_0_0_16', 'App0To172_16_0_0_16', 'App1To192_168_0_0_16', 'App1To172_16_0_0_16']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: 'tgw-0123456789abcdef0',
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcattachSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcattachSubnet2') }],
      Options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
      Tags: [{ Key: 'Name', Value: 'prod' }],
    });
    template.resourceCountIs('AWS::EC2::Route', 4);
    const all = template.findResources('AWS::EC2::Route');
    for (const route of Object.values(all)) {
      expect(route.DependsOn).toEqual([stack.getLogicalId(attachment)]);
      expect(route.Properties.TransitGatewayId).toBe('tgw-0123456789abcdef0');
    }
  });
});
