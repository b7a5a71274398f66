import { addLookup, getAtt, TemplateBuilder, writeAssembly } from './templates';
import { OnPremisesSite, ReachabilityModel, ReachabilityModelOptions } from '../../src/reachability';

/**
 * A small hub in one stack for unit tests of the evaluation:
 *
 * - transit gateway `Tgw` (default association and propagation disabled) with route tables `RtVpn` (associated with
 *   both VPNs; the App VPC propagates 10.0.0.0/18 into it) and `RtApp` (associated with the App VPC attachment;
 *   static 10.0.200.10/32 → DC VPN and 172.16.0.0/16 → user VPN);
 * - static VPNs `DcVpn` (customer gateway 198.51.100.20) and `UserVpn` (198.51.100.10), their attachment IDs looked up
 *   with `Custom::AWS` (`DcVpnAttachment`, `UserVpnAttachment`);
 * - VPC `Vpc` 10.0.0.0/18: subnets `AppA` 10.0.1.0/24 (1a), `AppC` 10.0.2.0/24 (1c), `TgwA` 10.0.9.0/28 (1a),
 *   `TgwC` 10.0.9.16/28 (1c); route table `RtAppSubnets` (10.0.0.0/16 and 172.16.0.0/16 → Tgw) and `RtTgwSubnets`;
 *   attachment `Attachment` in TgwA and TgwC;
 * - instance `Server` in AppA with `ServerSg` (ingress tcp 443 from 10.0.200.10/32 and 172.16.0.0/16; no egress rule).
 *
 * Sites: `dc-host` 10.0.200.10/32 and `dc-summary` 10.0.0.0/16 behind DcVpn; `users` 172.16.0.0/16 behind UserVpn.
 */
export class Scenario {
  public readonly t = new TemplateBuilder('Net');
  public sites: OnPremisesSite[] = [
    { name: 'dc-host', cidrs: ['10.0.200.10/32'], vpnConnection: 'Net/DcVpn' },
    { name: 'dc-summary', cidrs: ['10.0.0.0/16'], vpnConnection: 'Net/DcVpn' },
    { name: 'users', cidrs: ['172.16.0.0/16'], customerGatewayAddress: '198.51.100.10' },
  ];

  constructor() {
    const t = this.t;
    const tgw = t.add('Tgw', 'AWS::EC2::TransitGateway', { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' });
    t.add('RtVpn', 'AWS::EC2::TransitGatewayRouteTable', { TransitGatewayId: tgw });
    t.add('RtApp', 'AWS::EC2::TransitGatewayRouteTable', { TransitGatewayId: tgw });
    for (const [name, address] of [['Dc', '198.51.100.20'], ['User', '198.51.100.10']]) {
      t.add(`${name}Cgw`, 'AWS::EC2::CustomerGateway', { BgpAsn: 65000, IpAddress: address, Type: 'ipsec.1' });
      t.add(`${name}Vpn`, 'AWS::EC2::VPNConnection', { CustomerGatewayId: { Ref: `${name}Cgw` }, TransitGatewayId: tgw, StaticRoutesOnly: true, Type: 'ipsec.1' });
      addLookup(t, `${name}VpnAttachment`, 'EC2', 'describeTransitGatewayAttachments', {
        Filters: [{ Name: 'resource-id', Values: [{ Ref: `${name}Vpn` }] }, { Name: 'transit-gateway-id', Values: [tgw] }],
      });
      this.associate(`${name}VpnAssociation`, 'RtVpn', this.vpnAttachment(name));
    }
    const vpc = t.add('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/18' });
    t.add('RtAppSubnets', 'AWS::EC2::RouteTable', { VpcId: vpc });
    t.add('RtTgwSubnets', 'AWS::EC2::RouteTable', { VpcId: vpc });
    for (const [id, cidr, az, rt] of [['AppA', '10.0.1.0/24', 'ap-northeast-1a', 'RtAppSubnets'], ['AppC', '10.0.2.0/24', 'ap-northeast-1c', 'RtAppSubnets'],
      ['TgwA', '10.0.9.0/28', 'ap-northeast-1a', 'RtTgwSubnets'], ['TgwC', '10.0.9.16/28', 'ap-northeast-1c', 'RtTgwSubnets']]) {
      t.add(id, 'AWS::EC2::Subnet', { VpcId: vpc, CidrBlock: cidr, AvailabilityZone: az });
      t.add(`${id}Association`, 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: { Ref: id }, RouteTableId: { Ref: rt } });
    }
    t.add('Attachment', 'AWS::EC2::TransitGatewayVpcAttachment', { TransitGatewayId: tgw, VpcId: vpc, SubnetIds: [{ Ref: 'TgwA' }, { Ref: 'TgwC' }] });
    this.vpcRoute('AppToDc', 'RtAppSubnets', '10.0.0.0/16');
    this.vpcRoute('AppToUsers', 'RtAppSubnets', '172.16.0.0/16');
    this.associate('AppAssociation', 'RtApp', { Ref: 'Attachment' });
    t.add('AppPropagation', 'AWS::EC2::TransitGatewayRouteTablePropagation', { TransitGatewayRouteTableId: { Ref: 'RtVpn' }, TransitGatewayAttachmentId: { Ref: 'Attachment' } });
    this.tgwRoute('HostReturn', 'RtApp', '10.0.200.10/32', this.vpnAttachment('Dc'));
    this.tgwRoute('UsersReturn', 'RtApp', '172.16.0.0/16', this.vpnAttachment('User'));
    t.add('ServerSg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'server',
      VpcId: vpc,
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.200.10/32' },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '172.16.0.0/16' },
      ],
      SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }],
    });
    t.add('Server', 'AWS::EC2::Instance', { ImageId: 'ami-1', SubnetId: { Ref: 'AppA' }, SecurityGroupIds: [getAtt('ServerSg', 'GroupId')] });
  }

  /** The VPN attachment ID of `Dc` or `User`, as the lookup returns it. */
  public vpnAttachment(name: string): unknown {
    return getAtt(`${name}VpnAttachment`, 'TransitGatewayAttachments.0.TransitGatewayAttachmentId');
  }

  public associate(id: string, table: string, attachment: unknown): void {
    this.t.add(id, 'AWS::EC2::TransitGatewayRouteTableAssociation', { TransitGatewayRouteTableId: { Ref: table }, TransitGatewayAttachmentId: attachment });
  }

  public propagate(id: string, table: string, attachment: unknown): void {
    this.t.add(id, 'AWS::EC2::TransitGatewayRouteTablePropagation', { TransitGatewayRouteTableId: { Ref: table }, TransitGatewayAttachmentId: attachment });
  }

  public tgwRoute(id: string, table: string, cidr: string, attachment?: unknown): void {
    this.t.add(id, 'AWS::EC2::TransitGatewayRoute', attachment === undefined
      ? { TransitGatewayRouteTableId: { Ref: table }, DestinationCidrBlock: cidr, Blackhole: true }
      : { TransitGatewayRouteTableId: { Ref: table }, DestinationCidrBlock: cidr, TransitGatewayAttachmentId: attachment });
  }

  public vpcRoute(id: string, table: string, cidr: string, target: Record<string, unknown> = { TransitGatewayId: { Ref: 'Tgw' } }): void {
    this.t.add(id, 'AWS::EC2::Route', { RouteTableId: { Ref: table }, DestinationCidrBlock: cidr, ...target });
  }

  public remove(id: string): void {
    delete this.t.resources[id];
  }

  public model(options: ReachabilityModelOptions = {}, ...more: TemplateBuilder[]): ReachabilityModel {
    return ReachabilityModel.fromAssemblyDirectory(writeAssembly(this.t, ...more), { onPremisesSites: this.sites, ...options });
  }
}
