import { Res, Resolver } from './intrinsics';
import { LookupRegistry, parseLookupCall, resolveAdaptedLookup, resolveLookupAttribute, vpnAttachmentId } from './lookups';
import { attributeSymbol, awsPrefixListName, containsSymbol, findUnknown, idSymbol, parseSymbol, shortPath, Unknown } from './values';
import { Ipv4Cidr, cidrProblem, isIpv4 } from '../../private/cidr';

/**
 * The network entities of the offline model, built from the resolved templates of every stack. Everything that
 * cannot be resolved is kept as an `Unknown` on the entity that needs it (and listed as an issue), so that the
 * evaluation can answer "unknown" exactly where it matters.
 */

export interface Issue {
  readonly kind: 'unresolved' | 'not-modelled';
  readonly res: Res;
  readonly property?: string;
  readonly reason: string;
}

export interface Vpc {
  readonly id: string;
  readonly res: Res;
  readonly cidrs: Ipv4Cidr[];
  /** Set when a CIDR of the VPC is not known offline. */
  cidrUnknown?: string;
  readonly subnets: Subnet[];
  readonly mainRouteTable: RouteTable;
  readonly defaultNacl: Nacl;
  readonly defaultSg: SecurityGroup;
  readonly attachments: Attachment[];
}

export interface Subnet {
  readonly id: string;
  readonly res: Res;
  readonly vpc: Vpc;
  readonly cidr: Ipv4Cidr | Unknown;
  readonly az: string | Unknown;
  routeTable: RouteTable | Unknown;
  nacl: Nacl | Unknown;
  /** Explicit associations seen (to detect duplicates). */
  routeTableAssociations: number;
  naclAssociations: number;
}

export type RouteTarget =
  | { readonly kind: 'local' }
  | { readonly kind: 'tgw'; readonly tgwId: string }
  | { readonly kind: 'aws-service'; readonly description: string }
  | { readonly kind: 'other'; readonly description: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface VpcRoute {
  readonly cidr: Ipv4Cidr | Unknown;
  readonly target: RouteTarget;
  /** Display name of the resource that made the route. */
  readonly source: string;
  /** Gateway endpoint routes match only the service's public prefixes, never a private address. */
  readonly publicOnly?: boolean;
}

export interface RouteTable {
  readonly id: string;
  readonly name: string;
  readonly vpc: Vpc;
  readonly routes: VpcRoute[];
}

export interface Tgw {
  readonly id: string;
  readonly res: Res;
  readonly name: string;
  defaultAssociation?: string;
  defaultPropagation?: string;
  readonly sgReferencing: boolean;
}

export interface TgwStaticRoute {
  readonly cidr: Ipv4Cidr | Unknown;
  readonly blackhole: boolean;
  readonly attachmentId: string | Unknown;
  readonly source: string;
}

export interface TgwRouteTable {
  readonly id: string;
  readonly name: string;
  readonly tgwId: string | Unknown;
  readonly staticRoutes: TgwStaticRoute[];
  /** Attachment IDs (or unknowns) that propagate into this table explicitly. */
  readonly propagations: Array<{ readonly attachmentId: string | Unknown; readonly source: string }>;
}

export interface Attachment {
  readonly id: string;
  readonly name: string;
  readonly kind: 'vpc' | 'vpn';
  readonly res: Res;
  readonly tgwId: string | Unknown;
  readonly vpc?: Vpc;
  /** VPC attachments: the attachment subnets (one per AZ). */
  readonly subnets: Array<Subnet | Unknown>;
  /** VPN attachments: false for BGP. */
  readonly staticRoutesOnly: boolean;
  readonly customerGatewayAddress?: string;
  /** Declared on-premises sites behind a VPN attachment. */
  readonly sites: Site[];
  readonly sgReferencing: boolean;
}

export interface Site {
  readonly name: string;
  readonly cidrs: Ipv4Cidr[];
  readonly advertised: Ipv4Cidr[];
  readonly attachment: Attachment;
}

export interface SgRule {
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrs?: Ipv4Cidr[];
  readonly peerSg?: string;
  /** Set when the peer cannot be known offline; the rule may or may not match. */
  readonly unknown?: string;
  /** IPv6 peers never match the IPv4 traffic this model evaluates. */
  readonly ipv6?: boolean;
  /** An AWS-managed prefix list: public addresses of a service, never a private address. */
  readonly awsPrefixList?: string;
  readonly text: string;
  readonly source: string;
}

export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly vpc: Vpc | Unknown;
  readonly ingress: SgRule[];
  readonly egress: SgRule[];
  /** False once an inline `SecurityGroupEgress` list removed the default allow-all rule. */
  defaultEgress: boolean;
}

export interface NaclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr?: Ipv4Cidr;
  readonly ipv6?: boolean;
  readonly unknown?: string;
  readonly text: string;
}

export interface Nacl {
  readonly id: string;
  readonly name: string;
  readonly entries: NaclEntry[];
}

export interface Placement {
  readonly subnet: Subnet | Unknown;
  /** A fixed private address, when the template sets one. */
  readonly address?: Ipv4Cidr;
}

export interface Endpoint {
  readonly res: Res;
  readonly name: string;
  readonly kind: string;
  readonly placements: Placement[];
  /** Undefined when the resource has no security group at all (a network load balancer without one). */
  readonly sgs?: Array<SecurityGroup | Unknown>;
}

export interface SiteDeclaration {
  readonly name: string;
  readonly cidrs: Ipv4Cidr[];
  readonly advertised: Ipv4Cidr[];
  readonly attachmentId: string;
}

/** Network-relevant types that the model does not evaluate, with what that means. */
const NOT_MODELLED: Record<string, string> = {
  'AWS::EC2::InternetGateway': 'internet access is not modelled; routes to it are reported as unknown',
  'AWS::EC2::NatGateway': 'NAT is not modelled; routes to it are reported as unknown',
  'AWS::EC2::VPNGateway': 'virtual private gateways are not modelled; routes to them are reported as unknown',
  'AWS::EC2::VPCPeeringConnection': 'VPC peering is not modelled; routes to it are reported as unknown',
  'AWS::EC2::TransitGatewayPeeringAttachment': 'transit gateway peering is not modelled; routes to it are reported as unknown',
  'AWS::EC2::TransitGatewayConnect': 'Transit Gateway Connect is not modelled; routes to it are reported as unknown',
  'AWS::EC2::TransitGatewayPrefixListReference': 'prefix list references in transit gateway route tables are not modelled; lookups in that table are reported as unknown',
  'AWS::EC2::TransitGatewayMulticastDomain': 'multicast is not modelled',
  'AWS::EC2::TransitGatewayRouteTableAnnouncement': 'route table announcements are not modelled',
  'AWS::EC2::TransitGatewayPolicyTable': 'policy-based routing is not modelled',
  'AWS::NetworkFirewall::Firewall': 'AWS Network Firewall rules are not modelled; traffic routed to it is reported as unknown',
  'AWS::EC2::GatewayRouteTableAssociation': 'edge (gateway) route table associations are not modelled',
  'AWS::EC2::LocalGatewayRoute': 'Outposts local gateways are not modelled',
  'AWS::EC2::VPNConnectionRoute': 'static routes of a VPN on a virtual private gateway are not modelled',
};

/** Placement property names that mark a resource as sitting in a VPC. */
const PLACEMENT_PROPERTIES = ['SubnetId', 'SubnetIds', 'Subnets', 'SecurityGroupIds', 'SecurityGroups', 'VpcSecurityGroupIds',
  'VPCSecurityGroups', 'VpcConfig', 'VpcConfiguration', 'NetworkConfiguration', 'VPCOptions', 'VpcSettings', 'VPCZoneIdentifier'];

/** Types with placement properties that are network plumbing, not endpoints. */
const PLUMBING = new Set(['AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::SubnetNetworkAclAssociation', 'AWS::EC2::TransitGatewayVpcAttachment',
  'AWS::EC2::TransitGatewayAttachment', 'AWS::RDS::DBSubnetGroup', 'AWS::ElastiCache::SubnetGroup', 'AWS::DocDB::DBSubnetGroup',
  'AWS::Neptune::DBSubnetGroup', 'AWS::Redshift::ClusterSubnetGroup', 'AWS::DAX::SubnetGroup', 'AWS::EC2::SubnetCidrBlock',
  'AWS::EC2::NatGateway', 'AWS::EC2::VPCEndpoint', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress',
  'AWS::MemoryDB::SubnetGroup', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration']);

/** The resolved network of a whole assembly. */
export class NetworkModel {
  public readonly issues: Issue[] = [];
  public readonly vpcs = new Map<string, Vpc>();
  public readonly subnets = new Map<string, Subnet>();
  public readonly routeTables = new Map<string, RouteTable>();
  public readonly tgws = new Map<string, Tgw>();
  public readonly tgwRouteTables = new Map<string, TgwRouteTable>();
  public readonly attachments = new Map<string, Attachment>();
  public readonly securityGroups = new Map<string, SecurityGroup>();
  public readonly nacls = new Map<string, Nacl>();
  public readonly prefixLists = new Map<string, Ipv4Cidr[]>();
  public readonly endpoints: Endpoint[] = [];
  public readonly sites: Site[] = [];
  /** Explicit associations: attachment ID → route table IDs. Unknown attachment IDs are kept per transit gateway. */
  public readonly associations = new Map<string, Array<{ table: TgwRouteTable; source: string }>>();
  public readonly unknownAssociations: Array<{ table: TgwRouteTable; reason: string }> = [];
  /** Every CIDR the model knows; queries split address ranges at these boundaries. */
  public readonly boundaries: Ipv4Cidr[] = [];

  constructor(public readonly resolver: Resolver) {}

  /** A readable name for an ID or symbol: the construct path of the resource it belongs to. */
  public describe(id: string | Unknown): string {
    if (id instanceof Unknown) {
      return `(unknown: ${id.reason})`;
    }
    const symbol = parseSymbol(id);
    if (!symbol) {
      return id;
    }
    const awsList = awsPrefixListName(id);
    if (awsList) {
      return `AWS-managed prefix list ${awsList}`;
    }
    const res = this.resolver.resource(symbol.key);
    const name = res ? shortPath(res.path) : symbol.key;
    if (symbol.attribute === 'TransitGatewayAttachmentId' && res?.type === 'AWS::EC2::VPNConnection') {
      return `${name} (VPN attachment)`;
    }
    if (symbol.attribute === 'DefaultRouteTable') {
      return `${name} (default route table)`;
    }
    return symbol.attribute ? `${name}.${symbol.attribute}` : name;
  }

  public addIssue(kind: Issue['kind'], res: Res, reason: string, property?: string): void {
    this.issues.push({ kind, res, reason, property });
  }
}

/** Display name of a resource: its construct path without the trailing `/Resource`. */
export function displayName(res: Res): string {
  return shortPath(res.path);
}

/** Builds the network model of every stack in the resolver. Add sites with `addSite`, then call `finishNetwork`. */
export function buildNetwork(resolver: Resolver): NetworkModel {
  const model = new NetworkModel(resolver);
  new Builder(model, resolver).build();
  return model;
}

/** Declares an on-premises site behind a VPN attachment. */
export function addSite(model: NetworkModel, site: { readonly name: string; readonly cidrs: Ipv4Cidr[]; readonly advertised: Ipv4Cidr[] },
  attachment: Attachment): void {
  const s: Site = { ...site, attachment };
  attachment.sites.push(s);
  model.sites.push(s);
}

class Builder {
  private readonly byType = new Map<string, Res[]>();

  constructor(private readonly model: NetworkModel, private readonly resolver: Resolver) {
    for (const res of resolver.allResources()) {
      const exists = resolver.exists(res);
      if (exists instanceof Unknown) {
        model.addIssue('unresolved', res, `whether it exists depends on a condition not known offline: ${exists.reason}`);
      }
      if (exists === false) {
        continue;
      }
      const list = this.byType.get(res.type) ?? [];
      list.push(res);
      this.byType.set(res.type, list);
    }
  }

  public build(): void {
    this.prefixLists();
    this.vpcs();
    this.subnets();
    this.routeTables();
    this.nacls();
    this.securityGroups();
    this.transitGateways();
    this.routes();
    this.endpoints();
    this.notModelled();
  }

  private of(...types: string[]): Res[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  private value(res: Res, name: string): unknown {
    const v = this.resolver.prop(res, name);
    const unknown = findUnknown(v);
    if (unknown) {
      this.model.addIssue('unresolved', res, unknown.reason, name);
    }
    return v;
  }

  /** A resolved ID (symbol or literal), or an Unknown naming the property. */
  private id(res: Res, name: string, value: unknown = this.value(res, name)): string | Unknown {
    if (value instanceof Unknown) {
      return new Unknown(`${displayName(res)} ${name}: ${value.reason}`);
    }
    if (typeof value !== 'string') {
      return new Unknown(`${displayName(res)} ${name} is not set`);
    }
    return value;
  }

  private ids(res: Res, name: string, value: unknown = this.value(res, name)): Array<string | Unknown> {
    if (value instanceof Unknown) {
      return [new Unknown(`${displayName(res)} ${name}: ${value.reason}`)];
    }
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => this.id(res, name, v));
  }

  private cidr(res: Res, name: string, value: unknown = this.value(res, name)): Ipv4Cidr | Unknown {
    if (value instanceof Unknown) {
      return new Unknown(`${displayName(res)} ${name}: ${value.reason}`);
    }
    if (typeof value !== 'string') {
      return new Unknown(`${displayName(res)} ${name} is not set`);
    }
    if (containsSymbol(value)) {
      const reason = `${displayName(res)} ${name} is ${this.model.describe(value)}, only known at deployment`;
      this.model.addIssue('unresolved', res, reason, name);
      return new Unknown(reason);
    }
    const host = isIpv4(value) ? `${value}/32` : value;
    const problem = cidrProblem(host);
    if (problem) {
      const reason = `${displayName(res)} ${name} ${value} ${problem}`;
      this.model.addIssue('unresolved', res, reason, name);
      return new Unknown(reason);
    }
    return Ipv4Cidr.parse(host);
  }

  private prefixLists(): void {
    for (const res of this.of('AWS::EC2::PrefixList')) {
      const entries = this.value(res, 'Entries');
      const family = this.value(res, 'AddressFamily');
      if (family === 'IPv4' && Array.isArray(entries)) {
        const cidrs = entries.map((e: any) => this.cidr(res, 'Entries', e?.Cidr));
        if (cidrs.every((c): c is Ipv4Cidr => c instanceof Ipv4Cidr)) {
          this.model.prefixLists.set(idSymbol(res.key), cidrs);
        }
      }
    }
  }

  private vpcs(): void {
    for (const res of this.of('AWS::EC2::VPC')) {
      const id = idSymbol(res.key);
      const name = displayName(res);
      const vpc: Vpc = {
        id,
        res,
        cidrs: [],
        subnets: [],
        attachments: [],
        mainRouteTable: undefined as unknown as RouteTable,
        defaultNacl: { id: attributeSymbol(res.key, 'DefaultNetworkAcl'), name: `${name} (default network ACL)`, entries: allowAllEntries() },
        defaultSg: undefined as unknown as SecurityGroup,
      };
      (vpc as { mainRouteTable: RouteTable }).mainRouteTable = { id: attributeSymbol(res.key, 'MainRouteTable'), name: `${name} (main route table)`, vpc, routes: [] };
      (vpc as { defaultSg: SecurityGroup }).defaultSg = {
        id: attributeSymbol(res.key, 'DefaultSecurityGroup'),
        name: `${name} (default security group)`,
        vpc,
        ingress: [{ protocol: 'all', fromPort: -1, toPort: -1, peerSg: attributeSymbol(res.key, 'DefaultSecurityGroup'), text: 'all traffic from itself', source: `${name} (default security group)` }],
        egress: [],
        defaultEgress: true,
      };
      if (res.props.CidrBlock === undefined) {
        vpc.cidrUnknown = `${name} takes its CIDR from IPAM pool; it is only known at deployment`;
        this.model.addIssue('unresolved', res, vpc.cidrUnknown, 'Ipv4IpamPoolId');
      } else {
        const cidr = this.cidr(res, 'CidrBlock');
        if (cidr instanceof Unknown) {
          vpc.cidrUnknown = cidr.reason;
        } else {
          vpc.cidrs.push(cidr);
        }
      }
      this.model.vpcs.set(id, vpc);
      this.model.nacls.set(vpc.defaultNacl.id, vpc.defaultNacl);
      this.model.securityGroups.set(vpc.defaultSg.id, vpc.defaultSg);
      this.model.routeTables.set(vpc.mainRouteTable.id, vpc.mainRouteTable);
    }
    for (const res of this.of('AWS::EC2::VPCCidrBlock')) {
      const vpc = this.vpcOf(res, 'VpcId');
      if (!(vpc instanceof Unknown)) {
        if (res.props.CidrBlock === undefined) {
          const ipv6 = res.props.AmazonProvidedIpv6CidrBlock ?? res.props.Ipv6CidrBlock ?? res.props.Ipv6IpamPoolId;
          if (ipv6 === undefined) {
            vpc.cidrUnknown = `${displayName(res)} adds a CIDR from an IPAM pool; it is only known at deployment`;
            this.model.addIssue('unresolved', res, vpc.cidrUnknown, 'Ipv4IpamPoolId');
          }
          continue;
        }
        const cidr = this.cidr(res, 'CidrBlock');
        if (cidr instanceof Unknown) {
          vpc.cidrUnknown = cidr.reason;
        } else {
          vpc.cidrs.push(cidr);
        }
      }
    }
  }

  private vpcOf(res: Res, name: string): Vpc | Unknown {
    const id = this.id(res, name);
    if (id instanceof Unknown) {
      return id;
    }
    const vpc = this.model.vpcs.get(id);
    if (!vpc) {
      const reason = `${displayName(res)} ${name} is ${this.model.describe(id)}, a VPC that is not in this assembly; map it with externalIds`;
      this.model.addIssue('unresolved', res, reason, name);
      return new Unknown(reason);
    }
    return vpc;
  }

  private subnets(): void {
    for (const res of this.of('AWS::EC2::Subnet')) {
      const vpc = this.vpcOf(res, 'VpcId');
      if (vpc instanceof Unknown) {
        continue;
      }
      let az: string | Unknown;
      if (res.props.AvailabilityZone !== undefined) {
        const v = this.value(res, 'AvailabilityZone');
        az = typeof v === 'string' && !containsSymbol(v) ? v : new Unknown(`${displayName(res)} AvailabilityZone: ${v instanceof Unknown ? v.reason : 'only known at deployment'}`);
      } else if (res.props.AvailabilityZoneId !== undefined) {
        const v = this.value(res, 'AvailabilityZoneId');
        az = typeof v === 'string' && !containsSymbol(v) ? `id:${v}` : new Unknown(`${displayName(res)} AvailabilityZoneId is only known at deployment`);
      } else {
        az = new Unknown(`${displayName(res)} has no AvailabilityZone; EC2 chooses one at deployment`);
        this.model.addIssue('unresolved', res, az.reason, 'AvailabilityZone');
      }
      const subnet: Subnet = {
        id: idSymbol(res.key),
        res,
        vpc,
        az,
        cidr: res.props.CidrBlock === undefined ? new Unknown(`${displayName(res)} takes its CIDR from IPAM; it is only known at deployment`) : this.cidr(res, 'CidrBlock'),
        routeTable: vpc.mainRouteTable,
        nacl: vpc.defaultNacl,
        routeTableAssociations: 0,
        naclAssociations: 0,
      };
      vpc.subnets.push(subnet);
      this.model.subnets.set(subnet.id, subnet);
    }
  }

  private routeTables(): void {
    for (const res of this.of('AWS::EC2::RouteTable')) {
      const vpc = this.vpcOf(res, 'VpcId');
      if (vpc instanceof Unknown) {
        continue;
      }
      const table: RouteTable = { id: idSymbol(res.key), name: displayName(res), vpc, routes: [] };
      this.model.routeTables.set(table.id, table);
    }
    for (const res of this.of('AWS::EC2::SubnetRouteTableAssociation')) {
      const subnet = this.lookup(res, 'SubnetId', this.model.subnets, 'subnet');
      const table = this.lookup(res, 'RouteTableId', this.model.routeTables, 'route table');
      if (subnet instanceof Unknown) {
        continue;
      }
      subnet.routeTableAssociations++;
      subnet.routeTable = subnet.routeTableAssociations > 1
        ? new Unknown(`${displayName(subnet.res)} has ${subnet.routeTableAssociations} route table associations; EC2 allows one`)
        : table;
    }
  }

  private lookup<T>(res: Res, name: string, map: Map<string, T>, what: string): T | Unknown {
    const id = this.id(res, name);
    if (id instanceof Unknown) {
      return id;
    }
    const found = map.get(id);
    if (found === undefined) {
      const reason = `${displayName(res)} ${name} is ${this.model.describe(id)}, a ${what} that is not in this assembly; map it with externalIds`;
      this.model.addIssue('unresolved', res, reason, name);
      return new Unknown(reason);
    }
    return found;
  }

  private nacls(): void {
    for (const res of this.of('AWS::EC2::NetworkAcl')) {
      this.model.nacls.set(idSymbol(res.key), { id: idSymbol(res.key), name: displayName(res), entries: [] });
    }
    for (const res of this.of('AWS::EC2::NetworkAclEntry')) {
      const nacl = this.lookup(res, 'NetworkAclId', this.model.nacls, 'network ACL');
      if (nacl instanceof Unknown) {
        continue;
      }
      nacl.entries.push(this.naclEntry(res));
      nacl.entries.sort((a, b) => a.ruleNumber - b.ruleNumber);
    }
    for (const res of this.of('AWS::EC2::SubnetNetworkAclAssociation')) {
      const subnet = this.lookup(res, 'SubnetId', this.model.subnets, 'subnet');
      const nacl = this.lookup(res, 'NetworkAclId', this.model.nacls, 'network ACL');
      if (subnet instanceof Unknown) {
        continue;
      }
      subnet.naclAssociations++;
      subnet.nacl = subnet.naclAssociations > 1
        ? new Unknown(`${displayName(subnet.res)} has ${subnet.naclAssociations} network ACL associations; EC2 allows one`)
        : nacl;
    }
  }

  private naclEntry(res: Res): NaclEntry {
    const p = this.resolver.resolve(res.stack, res.props) as Record<string, any>;
    const unknown = findUnknown(p);
    const protocol = normaliseProtocol(p.Protocol);
    const egress = p.Egress === true || p.Egress === 'true';
    const allow = String(p.RuleAction).toLowerCase() === 'allow';
    const ruleNumber = Number(p.RuleNumber);
    let fromPort = -1;
    let toPort = -1;
    if (protocol === 'tcp' || protocol === 'udp') {
      fromPort = p.PortRange?.From !== undefined ? Number(p.PortRange.From) : 0;
      toPort = p.PortRange?.To !== undefined ? Number(p.PortRange.To) : 65535;
    } else if (protocol === 'icmp') {
      fromPort = p.Icmp?.Type !== undefined ? Number(p.Icmp.Type) : -1;
      toPort = p.Icmp?.Code !== undefined ? Number(p.Icmp.Code) : -1;
    }
    const base = { ruleNumber, egress, allow, protocol, fromPort, toPort };
    if (![ruleNumber, fromPort, toPort].every(Number.isInteger)) {
      const reason = `${displayName(res)}: the rule number or port range is only known at deployment`;
      this.model.addIssue('unresolved', res, reason);
      return { ...base, ruleNumber: Number.isInteger(ruleNumber) ? ruleNumber : 0, unknown: reason, text: `rule ${p.RuleNumber} (not known offline)` };
    }
    const text = `rule ${ruleNumber} ${allow ? 'allow' : 'deny'} ${describePorts(protocol, fromPort, toPort)} ${egress ? 'to' : 'from'} ${p.CidrBlock ?? p.Ipv6CidrBlock ?? '?'}`;
    if (unknown) {
      this.model.addIssue('unresolved', res, unknown.reason);
      return { ...base, unknown: `${displayName(res)}: ${unknown.reason}`, text };
    }
    if (p.Ipv6CidrBlock !== undefined) {
      return { ...base, ipv6: true, text };
    }
    const cidr = this.cidr(res, 'CidrBlock', p.CidrBlock);
    return cidr instanceof Unknown ? { ...base, unknown: cidr.reason, text } : { ...base, cidr, text };
  }

  private securityGroups(): void {
    for (const res of this.of('AWS::EC2::SecurityGroup')) {
      const vpc = res.props.VpcId === undefined ? new Unknown(`${displayName(res)} has no VpcId: it belongs to the default VPC, which is not in this assembly`) : this.vpcOf(res, 'VpcId');
      const sg: SecurityGroup = {
        id: idSymbol(res.key), name: displayName(res), vpc, ingress: [], egress: [], defaultEgress: res.props.SecurityGroupEgress === undefined,
      };
      const ingress = this.value(res, 'SecurityGroupIngress');
      const egress = this.value(res, 'SecurityGroupEgress');
      for (const rule of Array.isArray(ingress) ? ingress : ingress === undefined ? [] : [ingress]) {
        sg.ingress.push(this.sgRule(res, rule, false));
      }
      for (const rule of Array.isArray(egress) ? egress : egress === undefined ? [] : [egress]) {
        sg.egress.push(this.sgRule(res, rule, true));
      }
      this.model.securityGroups.set(sg.id, sg);
    }
    for (const [type, egress] of [['AWS::EC2::SecurityGroupIngress', false], ['AWS::EC2::SecurityGroupEgress', true]] as const) {
      for (const res of this.of(type)) {
        const sg = this.lookup(res, 'GroupId', this.model.securityGroups, 'security group');
        if (sg instanceof Unknown) {
          continue;
        }
        const rule = this.sgRule(res, this.resolver.resolve(res.stack, res.props), egress);
        (egress ? sg.egress : sg.ingress).push(rule);
        if (egress) {
          // CloudFormation revokes the default allow-all egress rule when it adds an egress rule to the group
          // (which is why aws-cdk-lib drops its "disallow all" placeholder once a real egress rule exists).
          // https://github.com/aws-cloudformation/cfn-language-discussion/issues/157
          sg.defaultEgress = false;
        }
      }
    }
  }

  private sgRule(res: Res, raw: unknown, egress: boolean): SgRule {
    const p = (raw ?? {}) as Record<string, any>;
    const protocol = normaliseProtocol(p.IpProtocol);
    const fromPort = protocol === 'all' || p.FromPort === undefined ? -1 : Number(p.FromPort);
    const toPort = protocol === 'all' || p.ToPort === undefined ? -1 : Number(p.ToPort);
    const base = { protocol, fromPort, toPort, source: displayName(res) };
    const peerSgText = p.SourceSecurityGroupId ?? p.DestinationSecurityGroupId;
    const peerText = p.CidrIp ?? p.CidrIpv6 ?? (peerSgText ? this.model.describe(String(peerSgText)) : undefined)
      ?? (p.SourcePrefixListId ?? p.DestinationPrefixListId ? `prefix list ${this.model.describe(String(p.SourcePrefixListId ?? p.DestinationPrefixListId))}` : undefined)
      ?? p.SourceSecurityGroupName ?? '?';
    const text = `${describePorts(protocol, fromPort, toPort)} ${egress ? 'to' : 'from'} ${peerText}`;
    // Keep a known CIDR peer on a rule with unknown parts: a peer the rule cannot match makes the unknown irrelevant.
    const knownCidr = typeof p.CidrIp === 'string' && !cidrProblem(p.CidrIp) ? [Ipv4Cidr.parse(p.CidrIp)] : undefined;
    const unknown = findUnknown(p);
    if (unknown) {
      this.model.addIssue('unresolved', res, unknown.reason, egress ? 'SecurityGroupEgress' : 'SecurityGroupIngress');
      return { ...base, cidrs: knownCidr, unknown: `${displayName(res)}: ${unknown.reason}`, text };
    }
    if (!Number.isInteger(fromPort) || !Number.isInteger(toPort)) {
      const reason = `${displayName(res)}: the port range ${this.model.describe(String(p.FromPort))}-${this.model.describe(String(p.ToPort))} is only known at deployment`;
      this.model.addIssue('unresolved', res, reason, egress ? 'SecurityGroupEgress' : 'SecurityGroupIngress');
      return { ...base, cidrs: knownCidr, unknown: reason, text: `${protocol} (ports not known offline) ${egress ? 'to' : 'from'} ${peerText}` };
    }
    if (p.CidrIp !== undefined) {
      const cidr = this.cidr(res, egress ? 'SecurityGroupEgress.CidrIp' : 'SecurityGroupIngress.CidrIp', p.CidrIp);
      return cidr instanceof Unknown ? { ...base, unknown: cidr.reason, text } : { ...base, cidrs: [cidr], text };
    }
    if (p.CidrIpv6 !== undefined) {
      return { ...base, ipv6: true, text };
    }
    const peerSg = p.SourceSecurityGroupId ?? p.DestinationSecurityGroupId;
    if (peerSg !== undefined) {
      return { ...base, peerSg: String(peerSg), text };
    }
    const prefixList = p.SourcePrefixListId ?? p.DestinationPrefixListId;
    if (prefixList !== undefined) {
      const cidrs = this.model.prefixLists.get(String(prefixList));
      const awsList = awsPrefixListName(prefixList);
      if (awsList) {
        return { ...base, awsPrefixList: awsList, text };
      }
      return cidrs ? { ...base, cidrs, text }
        : { ...base, unknown: `${displayName(res)}: prefix list ${this.model.describe(String(prefixList))} is not a customer-managed prefix list of this assembly`, text };
    }
    return { ...base, unknown: `${displayName(res)}: the rule names its peer by group name (${peerText}), which is not modelled`, text };
  }

  private transitGateways(): void {
    for (const res of this.of('AWS::EC2::TransitGateway')) {
      const p = this.resolver.resolve(res.stack, res.props) as Record<string, any>;
      const tgw: Tgw = { id: idSymbol(res.key), res, name: displayName(res), sgReferencing: p.SecurityGroupReferencingSupport === 'enable' };
      const defaultTable = attributeSymbol(res.key, 'DefaultRouteTable');
      if (p.DefaultRouteTableAssociation !== 'disable') {
        tgw.defaultAssociation = typeof p.AssociationDefaultRouteTableId === 'string' ? p.AssociationDefaultRouteTableId : defaultTable;
      }
      if (p.DefaultRouteTablePropagation !== 'disable') {
        tgw.defaultPropagation = typeof p.PropagationDefaultRouteTableId === 'string' ? p.PropagationDefaultRouteTableId : defaultTable;
      }
      if ((tgw.defaultAssociation === defaultTable || tgw.defaultPropagation === defaultTable) && !this.model.tgwRouteTables.has(defaultTable)) {
        this.model.tgwRouteTables.set(defaultTable, { id: defaultTable, name: `${tgw.name} (default route table)`, tgwId: tgw.id, staticRoutes: [], propagations: [] });
      }
      this.model.tgws.set(tgw.id, tgw);
    }
    for (const res of this.of('AWS::EC2::TransitGatewayRouteTable')) {
      const table: TgwRouteTable = { id: idSymbol(res.key), name: displayName(res), tgwId: this.id(res, 'TransitGatewayId'), staticRoutes: [], propagations: [] };
      this.model.tgwRouteTables.set(table.id, table);
    }
    for (const res of this.of('AWS::EC2::TransitGatewayVpcAttachment', 'AWS::EC2::TransitGatewayAttachment')) {
      const vpc = this.vpcOf(res, 'VpcId');
      const options = this.resolver.prop(res, 'Options') as Record<string, unknown> | undefined;
      const attachment: Attachment = {
        id: idSymbol(res.key),
        name: displayName(res),
        kind: 'vpc',
        res,
        tgwId: this.id(res, 'TransitGatewayId'),
        vpc: vpc instanceof Unknown ? undefined : vpc,
        subnets: this.ids(res, 'SubnetIds').map((s) => s instanceof Unknown ? s : this.model.subnets.get(s) ?? new Unknown(`${displayName(res)} SubnetIds: ${this.model.describe(s)} is not a subnet of this assembly`)),
        staticRoutesOnly: false,
        sites: [],
        sgReferencing: options?.SecurityGroupReferencingSupport !== 'disable',
      };
      if (vpc instanceof Unknown) {
        this.model.addIssue('unresolved', res, vpc.reason, 'VpcId');
      } else {
        vpc.attachments.push(attachment);
      }
      this.model.attachments.set(attachment.id, attachment);
    }
    for (const res of this.of('AWS::EC2::VPNConnection')) {
      if (res.props.TransitGatewayId === undefined) {
        this.model.addIssue('not-modelled', res, 'a VPN connection on a virtual private gateway is not modelled (a virtual private gateway cannot attach to a transit gateway: ARCHITECTURE.md correction 1)');
        continue;
      }
      const cgwId = this.id(res, 'CustomerGatewayId');
      const cgw = cgwId instanceof Unknown ? undefined : this.resolver.resource(parseSymbol(cgwId)?.key ?? '');
      const address = cgw?.type === 'AWS::EC2::CustomerGateway' ? this.resolver.prop(cgw, 'IpAddress') : undefined;
      const staticOnly = this.resolver.prop(res, 'StaticRoutesOnly');
      const attachment: Attachment = {
        id: vpnAttachmentId(res.key),
        name: `${displayName(res)} (VPN attachment)`,
        kind: 'vpn',
        res,
        tgwId: this.id(res, 'TransitGatewayId'),
        subnets: [],
        staticRoutesOnly: staticOnly === true || staticOnly === 'true',
        customerGatewayAddress: typeof address === 'string' ? address : undefined,
        sites: [],
        sgReferencing: false,
      };
      this.model.attachments.set(attachment.id, attachment);
    }
    for (const res of this.of('AWS::EC2::TransitGatewayRouteTableAssociation')) {
      const table = this.lookup(res, 'TransitGatewayRouteTableId', this.model.tgwRouteTables, 'transit gateway route table');
      const attachmentId = this.id(res, 'TransitGatewayAttachmentId');
      if (table instanceof Unknown) {
        continue;
      }
      if (attachmentId instanceof Unknown) {
        this.model.unknownAssociations.push({ table, reason: attachmentId.reason });
        continue;
      }
      const list = this.model.associations.get(attachmentId) ?? [];
      list.push({ table, source: displayName(res) });
      this.model.associations.set(attachmentId, list);
    }
    for (const res of this.of('AWS::EC2::TransitGatewayRouteTablePropagation')) {
      const table = this.lookup(res, 'TransitGatewayRouteTableId', this.model.tgwRouteTables, 'transit gateway route table');
      if (!(table instanceof Unknown)) {
        table.propagations.push({ attachmentId: this.id(res, 'TransitGatewayAttachmentId'), source: displayName(res) });
      }
    }
    for (const res of this.of('AWS::EC2::TransitGatewayRoute')) {
      const table = this.lookup(res, 'TransitGatewayRouteTableId', this.model.tgwRouteTables, 'transit gateway route table');
      if (table instanceof Unknown) {
        continue;
      }
      const blackhole = this.resolver.prop(res, 'Blackhole');
      const isBlackhole = blackhole === true || blackhole === 'true';
      table.staticRoutes.push({
        cidr: this.cidr(res, 'DestinationCidrBlock'),
        blackhole: isBlackhole,
        attachmentId: isBlackhole ? '' : this.id(res, 'TransitGatewayAttachmentId'),
        source: displayName(res),
      });
    }
  }

  private routes(): void {
    for (const table of this.model.routeTables.values()) {
      for (const cidr of table.vpc.cidrs) {
        table.routes.push({ cidr, target: { kind: 'local' }, source: `${table.name} (local route)` });
      }
      if (table.vpc.cidrUnknown) {
        table.routes.push({ cidr: new Unknown(table.vpc.cidrUnknown), target: { kind: 'local' }, source: `${table.name} (local route)` });
      }
    }
    for (const res of this.of('AWS::EC2::Route')) {
      const table = this.lookup(res, 'RouteTableId', this.model.routeTables, 'route table');
      if (table instanceof Unknown) {
        continue;
      }
      if (res.props.DestinationIpv6CidrBlock !== undefined && res.props.DestinationCidrBlock === undefined) {
        continue; // IPv6 routes never match the IPv4 traffic this model evaluates.
      }
      const target = this.routeTarget(res);
      const source = displayName(res);
      if (res.props.DestinationPrefixListId !== undefined) {
        const pl = this.id(res, 'DestinationPrefixListId');
        const cidrs = pl instanceof Unknown ? undefined : this.model.prefixLists.get(pl);
        if (!(pl instanceof Unknown) && awsPrefixListName(pl)) {
          table.routes.push({ cidr: new Unknown(`the public addresses of ${this.model.describe(pl)}`), target, source, publicOnly: true });
          continue;
        }
        if (cidrs) {
          cidrs.forEach((cidr) => table.routes.push({ cidr, target, source }));
        } else {
          const reason = `${source} routes prefix list ${this.model.describe(pl)}, whose entries are not in this assembly`;
          this.model.addIssue('unresolved', res, reason, 'DestinationPrefixListId');
          table.routes.push({ cidr: new Unknown(reason), target, source });
        }
        continue;
      }
      table.routes.push({ cidr: this.cidr(res, 'DestinationCidrBlock'), target, source });
    }
    for (const res of this.of('AWS::EC2::VPCEndpoint')) {
      const type = this.resolver.prop(res, 'VpcEndpointType') ?? 'Gateway';
      if (type !== 'Gateway') {
        continue;
      }
      const service = this.resolver.prop(res, 'ServiceName');
      for (const id of this.ids(res, 'RouteTableIds')) {
        const table = id instanceof Unknown ? undefined : this.model.routeTables.get(id);
        if (table) {
          table.routes.push({
            cidr: new Unknown(`the public prefixes of ${typeof service === 'string' ? service : 'the service'}`),
            target: { kind: 'aws-service', description: `gateway endpoint ${displayName(res)}` },
            source: displayName(res),
            publicOnly: true,
          });
        }
      }
    }
  }

  private routeTarget(res: Res): RouteTarget {
    const p = res.props;
    const named = (name: string, description: string): RouteTarget => {
      const id = this.id(res, name);
      return id instanceof Unknown ? { kind: 'unknown', reason: id.reason } : { kind: 'other', description: `${description} ${this.model.describe(id)}` };
    };
    if (p.TransitGatewayId !== undefined) {
      const id = this.id(res, 'TransitGatewayId');
      return id instanceof Unknown ? { kind: 'unknown', reason: id.reason } : { kind: 'tgw', tgwId: id };
    }
    if (p.GatewayId !== undefined) {
      const id = this.id(res, 'GatewayId');
      if (id instanceof Unknown) {
        return { kind: 'unknown', reason: id.reason };
      }
      if (id === 'local') {
        return { kind: 'local' };
      }
      const type = this.resolver.resource(parseSymbol(id)?.key ?? '')?.type;
      return { kind: 'other', description: `${type === 'AWS::EC2::VPNGateway' ? 'virtual private gateway' : type === 'AWS::EC2::InternetGateway' ? 'internet gateway' : 'gateway'} ${this.model.describe(id)}` };
    }
    if (p.NatGatewayId !== undefined) return named('NatGatewayId', 'NAT gateway');
    if (p.VpcPeeringConnectionId !== undefined) return named('VpcPeeringConnectionId', 'VPC peering connection');
    if (p.NetworkInterfaceId !== undefined) return named('NetworkInterfaceId', 'network interface');
    if (p.InstanceId !== undefined) return named('InstanceId', 'instance');
    if (p.VpcEndpointId !== undefined) return named('VpcEndpointId', 'VPC endpoint (Gateway Load Balancer or Network Firewall)');
    if (p.CarrierGatewayId !== undefined) return named('CarrierGatewayId', 'carrier gateway');
    if (p.LocalGatewayId !== undefined) return named('LocalGatewayId', 'local gateway');
    if (p.CoreNetworkArn !== undefined) return named('CoreNetworkArn', 'Cloud WAN core network');
    if (p.EgressOnlyInternetGatewayId !== undefined) return named('EgressOnlyInternetGatewayId', 'egress-only internet gateway');
    return { kind: 'unknown', reason: `${displayName(res)} has no target the model knows` };
  }

  private sgList(res: Res, name: string, vpcOf: () => Vpc | Unknown | undefined): Array<SecurityGroup | Unknown> {
    if (res.props[name] === undefined) {
      const vpc = vpcOf();
      return [vpc instanceof Unknown || vpc === undefined ? new Unknown(`${displayName(res)} uses the default security group of a VPC that is not known offline`) : vpc.defaultSg];
    }
    return this.ids(res, name).map((id) => id instanceof Unknown ? id : this.model.securityGroups.get(id)
      ?? new Unknown(`${displayName(res)} ${name}: ${this.model.describe(id)} is not a security group of this assembly`));
  }

  private placementsOf(res: Res, name: string, ids: Array<string | Unknown>, addresses: Array<unknown> = []): Placement[] {
    return ids.map((id, i) => {
      const subnet = id instanceof Unknown ? id : this.model.subnets.get(id) ?? new Unknown(`${displayName(res)} ${name}: ${this.model.describe(id)} is not a subnet of this assembly`);
      const address = typeof addresses[i] === 'string' && isIpv4(addresses[i] as string) ? Ipv4Cidr.parse(`${addresses[i]}/32`) : undefined;
      return { subnet, address };
    });
  }

  private firstVpc(placements: Placement[]): () => Vpc | Unknown | undefined {
    return () => {
      const s = placements.find((p) => !(p.subnet instanceof Unknown))?.subnet;
      return s instanceof Unknown ? s : s?.vpc;
    };
  }

  private endpoints(): void {
    const add = (res: Res, kind: string, placements: Placement[], sgs: Array<SecurityGroup | Unknown> | undefined) => {
      this.model.endpoints.push({ res, name: displayName(res), kind, placements, sgs });
    };
    for (const res of this.of('AWS::EC2::Instance')) {
      const nis = (this.value(res, 'NetworkInterfaces') ?? []) as any[];
      let placements: Placement[];
      let sgIds: Array<string | Unknown> = [];
      if (Array.isArray(nis) && nis.length > 0) {
        placements = nis.flatMap((ni) => this.placementsOf(res, 'NetworkInterfaces.SubnetId', [this.id(res, 'NetworkInterfaces.SubnetId', ni?.SubnetId)], [ni?.PrivateIpAddress]));
        sgIds = nis.flatMap((ni) => this.ids(res, 'NetworkInterfaces.GroupSet', ni?.GroupSet));
      } else {
        placements = this.placementsOf(res, 'SubnetId', res.props.SubnetId === undefined
          ? [new Unknown(`${displayName(res)} has no SubnetId: it runs in the default VPC, which is not in this assembly`)] : [this.id(res, 'SubnetId')],
        [this.resolver.prop(res, 'PrivateIpAddress')]);
      }
      let sgs: Array<SecurityGroup | Unknown>;
      if (res.props.SecurityGroups !== undefined) {
        sgs = [new Unknown(`${displayName(res)} names its security groups by name (SecurityGroups); use SecurityGroupIds`)];
      } else if (sgIds.length > 0) {
        sgs = sgIds.map((id) => id instanceof Unknown ? id : this.model.securityGroups.get(id) ?? new Unknown(`${displayName(res)}: ${this.model.describe(id)} is not a security group of this assembly`));
      } else {
        sgs = this.sgList(res, 'SecurityGroupIds', this.firstVpc(placements));
      }
      add(res, 'EC2 instance', placements, sgs);
    }
    for (const res of this.of('AWS::EC2::NetworkInterface')) {
      const placements = this.placementsOf(res, 'SubnetId', [this.id(res, 'SubnetId')], [this.resolver.prop(res, 'PrivateIpAddress')]);
      add(res, 'network interface', placements, this.sgList(res, 'GroupSet', this.firstVpc(placements)));
    }
    for (const res of this.of('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      const type = this.resolver.prop(res, 'Type') ?? 'application';
      if (type === 'gateway') {
        this.model.addIssue('not-modelled', res, 'Gateway Load Balancers are not modelled');
        continue;
      }
      let placements: Placement[];
      if (res.props.SubnetMappings !== undefined) {
        const mappings = (this.value(res, 'SubnetMappings') ?? []) as any[];
        placements = (Array.isArray(mappings) ? mappings : []).flatMap((m) =>
          this.placementsOf(res, 'SubnetMappings.SubnetId', [this.id(res, 'SubnetMappings.SubnetId', m?.SubnetId)], [m?.PrivateIPv4Address]));
      } else {
        placements = this.placementsOf(res, 'Subnets', this.ids(res, 'Subnets'));
      }
      const noSg = type === 'network' && res.props.SecurityGroups === undefined;
      add(res, type === 'network' ? 'network load balancer' : 'application load balancer', placements,
        noSg ? undefined : this.sgList(res, 'SecurityGroups', this.firstVpc(placements)));
    }
    for (const res of this.of('AWS::ECS::Service')) {
      const config = (this.value(res, 'NetworkConfiguration') as any)?.AwsvpcConfiguration;
      if (!config) {
        this.model.addIssue('not-modelled', res, 'an ECS service without awsvpc networking shares its host\'s network; it is not modelled');
        continue;
      }
      const placements = this.placementsOf(res, 'NetworkConfiguration.AwsvpcConfiguration.Subnets', this.ids(res, 'NetworkConfiguration.AwsvpcConfiguration.Subnets', config.Subnets));
      const sgs = config.SecurityGroups === undefined ? this.sgList(res, '__none__', this.firstVpc(placements))
        : this.ids(res, 'NetworkConfiguration.AwsvpcConfiguration.SecurityGroups', config.SecurityGroups).map((id) => this.sgById(res, id));
      add(res, 'ECS service', placements, sgs);
    }
    for (const res of this.of('AWS::RDS::DBInstance', 'AWS::RDS::DBCluster')) {
      if (res.type === 'AWS::RDS::DBInstance' && res.props.DBClusterIdentifier !== undefined) {
        continue; // The cluster's subnets and security groups apply.
      }
      const group = this.id(res, 'DBSubnetGroupName');
      const groupRes = group instanceof Unknown ? undefined : this.resolver.resource(parseSymbol(group)?.key ?? '');
      const placements = res.props.DBSubnetGroupName === undefined
        ? [{ subnet: new Unknown(`${displayName(res)} has no DBSubnetGroupName: it uses the default VPC, which is not in this assembly`) }]
        : groupRes?.type === 'AWS::RDS::DBSubnetGroup' ? this.placementsOf(groupRes, 'SubnetIds', this.ids(groupRes, 'SubnetIds'))
          : [{ subnet: new Unknown(`${displayName(res)} DBSubnetGroupName: ${this.model.describe(group)} is not a DB subnet group of this assembly`) }];
      const sgProp = res.type === 'AWS::RDS::DBInstance' ? 'VPCSecurityGroups' : 'VpcSecurityGroupIds';
      add(res, res.type === 'AWS::RDS::DBInstance' ? 'RDS DB instance' : 'RDS DB cluster', placements, this.sgList(res, sgProp, this.firstVpc(placements)));
    }
    for (const res of this.of('AWS::EC2::VPCEndpoint')) {
      const type = this.resolver.prop(res, 'VpcEndpointType') ?? 'Gateway';
      if (type === 'Gateway') {
        continue;
      }
      if (type !== 'Interface') {
        this.model.addIssue('not-modelled', res, `VPC endpoints of type ${String(type)} are not modelled`);
        continue;
      }
      const placements = this.placementsOf(res, 'SubnetIds', this.ids(res, 'SubnetIds'));
      add(res, 'interface VPC endpoint', placements, this.sgList(res, 'SecurityGroupIds', this.firstVpc(placements)));
    }
    for (const res of this.of('AWS::Route53Resolver::ResolverEndpoint')) {
      const ips = (this.value(res, 'IpAddresses') ?? []) as any[];
      const list = Array.isArray(ips) ? ips : [];
      const placements = this.placementsOf(res, 'IpAddresses.SubnetId', list.map((ip) => this.id(res, 'IpAddresses.SubnetId', ip?.SubnetId)), list.map((ip) => ip?.Ip));
      add(res, `Route 53 Resolver ${String(this.resolver.prop(res, 'Direction') ?? '').toLowerCase()} endpoint`, placements, this.sgList(res, 'SecurityGroupIds', this.firstVpc(placements)));
    }
    for (const res of this.of('AWS::Transfer::Server')) {
      const type = this.resolver.prop(res, 'EndpointType') ?? 'PUBLIC';
      if (type === 'PUBLIC') {
        continue;
      }
      const details = (this.value(res, 'EndpointDetails') ?? {}) as any;
      if (type !== 'VPC' || !details.SubnetIds) {
        this.model.addIssue('not-modelled', res, `a Transfer Family server with endpoint type ${String(type)} and no SubnetIds is not modelled`);
        continue;
      }
      const placements = this.placementsOf(res, 'EndpointDetails.SubnetIds', this.ids(res, 'EndpointDetails.SubnetIds', details.SubnetIds));
      const sgs = details.SecurityGroupIds === undefined ? this.sgList(res, '__none__', this.firstVpc(placements))
        : this.ids(res, 'EndpointDetails.SecurityGroupIds', details.SecurityGroupIds).map((id) => this.sgById(res, id));
      add(res, 'Transfer Family server', placements, sgs);
    }
    for (const res of this.of('AWS::EC2::InstanceConnectEndpoint')) {
      const placements = this.placementsOf(res, 'SubnetId', [this.id(res, 'SubnetId')]);
      add(res, 'EC2 Instance Connect endpoint', placements, this.sgList(res, 'SecurityGroupIds', this.firstVpc(placements)));
    }
    for (const res of this.of('AWS::Lambda::Function')) {
      const config = this.value(res, 'VpcConfig') as any;
      if (!config?.SubnetIds) {
        continue;
      }
      const placements = this.placementsOf(res, 'VpcConfig.SubnetIds', this.ids(res, 'VpcConfig.SubnetIds', config.SubnetIds));
      const sgs = this.ids(res, 'VpcConfig.SecurityGroupIds', config.SecurityGroupIds ?? []).map((id) => this.sgById(res, id));
      add(res, 'Lambda function', placements, sgs);
    }
    // ECS tasks started by EventBridge Scheduler or an EventBridge rule (e.g. a nightly database dump).
    for (const res of this.of('AWS::Scheduler::Schedule', 'AWS::Events::Rule')) {
      const raw = res.type === 'AWS::Scheduler::Schedule' ? [this.value(res, 'Target')] : this.value(res, 'Targets');
      const targets = (Array.isArray(raw) ? raw : []) as any[];
      targets.forEach((target, i) => {
        const network = target?.EcsParameters?.NetworkConfiguration;
        const config = network?.AwsvpcConfiguration ?? network?.AwsVpcConfiguration;
        if (!config?.Subnets) {
          return;
        }
        const prop = res.type === 'AWS::Scheduler::Schedule' ? 'Target.EcsParameters.NetworkConfiguration' : `Targets[${i}].EcsParameters.NetworkConfiguration`;
        const placements = this.placementsOf(res, `${prop}.Subnets`, this.ids(res, `${prop}.Subnets`, config.Subnets));
        const sgs = config.SecurityGroups === undefined ? this.sgList(res, '__none__', this.firstVpc(placements))
          : this.ids(res, `${prop}.SecurityGroups`, config.SecurityGroups).map((id) => this.sgById(res, id));
        add(res, 'scheduled ECS task', placements, sgs);
      });
    }
    for (const res of this.of('AWS::EFS::MountTarget')) {
      const placements = this.placementsOf(res, 'SubnetId', [this.id(res, 'SubnetId')], [this.resolver.prop(res, 'IpAddress')]);
      add(res, 'EFS mount target', placements, this.sgList(res, 'SecurityGroups', this.firstVpc(placements)));
    }
  }

  private sgById(res: Res, id: string | Unknown): SecurityGroup | Unknown {
    return id instanceof Unknown ? id : this.model.securityGroups.get(id) ?? new Unknown(`${displayName(res)}: ${this.model.describe(id)} is not a security group of this assembly`);
  }

  private notModelled(): void {
    const modelled = new Set(['AWS::EC2::Instance', 'AWS::EC2::NetworkInterface', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ECS::Service',
      'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::Route53Resolver::ResolverEndpoint', 'AWS::Transfer::Server',
      'AWS::EC2::InstanceConnectEndpoint', 'AWS::Lambda::Function', 'AWS::EFS::MountTarget', 'AWS::EC2::SecurityGroup', 'AWS::EC2::VPNConnection',
      'AWS::Scheduler::Schedule', 'AWS::Events::Rule']);
    for (const [type, list] of this.byType) {
      if (NOT_MODELLED[type]) {
        list.forEach((res) => this.model.addIssue('not-modelled', res, NOT_MODELLED[type]));
      } else if (!modelled.has(type) && !PLUMBING.has(type) && !type.startsWith('Custom::')) {
        for (const res of list) {
          if (hasPlacement(res.props)) {
            this.model.addIssue('not-modelled', res, `${type} sits in VPC subnets or has security groups, but the type is not modelled; flows to or from it are not evaluated`);
          }
        }
      }
    }
  }
}

/** Collects every CIDR of the model (after sites are added); queries split address ranges at these boundaries. */
export function finishNetwork(model: NetworkModel): void {
  const seen = new Set<string>();
  const add = (c: Ipv4Cidr | Unknown | undefined) => {
    if (c instanceof Ipv4Cidr && !seen.has(c.toString())) {
      seen.add(c.toString());
      model.boundaries.push(c);
    }
  };
  for (const vpc of model.vpcs.values()) {
    vpc.cidrs.forEach(add);
  }
  for (const subnet of model.subnets.values()) {
    add(subnet.cidr);
  }
  for (const table of model.routeTables.values()) {
    table.routes.forEach((r) => add(r.cidr));
  }
  for (const table of model.tgwRouteTables.values()) {
    table.staticRoutes.forEach((r) => add(r.cidr));
  }
  for (const sg of model.securityGroups.values()) {
    [...sg.ingress, ...sg.egress].forEach((r) => r.cidrs?.forEach(add));
  }
  for (const nacl of model.nacls.values()) {
    nacl.entries.forEach((e) => add(e.cidr));
  }
  for (const site of model.sites) {
    site.cidrs.forEach(add);
    site.advertised.forEach(add);
  }
  for (const endpoint of model.endpoints) {
    endpoint.placements.forEach((p) => add(p.address));
  }
}

function hasPlacement(props: Record<string, unknown>, depth = 0): boolean {
  for (const [key, value] of Object.entries(props)) {
    if (PLACEMENT_PROPERTIES.includes(key)) {
      return true;
    }
    if (depth < 2 && value && typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::'))) {
      if (hasPlacement(value as Record<string, unknown>, depth + 1)) {
        return true;
      }
    }
  }
  return false;
}

function allowAllEntries(): NaclEntry[] {
  const any = Ipv4Cidr.parse('0.0.0.0/0');
  return [
    { ruleNumber: 100, egress: false, allow: true, protocol: 'all', fromPort: -1, toPort: -1, cidr: any, text: 'rule 100 allow all traffic from 0.0.0.0/0' },
    { ruleNumber: 100, egress: true, allow: true, protocol: 'all', fromPort: -1, toPort: -1, cidr: any, text: 'rule 100 allow all traffic to 0.0.0.0/0' },
  ];
}

/** `-1`, `all` → `all`; `6`, `tcp` → `tcp`; `17` → `udp`; `1` → `icmp`; other protocol numbers stay as they are. */
export function normaliseProtocol(value: unknown): string {
  const v = String(value).toLowerCase();
  switch (v) {
    case '-1': case 'all': return 'all';
    case '6': case 'tcp': return 'tcp';
    case '17': case 'udp': return 'udp';
    case '1': case 'icmp': return 'icmp';
    default: return v;
  }
}

/** `tcp 443`, `tcp 1024-65535`, `all traffic`, `icmp type 8`. */
export function describePorts(protocol: string, fromPort: number, toPort: number): string {
  if (protocol === 'all') {
    return 'all traffic';
  }
  if (protocol === 'icmp') {
    return fromPort === -1 ? 'icmp (all types)' : `icmp type ${fromPort}`;
  }
  if (protocol !== 'tcp' && protocol !== 'udp') {
    return `protocol ${protocol}`;
  }
  if (fromPort === -1 || (fromPort <= 0 && toPort >= 65535)) {
    return `${protocol} (all ports)`;
  }
  return fromPort === toPort ? `${protocol} ${fromPort}` : `${protocol} ${fromPort}-${toPort}`;
}

/** The host of the resolver: lookups for `Custom::AWS` and literal ID mapping. */
export class ModelResolverHost {
  public resolver!: Resolver;
  private readonly lookupCache = new Map<string, unknown>();

  constructor(private readonly registry: LookupRegistry, private readonly literalMap: Map<string, string>) {}

  public customAttribute(res: Res, attribute: string): unknown {
    const cacheKey = `${res.key}#${attribute}`;
    if (this.lookupCache.has(cacheKey)) {
      return this.lookupCache.get(cacheKey);
    }
    // Guard against lookups that (indirectly) depend on themselves.
    this.lookupCache.set(cacheKey, new Unknown(`lookup ${displayName(res)} depends on itself`));
    let value = resolveAdaptedLookup(res, attribute, this.resolver, this.registry);
    if (value === undefined && attribute === '') {
      value = idSymbol(res.key); // Ref of a custom resource no adapter reads: its physical ID, opaque but stable.
    }
    if (value === undefined) {
      const call = parseLookupCall(res, this.resolver);
      value = res.type === 'Custom::AWS' || !(call instanceof Unknown)
        ? resolveLookupAttribute(res, attribute, this.resolver, this.registry)
        : new Unknown(`${displayName(res)} is a custom resource of type ${res.type}; its attribute ${attribute} is only known at deployment`);
    }
    this.lookupCache.set(cacheKey, value);
    return value;
  }

  /** `Ref` of a custom resource: the resolved ID for lookups read by an adapter, else the resource's own symbol. */
  public customReference(res: Res): unknown {
    return this.registry.adapterFor(res.type) ? this.customAttribute(res, '') : idSymbol(res.key);
  }

  public mapLiteral(value: string): string {
    return this.literalMap.get(value) ?? value;
  }
}
