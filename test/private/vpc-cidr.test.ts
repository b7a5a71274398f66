import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { knownVpcCidrs } from '../../src/private/vpc-cidr';

const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];

function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
}

describe('knownVpcCidrs', () => {
  test('an ec2.Vpc of this app: the planned CIDR of its CfnVPC, although vpcCidrBlock is a token', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/18'), availabilityZones: AZS, natGateways: 0 });
    const known = knownVpcCidrs(vpc);
    expect([known.supplied, known.primaryText, known.primary?.toString(), known.all.map(String)]).toEqual([true, '10.0.0.0/18', '10.0.0.0/18', ['10.0.0.0/18']]);
  });

  test('literal secondary blocks of this VPC count; those of another VPC or given as tokens do not', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/18'), availabilityZones: AZS, natGateways: 0 });
    const other = new ec2.Vpc(s, 'Other', { ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/18'), availabilityZones: AZS, natGateways: 0 });
    new ec2.CfnVPCCidrBlock(s, 'Mine', { vpcId: vpc.vpcId, cidrBlock: '100.64.0.0/16' });
    new ec2.CfnVPCCidrBlock(s, 'Theirs', { vpcId: other.vpcId, cidrBlock: '100.65.0.0/16' });
    new ec2.CfnVPCCidrBlock(s, 'Token', { vpcId: vpc.vpcId, cidrBlock: new CfnParameter(s, 'Cidr').valueAsString });
    const known = knownVpcCidrs(vpc);
    expect(known.secondary.map(String)).toEqual(['100.64.0.0/16']);
    expect(known.all.map(String)).toEqual(['10.0.0.0/18', '100.64.0.0/16']);
  });

  test('an imported VPC: its literal CIDR (even malformed, for the caller to report), nothing for a token, supplied false without one', () => {
    const s = stack();
    const literal = ec2.Vpc.fromVpcAttributes(s, 'Literal', { vpcId: 'vpc-1', availabilityZones: AZS, vpcCidrBlock: '10.2.0.0/16' });
    expect(knownVpcCidrs(literal).all.map(String)).toEqual(['10.2.0.0/16']);
    const malformed = ec2.Vpc.fromVpcAttributes(s, 'Malformed', { vpcId: 'vpc-2', availabilityZones: AZS, vpcCidrBlock: '10.2.0.0/33' });
    expect([knownVpcCidrs(malformed).primaryText, knownVpcCidrs(malformed).primary]).toEqual(['10.2.0.0/33', undefined]);
    const token = ec2.Vpc.fromVpcAttributes(s, 'Token', { vpcId: 'vpc-3', availabilityZones: AZS, vpcCidrBlock: new CfnParameter(s, 'VpcCidr').valueAsString });
    expect([knownVpcCidrs(token).supplied, knownVpcCidrs(token).primaryText, knownVpcCidrs(token).all]).toEqual([true, undefined, []]);
    const none = ec2.Vpc.fromVpcAttributes(s, 'None', { vpcId: 'vpc-4', availabilityZones: AZS });
    expect([knownVpcCidrs(none).supplied, knownVpcCidrs(none).all]).toEqual([false, []]);
  });
});
