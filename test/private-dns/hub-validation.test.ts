import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ACCOUNTS, DC_DNS, networkVpc, stackIn } from './fixtures';
import { PrivateDnsHub, PrivateDnsHubProps } from '../../src/private-dns';

const RESOLVER_IN = { subnetGroupName: 'resolver-in' };
const RESOLVER_OUT = { subnetGroupName: 'resolver-out' };

function build(overrides: Partial<PrivateDnsHubProps>, vpcOptions: { enableDnsHostnames?: boolean } = {}) {
  const stack = stackIn(ACCOUNTS.network);
  return () => new PrivateDnsHub(stack, 'Dns', {
    vpc: networkVpc(stack, vpcOptions),
    inboundSubnets: RESOLVER_IN,
    outboundSubnets: RESOLVER_OUT,
    dataCentreDnsServers: DC_DNS,
    ...overrides,
  });
}

function problems(...lines: string[]): string {
  const count = lines.length === 1 ? '1 problem' : `${lines.length} problems`;
  return `Invalid PrivateDnsHub props at Stack/Dns (${count}):\n${lines.map((l) => `  - ${l}`).join('\n')}`;
}

describe('PrivateDnsHub validation', () => {
  test('GIVEN bad forwarding rules THEN one error names every bad domain, target, port, loop and duplicate', () => {
    expect(build({
      inboundIpAddresses: ['192.168.60.10', '192.168.60.26'],
      forwardingRules: [
        { domainName: 'onprem.example.local' },
        { domainName: 'bad_domain.local' },
        { domainName: 'corp.example', targetIps: ['10.0.250.300', '10.0.250.12/32'], port: 70000 },
        { domainName: 'loop.example', targetIps: ['192.168.60.10', '192.168.60.20'] },
        { domainName: 'ONPREM.example.local.' },
        { domainName: 'empty.example', targetIps: [] },
      ],
    })).toThrow(problems(
      '`forwardingRules[1].domainName` bad_domain.local is not a DNS domain name; use labels of letters, digits and hyphens separated by dots, e.g. prod.internal.',
      '`forwardingRules[2].port` 70000 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '`forwardingRules[2].targetIps[0]` 10.0.250.300 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
      '`forwardingRules[2].targetIps[1]` 10.0.250.12/32 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
      '`forwardingRules[3].targetIps[0]` 192.168.60.10 is in the inbound endpoint\'s subnet 192.168.60.0/28 (`inboundSubnets`). The hub\'s rules are associated with the inbound endpoint\'s own VPC, so forwarding to the inbound endpoint would loop queries between the two endpoints; forward to the on-premises DNS servers instead.',
      '`forwardingRules[3].targetIps[1]` 192.168.60.20 is in the inbound endpoint\'s subnet 192.168.60.16/28 (`inboundSubnets`). The hub\'s rules are associated with the inbound endpoint\'s own VPC, so forwarding to the inbound endpoint would loop queries between the two endpoints; forward to the on-premises DNS servers instead.',
      '`forwardingRules[4].domainName` ONPREM.example.local. duplicates `forwardingRules[0].domainName` (onprem.example.local); a VPC can use one forwarding rule per domain name, so merge the target IPs into one rule.',
      '`forwardingRules[5].targetIps` [] is empty; give at least one target DNS server, or omit `targetIps` to use `dataCentreDnsServers`.',
    ));
  });

  test('GIVEN endpoint subnets in one AZ, a single subnet, or fixed IPs outside, reserved or miscounted THEN one error lists each', () => {
    expect(build({
      inboundSubnets: { subnetGroupName: 'resolver-in', availabilityZones: ['ap-northeast-1a'] },
      inboundIpAddresses: ['192.168.60.20'],
      outboundIpAddresses: ['192.168.61.3', '192.168.61.40'],
    })).toThrow(problems(
      '`inboundSubnets` {subnetGroupName:\'resolver-in\',availabilityZones:[ap-northeast-1a]} selects 1 subnet; a Resolver endpoint needs at least two IP addresses in two availability zones, so select one subnet in each of two or more AZs.',
      '`inboundIpAddresses[0]` 192.168.60.20 lies outside its subnet 192.168.60.0/28 (ap-northeast-1a, subnet 1 of `inboundSubnets`); choose an address inside it.',
      '`outboundIpAddresses[0]` 192.168.61.3 is reserved by AWS in 192.168.61.0/28 (the first four addresses and the last one of every subnet are reserved); choose an address from 192.168.61.4 to 192.168.61.14.',
      '`outboundIpAddresses[1]` 192.168.61.40 lies outside its subnet 192.168.61.16/28 (ap-northeast-1c, subnet 2 of `outboundSubnets`); choose an address inside it.',
    ));
    expect(build({ inboundIpAddresses: ['192.168.60.10'], outboundIpAddresses: ['192.168.61.10', '192.168.61.31'] })).toThrow(problems(
      '`inboundIpAddresses` ["192.168.60.10"] has 1 address for 2 selected subnets (192.168.60.0/28, 192.168.60.16/28); give exactly one fixed IP per subnet, in that order.',
      '`outboundIpAddresses[1]` 192.168.61.31 is reserved by AWS in 192.168.61.16/28 (the first four addresses and the last one of every subnet are reserved); choose an address from 192.168.61.20 to 192.168.61.30.',
    ));
  });

  test('GIVEN two subnets of the VPC in the same AZ THEN the endpoint is rejected for lacking a second AZ', () => {
    const stack = stackIn(ACCOUNTS.network);
    const vpc = networkVpc(stack);
    const sameAz = [
      vpc.selectSubnets({ subnetGroupName: 'resolver-in' }).subnets[0],
      vpc.selectSubnets({ subnetGroupName: 'resolver-out' }).subnets[0],
    ];
    expect(() => new PrivateDnsHub(stack, 'Dns', {
      vpc, inboundSubnets: { subnets: sameAz }, outboundSubnets: RESOLVER_OUT, dataCentreDnsServers: DC_DNS,
    })).toThrow(problems(
      '`inboundSubnets` {subnets:[Stack/NetworkVpc/resolver-inSubnet1,Stack/NetworkVpc/resolver-outSubnet1]} selects subnets in 1 availability zone (ap-northeast-1a); a Resolver endpoint needs IP addresses in at least two availability zones for availability, so select subnets in two or more AZs.',
    ));
  });

  test('GIVEN subnets of another VPC THEN each is named (the shared subnet check)', () => {
    const stack = stackIn(ACCOUNTS.network);
    const vpc = networkVpc(stack);
    const foreign = [
      ec2.Subnet.fromSubnetAttributes(stack, 'A', { subnetId: 'subnet-a', availabilityZone: 'ap-northeast-1a', ipv4CidrBlock: '192.168.62.0/28' }),
      ec2.Subnet.fromSubnetAttributes(stack, 'B', { subnetId: 'subnet-b', availabilityZone: 'ap-northeast-1c', ipv4CidrBlock: '192.168.62.16/28' }),
    ];
    expect(() => new PrivateDnsHub(stack, 'Dns', {
      vpc, inboundSubnets: { subnets: foreign }, outboundSubnets: RESOLVER_OUT, dataCentreDnsServers: DC_DNS,
    })).toThrow(problems(
      '`inboundSubnets.subnets[0]` subnet-a is not a subnet of `vpc` (Stack/NetworkVpc); select subnets of the VPC the workload runs in.',
      '`inboundSubnets.subnets[1]` subnet-b is not a subnet of `vpc` (Stack/NetworkVpc); select subnets of the VPC the workload runs in.',
    ));
  });

  test('GIVEN a subnet group the VPC does not have THEN the error says so', () => {
    expect(build({ outboundSubnets: { subnetGroupName: 'resolver-outbound' } })).toThrow(problems(
      '`outboundSubnets` {subnetGroupName:\'resolver-outbound\'} cannot be resolved in `vpc` (There are no subnet groups with name \'resolver-outbound\' in this VPC. Available names: tgw-attach,resolver-in,resolver-out); select subnets of that VPC, e.g. { subnetGroupName: \'resolver-in\' }.',
    ));
  });

  test('GIVEN a DC DNS server inside a secondary CIDR block of the Network VPC THEN it is refused like one in the primary', () => {
    const stack = stackIn(ACCOUNTS.network);
    const vpc = networkVpc(stack);
    new ec2.CfnVPCCidrBlock(stack, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: '100.64.0.0/16' });
    expect(() => new PrivateDnsHub(stack, 'Dns', {
      vpc, inboundSubnets: RESOLVER_IN, outboundSubnets: RESOLVER_OUT, dataCentreDnsServers: ['10.0.250.10', '100.64.1.10'],
    })).toThrow(/`dataCentreDnsServers\[1\]` 100\.64\.1\.10\/32 lies inside 100\.64\.0\.0\/16, the CIDR of the Network VPC\./);
  });

  test('GIVEN DC DNS servers that are not IPv4, inside the Network VPC, or the inbound endpoint THEN one error explains each', () => {
    expect(build({
      dataCentreDnsServers: ['10.0.250.10', 'dns1.onprem', '192.168.60.5'],
      forwardingRules: [{ domainName: 'onprem.example.local' }],
      additionalInboundSourceCidrs: ['0.0.0.0/0', '172.16.0.0/33'],
    })).toThrow(problems(
      '`dataCentreDnsServers[1]` dns1.onprem is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
      '`dataCentreDnsServers[2]` 192.168.60.5/32 lies inside 192.168.0.0/16, the CIDR of the Network VPC. A VPC route more specific than the VPC\'s local route cannot point at a transit gateway, so replies to this address would stay inside the VPC (https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html). Fix it on one side: source-NAT the on-premises host on the data-centre side to an address outside 192.168.0.0/16, or host the endpoint in a VPC whose range does not contain it.',
      '`additionalInboundSourceCidrs[0]` 0.0.0.0/0 opens the inbound endpoint to every IPv4 address; list only the on-premises DNS resolvers that forward to AWS.',
      '`additionalInboundSourceCidrs[1]` 172.16.0.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '`dataCentreDnsServers[2]` 192.168.60.5 is in the inbound endpoint\'s subnet 192.168.60.0/28 (`inboundSubnets`). The hub\'s rules are associated with the inbound endpoint\'s own VPC, so forwarding to the inbound endpoint would loop queries between the two endpoints; forward to the on-premises DNS servers instead.',
    ));
    expect(build({ dataCentreDnsServers: [] })).toThrow(problems(
      '`dataCentreDnsServers` [] is empty; give the IPv4 addresses of the data centre\'s DNS servers.',
    ));
  });

  test('GIVEN bad zones, principals and names THEN one error lists each', () => {
    expect(build({
      hubName: 'gov dns',
      forwardingRules: [{ domainName: 'onprem.example.local' }],
      spokeZones: [
        { zoneName: 'prod.internal', principals: ['33333333333', ACCOUNTS.network] },
        { zoneName: 'Prod.Internal.', principals: [ACCOUNTS.prod] },
        { zoneName: 'onprem.example.local', principals: [] },
      ],
      profileConsumers: ['ou-ab12-cdefghij'],
      additionalForwardedZones: ['ssm..amazonaws.com'],
    })).toThrow(problems(
      '`hubName` "gov dns" is not a valid hub name; use 1-32 letters, digits and hyphens, starting and ending with a letter or digit.',
      '`spokeZones[0].principals[0]` 33333333333 is not a RAM principal; use a 12-digit account ID, an OU ARN (arn:aws:organizations::<management account>:ou/o-.../ou-...) or the organization ARN.',
      '`spokeZones[0].principals[1]` 222222222222 is the account that owns the Profile; RAM cannot share a resource with its owner, so remove it.',
      '`spokeZones[1].zoneName` Prod.Internal. duplicates `spokeZones[0].zoneName` (prod.internal); list each zone once with all the principals that own it.',
      '`spokeZones[2].zoneName` onprem.example.local is also the domain of `forwardingRules[0]`; a forwarding rule takes precedence over a private hosted zone of the same name, so the zone would never answer. Remove the rule or rename the zone.',
      '`spokeZones[2].principals` [] is empty; give the account ID (or OU ARN) that owns the zone.',
      '`profileConsumers[0]` ou-ab12-cdefghij is not a RAM principal; use a 12-digit account ID, an OU ARN (arn:aws:organizations::<management account>:ou/o-.../ou-...) or the organization ARN.',
      '`additionalForwardedZones[0]` ssm..amazonaws.com is not a DNS domain name; use labels of letters, digits and hyphens separated by dots, e.g. prod.internal.',
    ));
  });

  test('GIVEN a VPC without DNS hostnames THEN the hub refuses it', () => {
    expect(build({}, { enableDnsHostnames: false })).toThrow(problems(
      '`vpc` Stack/NetworkVpc has DNS support or DNS hostnames disabled; private hosted zones and Resolver endpoints need both, so set enableDnsSupport and enableDnsHostnames to true.',
    ));
  });

  test('GIVEN unresolved tokens THEN they are not validated at synth', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNTS.network, region: 'ap-northeast-1' } });
    const vpc = networkVpc(stack);
    const token = (name: string) => new CfnParameter(stack, name).valueAsString;
    expect(() => new PrivateDnsHub(stack, 'Dns', {
      vpc,
      inboundSubnets: RESOLVER_IN,
      outboundSubnets: RESOLVER_OUT,
      dataCentreDnsServers: [token('Ip')],
      forwardingRules: [{ domainName: token('Domain') }],
      spokeZones: [{ zoneName: token('Zone'), principals: [token('Principal')] }],
    })).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::Route53Resolver::ResolverRule', { DomainName: { Ref: 'Domain' } });
  });

  test('GIVEN a number token as the rule port THEN the target IPs carry it as a token', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNTS.network, region: 'ap-northeast-1' } });
    const port = new CfnParameter(stack, 'DnsPort', { type: 'Number' }).valueAsNumber;
    new PrivateDnsHub(stack, 'Dns', {
      vpc: networkVpc(stack),
      inboundSubnets: RESOLVER_IN,
      outboundSubnets: RESOLVER_OUT,
      dataCentreDnsServers: ['10.0.250.10', '10.0.250.11'],
      forwardingRules: [{ domainName: 'onprem.example.local', port }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53Resolver::ResolverRule', {
      TargetIps: [{ Ip: '10.0.250.10', Port: { Ref: 'DnsPort' } }, { Ip: '10.0.250.11', Port: { Ref: 'DnsPort' } }],
    });
  });
});
