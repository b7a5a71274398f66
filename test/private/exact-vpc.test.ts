import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ExactSubnetGroup, ExactSubnetIpAddresses, exactSubnetConfiguration, validateExactSubnets } from '../../src/private/exact-vpc';
import { PropsValidator } from '../../src/private/validation';

const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];
const isolated = ec2.SubnetType.PRIVATE_ISOLATED;

function group(name: string, cidrs: string[]): ExactSubnetGroup {
  return { name, subnetType: isolated, cidrs, prop: `subnets.${name}` };
}

describe('validateExactSubnets', () => {
  test('accepts the Network VPC of the reference address plan', () => {
    const v = new PropsValidator('X');
    const plan = validateExactSubnets(v, 'vpcCidr', '192.168.0.0/16', 'availabilityZones', AZS, [
      group('bastion', ['192.168.10.0/24', '192.168.11.0/24']),
      group('endpoint', ['192.168.20.0/28', '192.168.21.0/28']),
      group('tgw-attach', ['192.168.50.0/28', '192.168.50.16/28']),
    ]);
    expect(v.messages).toEqual([]);
    expect(plan.vpcCidr?.toString()).toBe('192.168.0.0/16');
    expect(plan.groups[2].cidrs.map(String)).toEqual(['192.168.50.0/28', '192.168.50.16/28']);
  });

  test('reports subnets outside the VPC, overlapping, of the wrong size or count, and too few AZs', () => {
    const v = new PropsValidator('X');
    validateExactSubnets(v, 'vpcCidr', '192.168.0.0/16', 'availabilityZones', AZS, [
      group('bastion', ['192.168.10.0/24', '10.0.0.0/24']),
      group('endpoint', ['192.168.10.0/28', '192.168.21.0/29']),
      group('tgw-attach', ['192.168.50.0/28']),
    ]);
    expect(v.messages).toEqual([
      '`subnets.bastion[1]` 10.0.0.0/24 lies outside the VPC CIDR 192.168.0.0/16 (`vpcCidr`); choose a subnet inside it.',
      '`subnets.endpoint[0]` 192.168.10.0/28 overlaps 192.168.10.0/24 (`subnets.bastion[0]`); subnets of one VPC must not overlap.',
      '`subnets.endpoint[1]` 192.168.21.0/29 is outside the subnet size limits; a subnet CIDR must be from /16 to /28.',
      '`subnets.tgw-attach` ["192.168.50.0/28"] has 1 subnet CIDRs for 2 availability zones; give exactly one CIDR per AZ, in the order of `availabilityZones`.',
    ]);

    const one = new PropsValidator('X');
    validateExactSubnets(one, 'vpcCidr', '10.0.0.0/8', 'availabilityZones', ['ap-northeast-1a'], [group('app', ['10.0.0.0/24'])]);
    expect(one.messages).toEqual([
      '`vpcCidr` 10.0.0.0/8 is outside the VPC size limits; a VPC CIDR must be from /16 to /28.',
      '`availabilityZones` ["ap-northeast-1a"] has fewer than two availability zones; give two or more so that every subnet group spans two AZs.',
    ]);

    const repeated = new PropsValidator('X');
    validateExactSubnets(repeated, 'vpcCidr', '10.0.0.0/16', 'availabilityZones', ['ap-northeast-1a', 'ap-northeast-1a'],
      [group('app', ['10.0.0.0/24', '10.0.1.0/24'])]);
    expect(repeated.messages).toEqual([
      '`availabilityZones[1]` ap-northeast-1a repeats `availabilityZones[0]`; list each availability zone once.',
    ]);
  });
});

describe('ExactSubnetIpAddresses', () => {
  test('an L2 Vpc gets its subnets at the planned addresses, in the planned AZs', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '222222222222', region: 'ap-northeast-1' } });
    const groups = [group('bastion', ['192.168.10.0/24', '192.168.11.0/24']), group('transfer', ['192.168.20.0/27', '192.168.20.32/27'])];
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      ipAddresses: new ExactSubnetIpAddresses('192.168.0.0/16', AZS, groups),
      availabilityZones: AZS,
      subnetConfiguration: exactSubnetConfiguration(groups),
      natGateways: 0,
    });
    expect(vpc.selectSubnets({ subnetGroupName: 'transfer' }).subnets.map((s) => `${s.ipv4CidrBlock} ${s.availabilityZone}`))
      .toEqual(['192.168.20.0/27 ap-northeast-1a', '192.168.20.32/27 ap-northeast-1c']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '192.168.0.0/16' });
    for (const [cidr, az] of [['192.168.10.0/24', 'ap-northeast-1a'], ['192.168.11.0/24', 'ap-northeast-1c'], ['192.168.20.32/27', 'ap-northeast-1c']]) {
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: cidr, AvailabilityZone: az, MapPublicIpOnLaunch: false });
    }
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  });

  test('fails loudly when the Vpc asks for a subnet the plan does not have', () => {
    const ip = new ExactSubnetIpAddresses('192.168.0.0/16', AZS, [group('bastion', ['192.168.10.0/24', '192.168.11.0/24'])]);
    expect(() => ip.allocateSubnetsCidr({
      vpcCidr: '192.168.0.0/16',
      requestedSubnets: [{ availabilityZone: 'ap-northeast-1d', subnetConstructId: 'x', configuration: { name: 'bastion', subnetType: isolated } }],
    })).toThrow('no planned CIDR for subnet group bastion in ap-northeast-1d');
  });
});
