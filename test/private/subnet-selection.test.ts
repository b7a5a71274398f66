import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
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

  test('describeSelection renders every field without spaces', () => {
    expect(describeSelection({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: AZS }))
      .toBe('{subnetType:\'Isolated\',availabilityZones:[ap-northeast-1a,ap-northeast-1c]}');
  });
});
