import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Ipv4Cidr } from '../../src/private/cidr';
import { checkSubnetSelection, describeSelection } from '../../src/private/subnet-selection';
import { PropsValidator } from '../../src/private/validation';

const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];

function vpcs() {
  const stack = new Stack(new App(), 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
  const config = [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }];
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: AZS, natGateways: 0, subnetConfiguration: config });
  const other = new ec2.Vpc(stack, 'Other', { availabilityZones: AZS, natGateways: 0, subnetConfiguration: config });
  return { stack, vpc, other };
}

describe('checkSubnetSelection', () => {
  test('returns the subnets of a valid selection and records nothing', () => {
    const { vpc } = vpcs();
    const v = new PropsValidator('X');
    expect(checkSubnetSelection(v, vpc, { subnetGroupName: 'app' }, { prop: 'appSubnets', minAzs: 2 })).toHaveLength(2);
    expect(checkSubnetSelection(v, vpc, { subnets: vpc.isolatedSubnets }, { prop: 'appSubnets' })).toHaveLength(2);
    expect(v.messages).toEqual([]);
  });

  test('reports subnets of another VPC, unknown groups and too few AZs', () => {
    const { vpc, other } = vpcs();
    const v = new PropsValidator('X');
    checkSubnetSelection(v, vpc, { subnets: [vpc.isolatedSubnets[0], other.isolatedSubnets[1]] }, { prop: 'albSubnets' });
    expect(checkSubnetSelection(v, vpc, { subnetGroupName: 'nope' }, { prop: 'dataSubnets' })).toBeUndefined();
    checkSubnetSelection(v, vpc, { subnetGroupName: 'app', availabilityZones: ['ap-northeast-1a'] }, { prop: 'albSubnets', minAzs: 2 });
    expect(v.messages).toEqual([
      '`albSubnets.subnets[1]` S/Other/appSubnet2 is not a subnet of `vpc` (S/Vpc); select subnets of the VPC the workload runs in.',
      '`dataSubnets` {subnetGroupName:\'nope\'} cannot be resolved in `vpc` (There are no subnet groups with name \'nope\' in this VPC. Available names: app); select subnets of that VPC, e.g. { subnetGroupName: \'app\' }.',
      '`albSubnets` {subnetGroupName:\'app\',availabilityZones:[ap-northeast-1a]} selects subnets in 1 availability zone (ap-northeast-1a); select subnets in at least 2 AZs.',
    ]);
  });

  test('skips the membership check for a VPC imported without subnets', () => {
    const { stack } = vpcs();
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-1', availabilityZones: AZS });
    const subnet = ec2.Subnet.fromSubnetAttributes(stack, 'Sub', { subnetId: 'subnet-1', availabilityZone: 'ap-northeast-1a' });
    const v = new PropsValidator('X');
    expect(checkSubnetSelection(v, imported, { subnets: [subnet] }, { prop: 'appSubnets' })).toEqual([subnet]);
    expect(v.messages).toEqual([]);
  });

  test('minSubnets, onePerAz and withinCidrs (the checks of Resolver and VPC endpoints) with their reasons', () => {
    const { vpc } = vpcs();
    const v = new PropsValidator('X');
    const [a, c] = vpc.isolatedSubnets;
    // Too few subnets: reported with the reason, and the AZ count is not reported on top of it.
    checkSubnetSelection(v, vpc, { subnets: [a] }, { prop: 'inbound', minSubnets: 2, minSubnetsReason: 'a Resolver endpoint needs two IP addresses', minAzs: 2 });
    // Two subnets in one AZ (an imported subnet of the same AZ stands in for a second subnet of the VPC).
    const sameAz = ec2.Subnet.fromSubnetAttributes(vpc, 'SameAz', { subnetId: a.subnetId, availabilityZone: 'ap-northeast-1a', ipv4CidrBlock: '10.0.0.0/24' });
    checkSubnetSelection(v, vpc, { subnets: [a, sameAz] }, { prop: 'endpoint', onePerAz: true, onePerAzReason: 'a VPC endpoint takes one subnet per AZ' });
    // Outside the ranges: only the first violated range is reported per subnet.
    checkSubnetSelection(v, vpc, { subnets: [a, c] }, {
      prop: 'transfer',
      withinCidrs: [
        { cidrs: [Ipv4Cidr.parse('10.0.0.0/16')], outside: 'the VPC CIDR 10.0.0.0/16; choose subnets of the VPC.' },
        { cidrs: [Ipv4Cidr.parse('10.0.0.0/24')], outside: '`advertisedCidr` 10.0.0.0/24; choose subnets inside it.' },
        { cidrs: [], outside: 'never checked' },
      ],
    });
    expect(v.messages).toEqual([
      '`inbound` {subnets:[S/Vpc/appSubnet1]} selects 1 subnet; a Resolver endpoint needs two IP addresses.',
      '`endpoint[1]` S/Vpc/SameAz is in ap-northeast-1a like `endpoint[0]`; a VPC endpoint takes one subnet per AZ.',
      '`transfer[1]` 10.0.1.0/24 lies outside `advertisedCidr` 10.0.0.0/24; choose subnets inside it.',
    ]);
  });

  test('defaults of the new checks: "select at least n subnets", "at most one subnet per availability zone", the example selection', () => {
    const { vpc } = vpcs();
    const v = new PropsValidator('X');
    checkSubnetSelection(v, vpc, { subnetGroupName: 'app', availabilityZones: ['ap-northeast-1a'] }, { prop: 'p', minSubnets: 2 });
    checkSubnetSelection(v, vpc, { subnetGroupName: 'none' }, { prop: 'q', example: "{ subnetGroupName: 'transfer' }" });
    expect(v.messages).toEqual([
      '`p` {subnetGroupName:\'app\',availabilityZones:[ap-northeast-1a]} selects 1 subnet; select at least 2 subnets.',
      '`q` {subnetGroupName:\'none\'} cannot be resolved in `vpc` (There are no subnet groups with name \'none\' in this VPC. Available names: app); select subnets of that VPC, e.g. { subnetGroupName: \'transfer\' }.',
    ]);
  });

  test('describeSelection renders every field without spaces', () => {
    expect(describeSelection({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: AZS }))
      .toBe('{subnetType:\'Isolated\',availabilityZones:[ap-northeast-1a,ap-northeast-1c]}');
  });
});
