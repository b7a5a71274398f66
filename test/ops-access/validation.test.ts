import { CfnParameter, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { networkStack, referenceProps } from './fixtures';
import { OverlappingCidrOpsAccess, OverlappingCidrOpsAccessProps } from '../../src/ops-access';

const LOCAL_ROUTE_DOC = 'https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html';

function build(overrides: Partial<OverlappingCidrOpsAccessProps>): () => OverlappingCidrOpsAccess {
  return () => new OverlappingCidrOpsAccess(networkStack(), 'Ops', referenceProps(overrides));
}

/** The whole expected error: `toThrow(new Error(text))` compares the message for equality, not containment. */
function error(...problems: string[]): Error {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new Error([`Invalid OverlappingCidrOpsAccess props at Network/Ops (${count}):`, ...problems.map((p) => `  - ${p}`)].join('\n'));
}

function spokeCollision(prop: string, address: string, spoke: string, spokeProp: string): string {
  return `\`${prop}\` ${address} overlaps ${spoke} (\`${spokeProp}\`), a spoke VPC the bastion forwards into: the transit gateway ` +
    'cannot tell replies to these data-centre addresses from traffic to the spoke, so the replies would be routed into the spoke. ' +
    'The data centre must source-NAT them to addresses outside every spoke VPC CIDR; give the translated addresses here.';
}

function insideNetworkVpc(prop: string, address: string): string {
  return `\`${prop}\` ${address} lies inside 192.168.0.0/16, the CIDR of the Network VPC. A VPC route more specific than the ` +
    `VPC's local route cannot point at a transit gateway, so replies to this address would stay inside the VPC (${LOCAL_ROUTE_DOC}). ` +
    'Fix it on one side: source-NAT the on-premises host on the data-centre side to an address outside 192.168.0.0/16, or host ' +
    'the endpoint in a VPC whose range does not contain it.';
}

describe('OverlappingCidrOpsAccess validation', () => {
  test('accepts the reference plan', () => {
    expect(build({})).not.toThrow();
  });

  test('operator terminals colliding with a spoke VPC: names both addresses and asks for source NAT on the DC side', () => {
    expect(build({ operatorTerminalCidrs: ['10.0.0.0/24'] })).toThrow(error(
      spokeCollision('operatorTerminalCidrs[0]', '10.0.0.0/24', '10.0.0.0/18', 'spokeVpcCidrs[0]'),
    ));
    expect(build({ operatorTerminalCidrs: ['10.0.210.0/24'], dataCentreReturnCidrs: ['10.0.64.10'] })).toThrow(error(
      spokeCollision('dataCentreReturnCidrs[0]', '10.0.64.10/32', '10.0.64.0/18', 'spokeVpcCidrs[1]'),
    ));
  });

  test('data-centre addresses inside the Network VPC: ARCHITECTURE correction 3, with both fixes', () => {
    expect(build({ operatorTerminalCidrs: ['192.168.5.0/24'], dataCentreReturnCidrs: ['10.0.250.10', '192.168.1.53'] })).toThrow(error(
      insideNetworkVpc('operatorTerminalCidrs', '192.168.5.0/24'),
      insideNetworkVpc('dataCentreReturnCidrs[1]', '192.168.1.53/32'),
    ));
  });

  test('malformed, empty or repeated data-centre addresses', () => {
    expect(build({ operatorTerminalCidrs: [] })).toThrow(error(
      '`operatorTerminalCidrs` [] is empty; give the CIDRs of the operators\' terminals as the Network VPC sees them, e.g. 10.0.210.0/24.',
    ));
    expect(build({ operatorTerminalCidrs: ['10.0.210.1/24'], dataCentreReturnCidrs: ['10.0.250.300', '10.0.250.10', '10.0.250.10/32'] })).toThrow(error(
      '`operatorTerminalCidrs[0]` 10.0.210.1/24 has host bits set; its network address is 10.0.210.0/24.',
      '`dataCentreReturnCidrs[0]` 10.0.250.300 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
      '`dataCentreReturnCidrs[2]` 10.0.250.10/32 repeats `dataCentreReturnCidrs[1]`; list each address once.',
    ));
    expect(build({ dataCentreReturnCidrs: ['10.0.210.0/24'] })).toThrow(error(
      '`dataCentreReturnCidrs[0]` 10.0.210.0/24 repeats `operatorTerminalCidrs[0]`, which is routed back already; list each address once.',
    ));
  });

  test('subnets outside the VPC or overlapping each other, and fewer than two AZs', () => {
    expect(build({
      subnetCidrs: { bastion: ['192.168.10.0/24', '10.1.0.0/24'], endpoint: ['192.168.10.0/28', '192.168.21.0/28'] },
      availabilityZones: ['ap-northeast-1a'],
    })).toThrow(error(
      '`availabilityZones` ["ap-northeast-1a"] has fewer than two availability zones; give two or more so that every subnet group spans two AZs.',
      '`subnetCidrs.bastion[1]` 10.1.0.0/24 lies outside the VPC CIDR 192.168.0.0/16 (`vpcCidr`); choose a subnet inside it.',
      '`subnetCidrs.endpoint[0]` 192.168.10.0/28 overlaps 192.168.10.0/24 (`subnetCidrs.bastion[0]`); subnets of one VPC must not overlap.',
    ));
  });

  test('a VPC CIDR that leaves the default subnets outside it names each of them', () => {
    expect(() => new OverlappingCidrOpsAccess(networkStack(), 'Ops', referenceProps({
      vpcCidr: '172.31.0.0/16',
      subnetCidrs: {
        bastion: ['172.31.10.0/24', '172.31.11.0/24'],
        endpoint: ['172.31.20.0/28', '172.31.21.0/28'],
        transitGatewayAttachment: ['172.31.50.0/28', '172.31.50.16/28'],
        resolverInbound: ['172.31.60.0/28', '172.31.60.16/28'],
      },
    }))).toThrow(error(
      '`subnetCidrs.resolverOutbound[0]` 192.168.61.0/28 lies outside the VPC CIDR 172.31.0.0/16 (`vpcCidr`); choose a subnet inside it.',
      '`subnetCidrs.resolverOutbound[1]` 192.168.61.16/28 lies outside the VPC CIDR 172.31.0.0/16 (`vpcCidr`); choose a subnet inside it.',
    ));
  });

  test('spoke CIDRs and summaries that the Network VPC cannot route', () => {
    expect(build({ spokeSummaryCidrs: ['192.168.0.0/20', '10.0.0.0/17'], spokeVpcCidrs: ['192.168.0.0/24', '10.0.128.0/18'], forwardingTargets: [] })).toThrow(error(
      '`spokeVpcCidrs[0]` 192.168.0.0/24 overlaps the Network VPC CIDR 192.168.0.0/16 (`vpcCidr`); the bastion cannot route to a spoke that overlaps its own VPC, so give the Network VPC a range outside every spoke.',
      '`spokeVpcCidrs[1]` 10.0.128.0/18 lies outside every `spokeSummaryCidrs` entry, so the bastion subnets have no route to it; add a summary that contains it.',
      `\`spokeSummaryCidrs[0]\` 192.168.0.0/20 lies inside the Network VPC CIDR 192.168.0.0/16; a route more specific than the VPC's local route cannot point at a transit gateway (${LOCAL_ROUTE_DOC}).`,
    ));
    expect(build({ spokeSummaryCidrs: [], forwardingTargets: [] })).toThrow(error(
      '`spokeVpcCidrs[0]` 10.0.0.0/18 lies outside every `spokeSummaryCidrs` entry, so the bastion subnets have no route to it; add a summary that contains it.',
      '`spokeVpcCidrs[1]` 10.0.64.0/18 lies outside every `spokeSummaryCidrs` entry, so the bastion subnets have no route to it; add a summary that contains it.',
      '`spokeSummaryCidrs` [] is empty; give the summary the bastion routes to the spokes, e.g. 10.0.0.0/16.',
    ));
  });

  test('with a transit gateway, the spoke VPC CIDRs are required, so that collisions with a spoke cannot go unnoticed', () => {
    const spokeRequired = '`spokeVpcCidrs` [] is empty; give the CIDR of every spoke VPC the bastion forwards into, e.g. [\'10.0.0.0/18\', \'10.0.64.0/18\'], ' +
      'so that operator terminal and data-centre addresses that overlap a spoke are rejected (the transit gateway would route their replies into the spoke).';
    expect(build({ spokeVpcCidrs: undefined })).toThrow(error(spokeRequired));
    expect(build({ spokeVpcCidrs: [] })).toThrow(error(spokeRequired));
    // Without a transit gateway no spoke is reachable, so the CIDRs may be left out.
    expect(build({ spokeVpcCidrs: undefined, transitGatewayId: undefined, forwardingTargets: [] })).not.toThrow();
  });

  test('S3 endpoint bucket ARNs and organization ID must be well-formed', () => {
    expect(build({ s3EndpointAllowedBucketArns: ['arn:aws:s3:::ok-bucket', 'my-bucket'], s3EndpointAllowedOrganizationId: 'o-ABC' })).toThrow(error(
      '`s3EndpointAllowedBucketArns[1]` my-bucket is not an S3 bucket ARN; write it as arn:aws:s3:::<bucket name>, without a key or wildcard.',
      '`s3EndpointAllowedOrganizationId` o-ABC is not an AWS Organizations organization ID; write it as o- followed by 10 to 32 lowercase letters or digits.',
    ));
  });

  test('session timeouts, log prefix and root volume size out of range', () => {
    expect(build({ idleSessionTimeout: 0, maxSessionDuration: 1441, rootVolumeSize: 7.5, sessionLogBucketPrefix: '/ssm/' })).toThrow(error(
      '`idleSessionTimeout` 0 is not an idle session timeout in minutes; use an integer from 1 to 60.',
      '`maxSessionDuration` 1441 is not a maximum session duration in minutes; use an integer from 1 to 1440.',
      '`sessionLogBucketPrefix` /ssm/ must not be empty or start or end with a slash; write it as e.g. session-manager/222222222222.',
      '`rootVolumeSize` 7.5 is not a gp3 root volume size in GiB; use an integer from 8 to 16384.',
    ));
    expect(build({ sessionLogBucketPrefix: '' })).toThrow(error(
      '`sessionLogBucketPrefix` "" must not be empty or start or end with a slash; write it as e.g. session-manager/222222222222.',
    ));
    expect(build({ sessionLogBucketPrefix: 'a' })).not.toThrow();
  });

  test('forwarding targets: name, host, ports, CIDR, reachability and clashes, every problem at once', () => {
    expect(build({
      forwardingTargets: [
        { name: 'prod db', host: 'db_prod', port: 0, localPort: 70000 },
        { name: 'x', host: '10.0.0.300', port: 5432, cidr: '10.0.64.0/18' },
        { name: 'y', host: '10.0.1.5', port: 5432, cidr: '10.0.64.0/18' },
        { name: 'z', host: '172.16.0.10', port: 22 },
        { name: 'y', host: '10.0.0.0/18', port: 8080, localPort: 5432 },
        { name: 'dns', host: 'db.prod.internal', port: 5432, localPort: 15432 },
      ],
    })).toThrow(error(
      '`forwardingTargets[0].name` "prod db" is not a target name; use 1-64 letters, digits and hyphens, starting with a letter or digit, e.g. prod-db.',
      '`forwardingTargets[0].host` db_prod is not an IPv4 address, CIDR or DNS name; write e.g. 10.0.12.34, 10.0.0.0/18 or db.prod.internal.',
      '`forwardingTargets[0].port` 0 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '`forwardingTargets[0].localPort` 70000 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '`forwardingTargets[1].host` 10.0.0.300 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
      '`forwardingTargets[2].port` 5432 is already the local port of `forwardingTargets[1]` (x); give each forwarding target its own `localPort`.',
      '`forwardingTargets[2].cidr` 10.0.64.0/18 does not contain 10.0.1.5 (`forwardingTargets[2].host`); give the range the host lies in, or leave `cidr` out to open the host itself.',
      '`forwardingTargets[3].host` 172.16.0.10/32 lies outside the Network VPC and every spoke VPC the bastion forwards into: 192.168.0.0/16 (`vpcCidr`), 10.0.0.0/18 (`spokeVpcCidrs[0]`), 10.0.64.0/18 (`spokeVpcCidrs[1]`); add the CIDR of its spoke VPC to `spokeVpcCidrs` or correct the target (the bastion never forwards into the data centre or the user sites).',
      '`forwardingTargets[4].name` y is already the name of `forwardingTargets[2]`; give each forwarding target its own name.',
      '`forwardingTargets[4].localPort` 5432 is already the local port of `forwardingTargets[1]` (x); give each forwarding target its own `localPort`.',
      '`forwardingTargets[5].cidr` (undefined) is required because `forwardingTargets[5].host` db.prod.internal is a DNS name: a security group rule needs the address range the name resolves into, e.g. the spoke VPC CIDR.',
    ));
  });

  test('a target inside the spoke summary but in the data centre is rejected: the bastion never forwards on premises', () => {
    // 10.0.0.0/16 (the summary the bastion routes to the TGW) also holds the DC's DNS servers and operator terminals.
    expect(build({ forwardingTargets: [{ name: 'dc-dns', host: '10.0.250.10', port: 53 }, { name: 'dc-ops', host: '10.0.210.0/24', port: 22 }] })).toThrow(error(
      '`forwardingTargets[0].host` 10.0.250.10/32 lies outside the Network VPC and every spoke VPC the bastion forwards into: 192.168.0.0/16 (`vpcCidr`), 10.0.0.0/18 (`spokeVpcCidrs[0]`), 10.0.64.0/18 (`spokeVpcCidrs[1]`); add the CIDR of its spoke VPC to `spokeVpcCidrs` or correct the target (the bastion never forwards into the data centre or the user sites).',
      '`forwardingTargets[1].host` 10.0.210.0/24 lies outside the Network VPC and every spoke VPC the bastion forwards into: 192.168.0.0/16 (`vpcCidr`), 10.0.0.0/18 (`spokeVpcCidrs[0]`), 10.0.64.0/18 (`spokeVpcCidrs[1]`); add the CIDR of its spoke VPC to `spokeVpcCidrs` or correct the target (the bastion never forwards into the data centre or the user sites).',
    ));
    expect(build({ forwardingTargets: [{ name: 'prod-task', host: '10.0.10.37', port: 8080 }] })).not.toThrow();
  });

  test('a host CIDR with host bits set is reported with its network address', () => {
    expect(build({ forwardingTargets: [{ name: 'app', host: '10.0.1.0/18', port: 8080 }] })).toThrow(error(
      '`forwardingTargets[0].host` 10.0.1.0/18 has host bits set; its network address is 10.0.0.0/18.',
    ));
  });

  test('without a transit gateway, reachability through spoke summaries is not checked', () => {
    expect(build({ transitGatewayId: undefined, forwardingTargets: [{ name: 'far', host: '172.16.0.10', port: 22 }] })).not.toThrow();
  });

  test('an unresolved spoke VPC CIDR: forwarding targets are not checked against ranges unknown at synth', () => {
    const stack = networkStack();
    const spoke = new CfnParameter(stack, 'SpokeCidr').valueAsString;
    expect(() => new OverlappingCidrOpsAccess(stack, 'Ops', referenceProps({
      spokeVpcCidrs: [spoke],
      forwardingTargets: [{ name: 'prod-task', host: '10.0.10.37', port: 8080 }],
    }))).not.toThrow();
  });

  test('number tokens for the session timeouts reach the preferences document as tokens', () => {
    const stack = networkStack();
    const idle = new CfnParameter(stack, 'IdleMinutes', { type: 'Number' }).valueAsNumber;
    const max = new CfnParameter(stack, 'MaxMinutes', { type: 'Number' }).valueAsNumber;
    new OverlappingCidrOpsAccess(stack, 'Ops', referenceProps({ idleSessionTimeout: idle, maxSessionDuration: max }));
    const inputs = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Document'))[0].Properties.Content.inputs;
    expect(inputs.idleSessionTimeout).toEqual({ Ref: 'IdleMinutes' });
    expect(inputs.maxSessionDuration).toEqual({ Ref: 'MaxMinutes' });
  });

  test('unresolved tokens are skipped, and a token CIDR is used as given', () => {
    const stack = networkStack();
    const operatorCidr = new CfnParameter(stack, 'OperatorCidr').valueAsString;
    const targetHost = new CfnParameter(stack, 'TargetHost').valueAsString;
    expect(Token.isUnresolved(targetHost)).toBe(true);
    const ops = new OverlappingCidrOpsAccess(stack, 'Ops', referenceProps({
      operatorTerminalCidrs: [operatorCidr],
      forwardingTargets: [{ name: 'param', host: targetHost, port: 5432, localPort: 15432 }],
    }));
    expect(ops.forwardingTargets.map((t) => t.name)).toEqual(['param']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: { Ref: 'OperatorCidr' }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from operator terminals' }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: { Ref: 'TargetHost' }, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'Forwarding target param' }],
    });
  });
});
