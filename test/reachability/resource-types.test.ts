import { Scenario } from './scenario';
import { getAtt } from './templates';
import { FlowProtocol, HopKind, ModelIssueKind, NetworkEndpoint as E, Verdict } from '../../src/reachability';

const users = E.onPremises('users');
const TCP = FlowProtocol.TCP;

/** The scenario plus one resource of every modelled type, each in AppA or AppC, most with `OpenSg` (443 from users). */
function everyType(): Scenario {
  const s = new Scenario();
  const t = s.t;
  const subnet = { Ref: 'AppA' };
  const sg = getAtt('OpenSg', 'GroupId');
  t.add('OpenSg', 'AWS::EC2::SecurityGroup', {
    GroupDescription: 'open to users',
    VpcId: { Ref: 'Vpc' },
    SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '172.16.0.0/16' }],
  });
  t.add('Eni', 'AWS::EC2::NetworkInterface', { SubnetId: subnet, GroupSet: [sg], PrivateIpAddress: '10.0.1.20' });
  t.add('MultiNic', 'AWS::EC2::Instance', { ImageId: 'ami-1', NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: { Ref: 'AppC' }, GroupSet: [sg] }] });
  t.add('Nlb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internal', SubnetMappings: [{ SubnetId: subnet, PrivateIPv4Address: '10.0.1.50' }] });
  t.add('Alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application', Scheme: 'internal', Subnets: [{ Ref: 'AppA' }, { Ref: 'AppC' }] });
  t.add('Gwlb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'gateway', Subnets: [subnet] });
  t.add('Service', 'AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [subnet], SecurityGroups: [sg] } } });
  t.add('BridgeService', 'AWS::ECS::Service', { TaskDefinition: 'x' });
  t.add('DbSubnets', 'AWS::RDS::DBSubnetGroup', { DBSubnetGroupDescription: 'db', SubnetIds: [{ Ref: 'AppA' }, { Ref: 'AppC' }] });
  t.add('Cluster', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql', DBSubnetGroupName: { Ref: 'DbSubnets' }, VpcSecurityGroupIds: [sg] });
  t.add('ClusterInstance', 'AWS::RDS::DBInstance', { DBClusterIdentifier: { Ref: 'Cluster' }, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql' });
  t.add('Endpoint', 'AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.ap-northeast-1.ssm', SubnetIds: [subnet] });
  t.add('GwlbEndpoint', 'AWS::EC2::VPCEndpoint', { VpcEndpointType: 'GatewayLoadBalancer', VpcId: { Ref: 'Vpc' }, ServiceName: 'x', SubnetIds: [subnet] });
  t.add('Resolver', 'AWS::Route53Resolver::ResolverEndpoint', { Direction: 'INBOUND', SecurityGroupIds: [sg], IpAddresses: [{ SubnetId: subnet, Ip: '10.0.1.53' }] });
  t.add('Sftp', 'AWS::Transfer::Server', { EndpointType: 'VPC', EndpointDetails: { SubnetIds: [subnet], SecurityGroupIds: [sg], VpcId: { Ref: 'Vpc' } } });
  t.add('PublicSftp', 'AWS::Transfer::Server', { EndpointType: 'PUBLIC' });
  t.add('Eic', 'AWS::EC2::InstanceConnectEndpoint', { SubnetId: subnet, SecurityGroupIds: [sg] });
  t.add('Fn', 'AWS::Lambda::Function', { Code: { ZipFile: 'x' }, Role: 'r', VpcConfig: { SubnetIds: [subnet], SecurityGroupIds: [sg] } });
  t.add('PlainFn', 'AWS::Lambda::Function', { Code: { ZipFile: 'x' }, Role: 'r' });
  t.add('Mount', 'AWS::EFS::MountTarget', { FileSystemId: 'fs-1', SubnetId: subnet, SecurityGroups: [sg] });
  t.add('Dump', 'AWS::Scheduler::Schedule', {
    ScheduleExpression: 'cron(0 2 * * ? *)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: 'cluster', RoleArn: 'role', EcsParameters: { TaskDefinitionArn: 'td', NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [subnet], SecurityGroups: [sg] } } } },
  });
  t.add('Nightly', 'AWS::Events::Rule', {
    ScheduleExpression: 'rate(1 day)',
    Targets: [{ Id: 'a', Arn: 'cluster', EcsParameters: { TaskDefinitionArn: 'td', NetworkConfiguration: { AwsVpcConfiguration: { Subnets: [subnet], SecurityGroups: [sg] } } } }],
  });
  t.add('Vgw', 'AWS::EC2::VPNGateway', { Type: 'ipsec.1' });
  t.add('VgwVpn', 'AWS::EC2::VPNConnection', { CustomerGatewayId: { Ref: 'DcCgw' }, VpnGatewayId: { Ref: 'Vgw' }, Type: 'ipsec.1' });
  return s;
}

describe('every modelled resource type is placed in its subnets with its security groups', () => {
  const model = everyType().model();

  test('the endpoints and their kinds', () => {
    expect(model.endpointNames()).toEqual([
      'Net/Alb (application load balancer)',
      'Net/Cluster (RDS DB cluster)',
      'Net/Dump (scheduled ECS task)',
      'Net/Eic (EC2 Instance Connect endpoint)',
      'Net/Endpoint (interface VPC endpoint)',
      'Net/Eni (network interface)',
      'Net/Fn (Lambda function)',
      'Net/Mount (EFS mount target)',
      'Net/MultiNic (EC2 instance)',
      'Net/Nightly (scheduled ECS task)',
      'Net/Nlb (network load balancer)',
      'Net/Resolver (Route 53 Resolver inbound endpoint)',
      'Net/Server (EC2 instance)',
      'Net/Service (ECS service)',
      'Net/Sftp (Transfer Family server)',
    ]);
  });

  test.each(['Net/Eni', 'Net/MultiNic', 'Net/Service', 'Net/Cluster', 'Net/Resolver', 'Net/Sftp', 'Net/Eic', 'Net/Fn', 'Net/Mount', 'Net/Dump', 'Net/Nightly'])(
    'users reach %s on 443 through its security group', (selector) => {
      const result = model.query(users, E.resource(selector), TCP, 443);
      expect(result.verdict).toBe(Verdict.ALLOWED);
      expect(result.paths[0].hops.find((h) => h.kind === HopKind.SECURITY_GROUP_INGRESS)?.resource).toBe('Net/OpenSg');
    });

  test('fixed private addresses are the destination: the NLB mapping and the Resolver IP', () => {
    expect(model.query(users, E.resource('Net/Nlb'), TCP, 443).paths[0].destinationAddresses).toEqual(['10.0.1.50/32']);
    expect(model.query(users, E.resource('Net/Resolver'), TCP, 443).paths[0].destinationAddresses).toEqual(['10.0.1.53/32']);
    expect(model.query(users, E.resource('Net/Eni'), TCP, 443).paths[0].destinationAddresses).toEqual(['10.0.1.20/32']);
  });

  test('a network load balancer without security groups filters nothing: any port is delivered', () => {
    const result = model.query(users, E.resource('Net/Nlb'), TCP, 8443);
    expect(result.verdict).toBe(Verdict.ALLOWED);
    expect(result.paths[0].hops.some((h) => h.kind.startsWith('security-group'))).toBe(false);
  });

  test('resources without security groups use the default security group of their VPC', () => {
    expect(model.query(users, E.resource('Net/Alb'), TCP, 443).reason).toBe('no ingress rule of Net/Vpc (default security group) allows tcp 443 from 172.16.0.0/16');
    expect(model.query(users, E.resource('Net/Endpoint'), TCP, 443).reason).toBe('no ingress rule of Net/Vpc (default security group) allows tcp 443 from 172.16.0.0/16');
    // The default group allows all traffic from its own members.
    expect(model.query(E.resource('Net/Alb'), E.resource('Net/Endpoint'), TCP, 443).verdict).toBe(Verdict.ALLOWED);
  });

  test('types that sit in a VPC but are not modelled are listed as issues', () => {
    expect(model.issues.filter((i) => i.kind === ModelIssueKind.NOT_MODELLED).map((i) => `${i.resource}: ${i.reason}`).sort()).toEqual([
      'Net/BridgeService: an ECS service without awsvpc networking shares its host\'s network; it is not modelled',
      'Net/Gwlb: Gateway Load Balancers are not modelled',
      'Net/GwlbEndpoint: VPC endpoints of type GatewayLoadBalancer are not modelled',
      'Net/Vgw: virtual private gateways are not modelled; routes to them are reported as unknown',
      'Net/VgwVpn: a VPN connection on a virtual private gateway is not modelled (a virtual private gateway cannot attach to a transit gateway: ARCHITECTURE.md correction 1)',
    ]);
  });
});

describe('VPC CIDRs', () => {
  test('a secondary CIDR is routed locally and propagated like the primary one', () => {
    const s = new Scenario();
    s.t.add('Secondary', 'AWS::EC2::VPCCidrBlock', { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/24' });
    s.t.add('Extra', 'AWS::EC2::Subnet', { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/25', AvailabilityZone: 'ap-northeast-1a' });
    s.t.add('ExtraAssociation', 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: { Ref: 'Extra' }, RouteTableId: { Ref: 'RtAppSubnets' } });
    const result = s.model().query(users, E.subnet('Net/Extra'), TCP, 443);
    expect(result.verdict).toBe(Verdict.ALLOWED);
    expect(result.paths[0].hops[1].detail).toBe('propagated 10.1.0.0/24 → Net/Attachment (Net/AppPropagation) matches 10.1.0.0/25');
  });

  test('a VPC whose CIDR comes from IPAM makes what depends on it unknown', () => {
    const s = new Scenario();
    s.t.resources.Vpc.Properties = { Ipv4IpamPoolId: 'ipam-pool-1', Ipv4NetmaskLength: 18 };
    const model = s.model();
    expect(model.issues).toContainEqual({
      kind: ModelIssueKind.UNRESOLVED,
      resource: 'Net/Vpc',
      resourceType: 'AWS::EC2::VPC',
      property: 'Ipv4IpamPoolId',
      reason: 'Net/Vpc takes its CIDR from IPAM pool; it is only known at deployment',
    });
    const result = model.query(E.onPremises('dc-host'), E.resource('Net/Server'), TCP, 443);
    expect(result.verdict).toBe(Verdict.UNKNOWN);
    expect(result.reason).toBe('cannot tell which route of Net/RtVpn matches 10.0.1.0/24: Net/AppPropagation: the CIDR of the VPC of Net/Attachment is not known offline');
  });
});
