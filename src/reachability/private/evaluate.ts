import {
  Attachment, describePorts, NaclEntry, Nacl, NetworkModel, RouteTable, SecurityGroup, SgRule, Site, Subnet,
  TgwRouteTable, VpcRoute,
} from './network';
import { shortPath, Unknown } from './values';
import { Ipv4Cidr } from '../../private/cidr';

/**
 * Hop-by-hop evaluation of one flow over the network model: the forward path from a source address to a destination
 * address (security group egress, network ACLs, VPC route tables with the `local` route, transit gateway
 * attachments and route tables, VPN attachments, security group ingress), then the return path from the
 * destination back to the source (route tables and network ACLs at every hop; security groups are stateful).
 *
 * Longest-prefix match decides at every route table, never CIDR containment alone, so overlapping ranges (the data
 * centre's 10.0.0.0/16 around the spokes) are handled as AWS handles them.
 */

export type V = 'allowed' | 'partial' | 'blocked' | 'unknown';

export type HopKindText = 'security-group-egress' | 'network-acl-outbound' | 'route-table' | 'transit-gateway-attachment'
  | 'transit-gateway-route-table' | 'vpn' | 'network-acl-inbound' | 'security-group-ingress' | 'destination';

export interface HopRecord {
  readonly direction: 'forward' | 'return';
  readonly kind: HopKindText;
  readonly verdict: V;
  readonly resource: string;
  readonly detail: string;
}

export interface Outcome {
  readonly verdict: V;
  readonly hops: HopRecord[];
  readonly reason: string;
}

/** Where traffic starts or ends. */
export type Place =
  | { readonly kind: 'subnet'; readonly subnet: Subnet; readonly sgs?: Array<SecurityGroup | Unknown>; readonly label: string }
  | { readonly kind: 'site'; readonly site: Site; readonly label: string };

export interface Packet {
  readonly src: Ipv4Cidr;
  readonly dst: Ipv4Cidr;
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  /** Destination ports (TCP/UDP) or ICMP type (both equal), as a range. */
  readonly fromPort: number;
  readonly toPort: number;
}

/** AND along a path: any blocked → blocked; else any unknown → unknown; else any partial → partial. */
export function andVerdict(a: V, b: V): V {
  if (a === 'blocked' || b === 'blocked') return 'blocked';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  if (a === 'partial' || b === 'partial') return 'partial';
  return 'allowed';
}

/** Combination of alternatives (addresses, AZs): all allowed → allowed; all blocked → blocked; any unknown → unknown. */
export function anyVerdict(verdicts: V[]): V {
  if (verdicts.length === 0) return 'blocked';
  if (verdicts.every((v) => v === 'allowed')) return 'allowed';
  if (verdicts.every((v) => v === 'blocked')) return 'blocked';
  if (verdicts.some((v) => v === 'unknown')) return 'unknown';
  return 'partial';
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'].map((c) => Ipv4Cidr.parse(c));

/** True for RFC 1918, shared (100.64/10) and link-local addresses, which no AWS service prefix list contains. */
export function isPrivate(cidr: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((r) => r.contains(cidr));
}

const DOC_AZ = 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html';
const DOC_LOCAL = 'https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html';
const MAX_TGW_VISITS = 4;

interface TgwRoute {
  readonly cidr: Ipv4Cidr | Unknown;
  /** 0 static, 2 VPC propagated, 5 VPN propagated (AWS route evaluation order). */
  readonly priority: number;
  readonly blackhole: boolean;
  readonly attachmentId: string | Unknown;
  readonly description: string;
}

/** Evaluates flows over one model. Stateless between calls except for caches of derived route tables. */
export class Walker {
  private readonly tgwRouteCache = new Map<string, TgwRoute[]>();

  constructor(private readonly model: NetworkModel, private readonly ephemeral: { readonly from: number; readonly to: number }) {}

  /**
   * The forward outcomes of one flow between two atoms (address ranges that every modelled CIDR either contains or
   * misses), then, for each forward outcome that is not blocked, the return outcomes.
   */
  public evaluate(origin: Place, target: Place, packet: Packet): Array<{ forward: Outcome; back?: Outcome }> {
    const forward = this.walk(origin, target, packet, 'forward');
    const results: Array<{ forward: Outcome; back?: Outcome }> = [];
    let back: Outcome[] | undefined;
    for (const f of forward) {
      if (f.verdict === 'blocked') {
        results.push({ forward: f });
        continue;
      }
      back = back ?? this.walk(target, origin, this.reply(packet), 'return');
      back.forEach((b) => results.push({ forward: f, back: b }));
    }
    return results;
  }

  /**
   * One defence layer on its own, forward only: does the transit gateway alone carry the packet from the origin's
   * attachments towards the target (`transit-gateway`), or do the target's security groups alone admit it
   * (`security-groups`)? Everything outside the layer is ignored, so a layer that would let the packet through is
   * reported even when another layer still blocks it.
   */
  public evaluateLayer(layer: 'transit-gateway' | 'security-groups', origin: Place, target: Place, packet: Packet): Outcome[] {
    return layer === 'transit-gateway' ? this.transitGatewayLayer(origin, target, packet) : [this.securityGroupLayer(origin, target, packet)];
  }

  /** The route table associated with each attachment of the origin (its VPC's, or its site's VPN), and where it leads. */
  private transitGatewayLayer(origin: Place, target: Place, packet: Packet): Outcome[] {
    const ingresses = origin.kind === 'site' ? [origin.site.attachment] : origin.subnet.vpc.attachments;
    if (ingresses.length === 0) {
      const path = new Path('forward');
      path.add('transit-gateway-attachment', 'blocked', origin.kind === 'subnet' ? name(origin.subnet.vpc.res.path) : origin.site.name,
        'has no transit gateway attachment');
      return [path.done()];
    }
    return ingresses.map((ingress) => {
      const path = new Path('forward');
      path.add(ingress.kind === 'vpn' ? 'vpn' : 'transit-gateway-attachment', 'allowed', ingress.name,
        `enters the transit gateway through ${ingress.name} (only the transit gateway's route tables are evaluated)`);
      const egress = this.routeThroughTgw(path, ingress.tgwId, ingress, packet);
      if (!egress) {
        return path.done();
      }
      if (egress.kind === 'vpn') {
        return this.toVpn(path, egress, target, packet);
      }
      if (target.kind === 'subnet' && egress.vpc === target.subnet.vpc) {
        path.add('transit-gateway-attachment', 'allowed', egress.name, `leaves the transit gateway into ${name(target.subnet.vpc.res.path)}, where ${target.label} is`);
        path.add('destination', 'allowed', name(target.subnet), `the transit gateway carries it towards ${target.label}`);
        return path.done();
      }
      path.add('transit-gateway-attachment', 'blocked', egress.name, `leads into ${egress.vpc ? name(egress.vpc.res.path) : egress.name}, not to ${target.label}`);
      return path.done();
    });
  }

  /** The target's security groups (ingress) on their own. */
  private securityGroupLayer(origin: Place, target: Place, packet: Packet): Outcome {
    const path = new Path('forward');
    if (target.kind !== 'subnet' || !target.sgs) {
      path.add('security-group-ingress', 'unknown', target.kind === 'subnet' ? name(target.subnet) : target.site.name,
        `${target.label} has no security groups to evaluate`);
      return path.done();
    }
    const ingress = this.sgIngress(origin, target, packet);
    if (path.add('security-group-ingress', ingress.verdict, ingress.resource, ingress.detail)) {
      path.add('destination', 'allowed', name(target.subnet), `the security groups of ${target.label} admit it (routing is not evaluated)`);
    }
    return path.done();
  }

  private reply(packet: Packet): Packet {
    if (packet.protocol === 'icmp') {
      // An echo request (type 8) is answered by an echo reply (type 0); other types are checked as they are.
      const type = packet.fromPort === 8 ? 0 : packet.fromPort;
      return { src: packet.dst, dst: packet.src, protocol: 'icmp', fromPort: type, toPort: type };
    }
    return { src: packet.dst, dst: packet.src, protocol: packet.protocol, fromPort: this.ephemeral.from, toPort: this.ephemeral.to };
  }

  private walk(origin: Place, target: Place, packet: Packet, direction: 'forward' | 'return'): Outcome[] {
    const path = new Path(direction);
    if (direction === 'forward' && origin.kind === 'subnet' && origin.sgs) {
      const egress = this.sgEgress(origin, target, packet);
      if (!path.add('security-group-egress', egress.verdict, egress.resource, egress.detail)) {
        return [path.done()];
      }
    }
    if (origin.kind === 'site') {
      const attachment = origin.site.attachment;
      path.add('vpn', 'allowed', attachment.name, `enters AWS from ${origin.site.name} through ${attachment.name}`);
      return this.atTgw(path, attachment.tgwId, attachment, undefined, origin, target, packet, 0);
    }
    return this.fromSubnet(path, origin.subnet, origin, target, packet);
  }

  private fromSubnet(path: Path, subnet: Subnet, origin: Place, target: Place, packet: Packet): Outcome[] {
    if (target.kind === 'subnet' && target.subnet === subnet) {
      path.add('route-table', 'allowed', name(subnet), 'source and destination share the subnet: no route table or network ACL applies');
      return [this.deliver(path, target, origin, packet)];
    }
    const table = subnet.routeTable;
    if (table instanceof Unknown) {
      path.add('route-table', 'unknown', name(subnet), table.reason);
      return [path.done()];
    }
    const match = this.vpcLookup(table, packet.dst);
    if (!path.add('route-table', match.verdict, table.name, match.detail) || !match.route) {
      return [path.done()];
    }
    const target0 = match.route.target;
    if (target0.kind === 'local') {
      return [this.local(path, subnet, table, origin, target, packet)];
    }
    if (target0.kind !== 'tgw') {
      path.add('route-table', 'unknown', table.name, unfollowed(match.route));
      return [path.done()];
    }
    const attachment = this.vpcAttachment(subnet.vpc, target0.tgwId);
    if (attachment instanceof Unknown || typeof attachment === 'string') {
      path.add('transit-gateway-attachment', attachment instanceof Unknown ? 'unknown' : 'blocked', name(subnet.vpc.res.path),
        attachment instanceof Unknown ? attachment.reason : attachment);
      return [path.done()];
    }
    const entry = this.attachmentSubnetFor(attachment, subnet);
    if (!(entry instanceof Object) || entry instanceof Unknown) {
      path.add('transit-gateway-attachment', entry instanceof Unknown ? 'unknown' : 'blocked', attachment.name,
        entry instanceof Unknown ? entry.reason : entry);
      return [path.done()];
    }
    if (!this.nacl(path, subnet, true, packet.dst, packet, 'network-acl-outbound')) {
      return [path.done()];
    }
    if (entry !== subnet && !this.nacl(path, entry, false, packet.src, packet, 'network-acl-inbound')) {
      return [path.done()];
    }
    path.add('transit-gateway-attachment', 'allowed', attachment.name, `enters the transit gateway through ${attachment.name} in ${name(entry)} (${String(entry.az)})`);
    const az = { account: subnet.vpc.res.stack.account, region: subnet.vpc.res.stack.region, az: subnet.az };
    return this.atTgw(path, target0.tgwId, attachment, az, origin, target, packet, 0);
  }

  /** Traffic that the `local` route keeps inside the VPC. */
  private local(path: Path, from: Subnet, table: RouteTable, origin: Place, target: Place, packet: Packet): Outcome {
    if (target.kind !== 'subnet' || target.subnet.vpc !== from.vpc) {
      path.add('route-table', 'blocked', table.name,
        `the local route of ${name(from.vpc.res.path)} keeps ${packet.dst} inside that VPC, but the destination ${target.label} is not in it ` +
        `(a route more specific than the local route cannot point at a transit gateway: ${DOC_LOCAL})`);
      return path.done();
    }
    if (!this.nacl(path, from, true, packet.dst, packet, 'network-acl-outbound')
      || !this.nacl(path, target.subnet, false, packet.src, packet, 'network-acl-inbound')) {
      return path.done();
    }
    return this.deliver(path, target, origin, packet);
  }

  private atTgw(path: Path, tgwId: string | Unknown, ingress: Attachment, fromAz: AzContext | undefined,
    origin: Place, target: Place, packet: Packet, visits: number): Outcome[] {
    if (visits >= MAX_TGW_VISITS && typeof tgwId === 'string' && this.model.tgws.has(tgwId)) {
      path.add('transit-gateway-route-table', 'unknown', this.model.describe(tgwId), `the path crosses the transit gateway more than ${MAX_TGW_VISITS} times (a routing loop)`);
      return [path.done()];
    }
    const egress = this.routeThroughTgw(path, tgwId, ingress, packet);
    if (!egress) {
      return [path.done()];
    }
    if (egress.kind === 'vpn') {
      return [this.toVpn(path, egress, target, packet)];
    }
    if (!egress.vpc) {
      path.add('transit-gateway-attachment', 'unknown', egress.name, `the VPC of ${egress.name} is not known offline`);
      return [path.done()];
    }
    const unknownSubnet = egress.subnets.find((s): s is Unknown => s instanceof Unknown);
    if (unknownSubnet) {
      path.add('transit-gateway-attachment', 'unknown', egress.name, unknownSubnet.reason);
      return [path.done()];
    }
    const subnets = egress.subnets as Subnet[];
    const sameAz = fromAz ? subnets.filter((s) => sameZone(fromAz, s)) : [];
    // The transit gateway keeps traffic in the AZ it came from when it can; otherwise any attachment AZ may be used.
    const candidates = sameAz.length > 0 ? sameAz : subnets;
    return candidates.flatMap((s) => this.intoVpc(path.fork(), egress, s, origin, target, packet, visits));
  }

  /**
   * The transit gateway hop: the route table associated with `ingress`, its route for the destination and the
   * attachment that route leads to. Undefined when the path stops here (the reason is recorded on `path`).
   */
  private routeThroughTgw(path: Path, tgwId: string | Unknown, ingress: Attachment, packet: Packet): Attachment | undefined {
    if (tgwId instanceof Unknown || !this.model.tgws.has(tgwId)) {
      path.add('transit-gateway-route-table', 'unknown', ingress.name, tgwId instanceof Unknown ? tgwId.reason
        : `transit gateway ${this.model.describe(tgwId)} is not in this assembly; map its ID with externalIds`);
      return undefined;
    }
    const table = this.associationOf(ingress);
    if (!(table instanceof Object) || table instanceof Unknown) {
      path.add('transit-gateway-route-table', table instanceof Unknown ? 'unknown' : 'blocked', ingress.name,
        table instanceof Unknown ? table.reason : table);
      return undefined;
    }
    const match = this.tgwLookup(table, packet.dst);
    if (!path.add('transit-gateway-route-table', match.verdict, table.name, match.detail) || !match.route) {
      return undefined;
    }
    const egressId = match.route.attachmentId as string;
    const egress = this.model.attachments.get(egressId);
    if (!egress) {
      path.add('transit-gateway-attachment', 'unknown', table.name, `the route leads to attachment ${this.model.describe(egressId)}, which is not in this assembly`);
    }
    return egress;
  }

  private toVpn(path: Path, egress: Attachment, target: Place, packet: Packet): Outcome {
    if (target.kind === 'site' && target.site.attachment === egress) {
      path.add('vpn', 'allowed', egress.name, `leaves AWS through ${egress.name} towards ${target.site.name} (on-premises routing and firewalls are not modelled)`);
      return path.done();
    }
    const behind = this.model.sites.filter((s) => s.attachment === egress && s.cidrs.some((c) => c.contains(packet.dst)));
    const where = target.kind === 'site' ? `${target.site.name}, which is declared behind ${target.site.attachment.name}` : `${target.label}, which is in AWS`;
    path.add('vpn', 'blocked', egress.name, `${packet.dst} leaves AWS through ${egress.name}` +
      (behind.length > 0 ? ` (towards ${behind.map((s) => s.name).join(', ')})` : '') + `, but the destination is ${where}`);
    return path.done();
  }

  private intoVpc(path: Path, attachment: Attachment, entry: Subnet, origin: Place, target: Place, packet: Packet, visits: number): Outcome[] {
    const vpc = attachment.vpc!;
    path.add('transit-gateway-attachment', 'allowed', attachment.name, `leaves the transit gateway into ${name(vpc.res.path)} through ${name(entry)} (${String(entry.az)})`);
    if (target.kind === 'subnet' && target.subnet === entry) {
      // Traffic from the transit gateway to the attachment subnet itself: no network ACL is evaluated.
      return [this.deliver(path, target, origin, packet)];
    }
    if (!this.nacl(path, entry, true, packet.dst, packet, 'network-acl-outbound')) {
      return [path.done()];
    }
    const table = entry.routeTable;
    if (table instanceof Unknown) {
      path.add('route-table', 'unknown', name(entry), table.reason);
      return [path.done()];
    }
    const match = this.vpcLookup(table, packet.dst);
    if (!path.add('route-table', match.verdict, table.name, match.detail) || !match.route) {
      return [path.done()];
    }
    const routeTarget = match.route.target;
    if (routeTarget.kind === 'local') {
      if (target.kind !== 'subnet' || target.subnet.vpc !== vpc) {
        path.add('route-table', 'blocked', table.name, `the local route of ${name(vpc.res.path)} keeps ${packet.dst} inside that VPC, but the destination ${target.label} is not in it`);
        return [path.done()];
      }
      if (!this.nacl(path, target.subnet, false, packet.src, packet, 'network-acl-inbound')) {
        return [path.done()];
      }
      return [this.deliver(path, target, origin, packet)];
    }
    if (routeTarget.kind === 'tgw') {
      const next = this.vpcAttachment(vpc, routeTarget.tgwId);
      if (next instanceof Unknown || typeof next === 'string') {
        path.add('transit-gateway-attachment', next instanceof Unknown ? 'unknown' : 'blocked', name(vpc.res.path), next instanceof Unknown ? next.reason : next);
        return [path.done()];
      }
      path.add('transit-gateway-attachment', 'allowed', next.name, `returns to the transit gateway through ${next.name}`);
      const az = { account: vpc.res.stack.account, region: vpc.res.stack.region, az: entry.az };
      return this.atTgw(path, routeTarget.tgwId, next, az, origin, target, packet, visits + 1);
    }
    path.add('route-table', 'unknown', table.name, unfollowed(match.route));
    return [path.done()];
  }

  private deliver(path: Path, target: Place, origin: Place, packet: Packet): Outcome {
    if (path.direction === 'forward' && target.kind === 'subnet' && target.sgs) {
      const ingress = this.sgIngress(origin, target, packet);
      if (!path.add('security-group-ingress', ingress.verdict, ingress.resource, ingress.detail)) {
        return path.done();
      }
    }
    path.add('destination', 'allowed', target.kind === 'subnet' ? name(target.subnet) : target.site.name, `reaches ${target.label}`);
    return path.done();
  }

  // ---------------------------------------------------------------- route tables

  private vpcLookup(table: RouteTable, dst: Ipv4Cidr): Lookup<VpcRoute> {
    const applicable = table.routes.filter((r) => !(r.publicOnly && isPrivate(dst)));
    const known = applicable.filter((r): r is VpcRoute & { cidr: Ipv4Cidr } => r.cidr instanceof Ipv4Cidr && r.cidr.contains(dst));
    const unknown = applicable.filter((r) => r.cidr instanceof Unknown);
    const best = Math.max(-1, ...known.map((r) => r.cidr.prefixLength));
    const top = known.filter((r) => r.cidr.prefixLength === best);
    if (unknown.length > 0 && best < 32) {
      return { verdict: 'unknown', detail: `cannot tell which route of ${table.name} matches ${dst}: ${unknown.map((r) => (r.cidr as Unknown).reason).join('; ')}` };
    }
    if (top.length === 0) {
      return { verdict: 'blocked', detail: `no route for ${dst} in ${table.name}` };
    }
    const targets = new Set(top.map((r) => JSON.stringify(r.target)));
    if (targets.size > 1) {
      return { verdict: 'unknown', detail: `${table.name} has ${top.length} routes for ${top[0].cidr} with different targets (${top.map((r) => r.source).join(', ')})` };
    }
    const route = top[0];
    const local = known.find((r) => r.target.kind === 'local');
    if (route.target.kind === 'tgw' && local) {
      return {
        verdict: 'unknown',
        detail: `${route.source} routes ${route.cidr}, more specific than the local route ${local.cidr} of ${name(table.vpc.res.path)}, to a transit gateway; ` +
          `EC2 rejects such a route, so the deployment would fail (ARCHITECTURE.md correction 3, ${DOC_LOCAL})`,
      };
    }
    return { verdict: 'allowed', route, detail: `${routeText(route)}${route.target.kind === 'local' ? '' : ` (${route.source})`} matches ${dst}` };
  }

  private tgwRoutes(table: TgwRouteTable): TgwRoute[] {
    const cached = this.tgwRouteCache.get(table.id);
    if (cached) {
      return cached;
    }
    const routes: TgwRoute[] = table.staticRoutes.map((r) => ({
      cidr: r.cidr,
      priority: 0,
      blackhole: r.blackhole,
      attachmentId: r.attachmentId,
      description: r.blackhole ? `static blackhole ${textOf(r.cidr)} (${r.source})` : `static ${textOf(r.cidr)} → ${this.model.describe(r.attachmentId)} (${r.source})`,
    }));
    const propagating: Array<{ id: string | Unknown; source: string }> = table.propagations.map((p) => ({ id: p.attachmentId, source: p.source }));
    const tgw = typeof table.tgwId === 'string' ? this.model.tgws.get(table.tgwId) : undefined;
    if (tgw && tgw.defaultPropagation === table.id) {
      for (const a of this.model.attachments.values()) {
        if (a.tgwId === table.tgwId) {
          propagating.push({ id: a.id, source: `default propagation of ${tgw.name}` });
        }
      }
    }
    for (const p of propagating) {
      const attachment = typeof p.id === 'string' ? this.model.attachments.get(p.id) : undefined;
      if (!attachment) {
        const reason = p.id instanceof Unknown ? p.id.reason : `${p.source}: the propagating attachment ${this.model.describe(p.id)} is not in this assembly`;
        routes.push({ cidr: new Unknown(reason), priority: 2, blackhole: false, attachmentId: p.id, description: p.source });
        continue;
      }
      if (attachment.kind === 'vpc') {
        const vpc = attachment.vpc;
        (vpc?.cidrs ?? []).forEach((cidr) => routes.push({
          cidr, priority: 2, blackhole: false, attachmentId: attachment.id, description: `propagated ${cidr} → ${attachment.name} (${p.source})`,
        }));
        if (!vpc || vpc.cidrUnknown) {
          routes.push({ cidr: new Unknown(`${p.source}: the CIDR of the VPC of ${attachment.name} is not known offline`), priority: 2, blackhole: false, attachmentId: attachment.id, description: p.source });
        }
      } else if (!attachment.staticRoutesOnly) {
        if (attachment.sites.length === 0) {
          routes.push({
            cidr: new Unknown(`${p.source}: ${attachment.name} uses BGP and propagates what on-premises advertises; declare the sites behind it in onPremisesSites`),
            priority: 5,
            blackhole: false,
            attachmentId: attachment.id,
            description: p.source,
          });
        }
        for (const site of attachment.sites) {
          site.advertised.forEach((cidr) => routes.push({
            cidr,
            priority: 5,
            blackhole: false,
            attachmentId: attachment.id,
            description: `propagated ${cidr} → ${attachment.name} (BGP, advertised by ${site.name}; ${p.source})`,
          }));
        }
      }
    }
    this.tgwRouteCache.set(table.id, routes);
    return routes;
  }

  private tgwLookup(table: TgwRouteTable, dst: Ipv4Cidr): Lookup<TgwRoute> {
    const routes = this.tgwRoutes(table);
    const known = routes.filter((r): r is TgwRoute & { cidr: Ipv4Cidr } => r.cidr instanceof Ipv4Cidr && r.cidr.contains(dst));
    const unknown = routes.filter((r) => r.cidr instanceof Unknown);
    const best = Math.max(-1, ...known.map((r) => r.cidr.prefixLength));
    if (unknown.length > 0 && best < 32) {
      return { verdict: 'unknown', detail: `cannot tell which route of ${table.name} matches ${dst}: ${unknown.map((r) => (r.cidr as Unknown).reason).join('; ')}` };
    }
    const top = known.filter((r) => r.cidr.prefixLength === best);
    if (top.length === 0) {
      return { verdict: 'blocked', detail: `no route for ${dst} in ${table.name}` };
    }
    // Equal prefixes: static beats propagated; VPC-propagated beats VPN-propagated.
    const priority = Math.min(...top.map((r) => r.priority));
    const winners = top.filter((r) => r.priority === priority);
    const targets = new Set(winners.map((r) => (r.blackhole ? 'blackhole' : typeof r.attachmentId === 'string' ? r.attachmentId : 'unknown')));
    if (targets.size > 1 || winners.some((r) => r.attachmentId instanceof Unknown && !r.blackhole)) {
      return { verdict: 'unknown', detail: `${table.name} has ${winners.length} equal routes for ${winners[0].cidr} (${winners.map((r) => r.description).join('; ')}); which one AWS uses is not defined offline` };
    }
    const route = winners[0];
    const beaten = top.filter((r) => r.priority > priority);
    const note = beaten.length > 0 ? `; it beats ${beaten.map((r) => r.description).join(', ')} of equal length (static routes win)` : '';
    if (route.blackhole) {
      return { verdict: 'blocked', detail: `${route.description} drops ${dst}${note}` };
    }
    return { verdict: 'allowed', route, detail: `${route.description} matches ${dst}${note}` };
  }

  private associationOf(attachment: Attachment): TgwRouteTable | Unknown | string {
    const explicit = this.model.associations.get(attachment.id) ?? [];
    if (explicit.length > 1) {
      return new Unknown(`${attachment.name} is associated with ${explicit.length} route tables (${explicit.map((e) => e.table.name).join(', ')}); a transit gateway attachment can have one`);
    }
    if (explicit.length === 1) {
      return explicit[0].table;
    }
    const unknown = this.model.unknownAssociations.find((u) => u.table.tgwId === attachment.tgwId || u.table.tgwId instanceof Unknown);
    if (unknown) {
      return new Unknown(`${attachment.name} has no known association, and ${unknown.table.name} has an association whose attachment is not known offline: ${unknown.reason}`);
    }
    const tgw = typeof attachment.tgwId === 'string' ? this.model.tgws.get(attachment.tgwId) : undefined;
    if (tgw?.defaultAssociation) {
      return this.model.tgwRouteTables.get(tgw.defaultAssociation)
        ?? new Unknown(`${attachment.name} is associated with the default route table ${this.model.describe(tgw.defaultAssociation)}, which is not in this assembly`);
    }
    return `${attachment.name} is associated with no transit gateway route table, so the transit gateway drops its traffic`;
  }

  private vpcAttachment(vpc: Subnet['vpc'], tgwId: string): Attachment | Unknown | string {
    const unknown = vpc.attachments.find((a) => a.tgwId instanceof Unknown);
    const matching = vpc.attachments.filter((a) => a.tgwId === tgwId);
    if (matching.length === 1) {
      return matching[0];
    }
    if (unknown) {
      return new Unknown(`cannot tell whether ${unknown.name} attaches ${name(vpc.res.path)} to ${this.model.describe(tgwId)}: ${(unknown.tgwId as Unknown).reason}`);
    }
    if (!this.model.tgws.has(tgwId)) {
      return new Unknown(`the route leads to transit gateway ${this.model.describe(tgwId)}, which is not in this assembly; map its ID with externalIds`);
    }
    return matching.length === 0
      ? `${name(vpc.res.path)} has a route to ${this.model.describe(tgwId)} but no attachment to it`
      : new Unknown(`${name(vpc.res.path)} has ${matching.length} attachments to ${this.model.describe(tgwId)}`);
  }

  /** The attachment subnet in the AZ of `subnet`: resources in AZs without one cannot reach the transit gateway. */
  private attachmentSubnetFor(attachment: Attachment, subnet: Subnet): Subnet | Unknown | string {
    if (subnet.az instanceof Unknown) {
      return subnet.az;
    }
    const unknown = attachment.subnets.find((s): s is Unknown => s instanceof Unknown || s.az instanceof Unknown);
    const found = attachment.subnets.find((s): s is Subnet => !(s instanceof Unknown) && s.az === subnet.az);
    if (found) {
      return found;
    }
    if (unknown) {
      return new Unknown(unknown.reason);
    }
    return `${attachment.name} has no subnet in ${subnet.az}, so resources in ${name(subnet)} cannot reach the transit gateway (${DOC_AZ})`;
  }

  // ---------------------------------------------------------------- network ACLs

  private nacl(path: Path, subnet: Subnet, egress: boolean, peer: Ipv4Cidr, packet: Packet, kind: HopKindText): boolean {
    const nacl = subnet.nacl;
    if (nacl instanceof Unknown) {
      return path.add(kind, 'unknown', name(subnet), nacl.reason);
    }
    const result = evaluateNacl(nacl, egress, peer, packet);
    return path.add(kind, result.verdict, nacl.name, `${result.detail} (${egress ? 'outbound' : 'inbound'} of ${name(subnet)})`);
  }

  // ---------------------------------------------------------------- security groups

  private sgEgress(origin: Place & { kind: 'subnet' }, target: Place, packet: Packet): SgResult {
    const targetSgs = target.kind === 'subnet' ? target.sgs ?? [] : [];
    const sameVpc = target.kind === 'subnet' && target.subnet.vpc === origin.subnet.vpc;
    return evaluateSgs(origin.sgs ?? [], 'egress', packet, packet.dst, (rule) => {
      // Security group references in egress rules work within a VPC (or peering), not over a transit gateway.
      return sameVpc && targetSgs.some((sg) => !(sg instanceof Unknown) && sg.id === rule.peerSg) ? 'match' : 'no';
    });
  }

  private sgIngress(origin: Place, target: Place & { kind: 'subnet' }, packet: Packet): SgResult {
    const originSgs = origin.kind === 'subnet' ? origin.sgs ?? [] : [];
    return evaluateSgs(target.sgs ?? [], 'ingress', packet, packet.src, (rule) => {
      if (origin.kind !== 'subnet' || !originSgs.some((sg) => !(sg instanceof Unknown) && sg.id === rule.peerSg)) {
        return 'no';
      }
      if (origin.subnet.vpc === target.subnet.vpc) {
        return 'match';
      }
      const referencing = origin.subnet.vpc.attachments.some((a) => a.sgReferencing && typeof a.tgwId === 'string' && this.model.tgws.get(a.tgwId)?.sgReferencing)
        && target.subnet.vpc.attachments.some((a) => a.sgReferencing);
      return referencing ? 'unknown' : 'no';
    });
  }
}

interface Lookup<T> {
  readonly verdict: V;
  readonly detail: string;
  readonly route?: T;
}

interface AzContext {
  readonly account?: string;
  readonly region?: string;
  readonly az: string | Unknown;
}

interface SgResult {
  readonly verdict: V;
  readonly resource: string;
  readonly detail: string;
}

/** AZ names are per account; only AZ IDs (`id:…`) or names within one account and region compare. */
function sameZone(from: AzContext, subnet: Subnet): boolean {
  if (from.az instanceof Unknown || subnet.az instanceof Unknown) {
    return false;
  }
  if (from.az.startsWith('id:') || subnet.az.startsWith('id:')) {
    return from.az === subnet.az;
  }
  const stack = subnet.vpc.res.stack;
  return from.account !== undefined && from.account === stack.account && from.region === stack.region && from.az === subnet.az;
}

class Path {
  private readonly hops: HopRecord[];
  private verdict: V = 'allowed';
  private reason = '';

  constructor(public readonly direction: 'forward' | 'return', hops: HopRecord[] = [], verdict: V = 'allowed', reason = '') {
    this.hops = hops;
    this.verdict = verdict;
    this.reason = reason;
  }

  /** Records a hop; returns false when the path stops here (blocked). */
  public add(kind: HopKindText, verdict: V, resource: string, detail: string): boolean {
    this.hops.push({ direction: this.direction, kind, verdict, resource, detail });
    if (verdict !== 'allowed' && !this.reason) {
      this.reason = `${this.direction === 'return' ? 'return path: ' : ''}${detail}`;
    }
    if (verdict === 'blocked' && this.verdict !== 'blocked') {
      this.reason = `${this.direction === 'return' ? 'return path: ' : ''}${detail}`;
    }
    this.verdict = andVerdict(this.verdict, verdict);
    return verdict !== 'blocked';
  }

  public fork(): Path {
    return new Path(this.direction, [...this.hops], this.verdict, this.reason);
  }

  public done(): Outcome {
    return { verdict: this.verdict, hops: [...this.hops], reason: this.reason };
  }
}

function name(x: Subnet | string): string {
  return shortPath(typeof x === 'string' ? x : x.res.path);
}

function textOf(cidr: Ipv4Cidr | Unknown): string {
  return cidr instanceof Unknown ? '(unknown CIDR)' : cidr.toString();
}

function routeText(route: VpcRoute): string {
  const t = route.target;
  const target = t.kind === 'local' ? 'local' : t.kind === 'tgw' ? 'transit gateway' : t.kind === 'unknown' ? 'unknown target' : t.description;
  return `${textOf(route.cidr)} → ${target}`;
}

/** Why the model stops at a route it does not follow. */
function unfollowed(route: VpcRoute): string {
  const t = route.target;
  if (t.kind === 'unknown') {
    return `the target of the route ${textOf(route.cidr)} (${route.source}) is not known offline: ${t.reason}`;
  }
  return `the route ${textOf(route.cidr)} (${route.source}) leads to ${t.kind === 'other' || t.kind === 'aws-service' ? t.description : t.kind}, which the model does not follow`;
}

function protocolMatches(ruleProtocol: string, protocol: string): boolean {
  return ruleProtocol === 'all' || ruleProtocol === protocol;
}

/** Port (or ICMP type) range a rule covers, as [from, to] over 0-65535 (ICMP types 0-255). */
function ruleRange(protocol: string, fromPort: number, toPort: number): [number, number] {
  if (protocol === 'all' || fromPort === -1) {
    return [0, 65535];
  }
  if (protocol === 'icmp') {
    return [fromPort, fromPort];
  }
  return [fromPort, toPort];
}

/**
 * Evaluates a network ACL for one direction over the packet's port range, rule by rule in ascending order; the
 * final `*` rule denies what no rule decided. Parts of the range can be decided by different rules, so the
 * result may be partial (e.g. only some ephemeral ports allowed).
 */
export function evaluateNacl(nacl: Nacl, egress: boolean, peer: Ipv4Cidr, packet: Packet): { verdict: V; detail: string } {
  let remaining: Array<[number, number]> = [[packet.fromPort, packet.toPort]];
  const decided: Array<{ range: [number, number]; allow: boolean; entry: NaclEntry }> = [];
  const unknown: NaclEntry[] = [];
  for (const entry of nacl.entries) {
    if (entry.egress !== egress || !protocolMatches(entry.protocol, packet.protocol) || entry.ipv6 || remaining.length === 0) {
      continue;
    }
    if (!entry.unknown && !entry.cidr!.contains(peer)) {
      continue;
    }
    const [lo, hi] = ruleRange(entry.protocol, entry.fromPort, entry.toPort);
    const next: Array<[number, number]> = [];
    for (const [a, b] of remaining) {
      const from = Math.max(a, lo);
      const to = Math.min(b, hi);
      if (from > to) {
        next.push([a, b]);
        continue;
      }
      if (entry.unknown) {
        unknown.push(entry);
      } else {
        decided.push({ range: [from, to], allow: entry.allow, entry });
      }
      if (a < from) next.push([a, from - 1]);
      if (to < b) next.push([to + 1, b]);
    }
    remaining = next;
  }
  const what = `${describePorts(packet.protocol, packet.fromPort, packet.toPort)} ${egress ? 'to' : 'from'} ${peer}`;
  if (unknown.length > 0) {
    return { verdict: 'unknown', detail: `cannot tell whether ${what} is allowed: ${unknown.map((e) => e.unknown).join('; ')}` };
  }
  const allowed = decided.filter((d) => d.allow);
  const denied = decided.filter((d) => !d.allow);
  const implicit = remaining.length > 0;
  const rules = [...new Set(decided.map((d) => d.entry.text))];
  if (allowed.length > 0 && denied.length === 0 && !implicit) {
    return { verdict: 'allowed', detail: `${rules.join(', ')} allows ${what}` };
  }
  if (allowed.length === 0) {
    return { verdict: 'blocked', detail: `${nacl.name} denies ${what} (${[...rules, ...(implicit ? ['the final * rule'] : [])].join(', ')})` };
  }
  const ranges = (list: Array<{ range: [number, number] }>) => list.map((d) => d.range[0] === d.range[1] ? `${d.range[0]}` : `${d.range[0]}-${d.range[1]}`).join(', ');
  return {
    verdict: 'partial',
    detail: `${nacl.name} allows ${what} only on ${ranges(allowed)} (${[...new Set(allowed.map((d) => d.entry.text))].join(', ')}); ` +
      `the rest is denied (${[...new Set(denied.map((d) => d.entry.text)), ...(implicit ? ['the final * rule'] : [])].join(', ')})`,
  };
}

const ALLOW_ALL_EGRESS: Omit<SgRule, 'source'> = { protocol: 'all', fromPort: -1, toPort: -1, cidrs: [Ipv4Cidr.parse('0.0.0.0/0')], text: 'all traffic to 0.0.0.0/0 (the default egress rule)' };

/**
 * Evaluates security groups: traffic is allowed when any rule of any group allows it. A rule whose peer is not
 * known offline makes the answer unknown unless another rule allows the traffic.
 */
function evaluateSgs(sgs: Array<SecurityGroup | Unknown>, direction: 'ingress' | 'egress', packet: Packet, peer: Ipv4Cidr,
  sgPeer: (rule: SgRule) => 'match' | 'no' | 'unknown'): SgResult {
  const unknowns: string[] = [];
  const names: string[] = [];
  for (const sg of sgs) {
    if (sg instanceof Unknown) {
      unknowns.push(sg.reason);
      continue;
    }
    names.push(sg.name);
    const rules = direction === 'egress' ? [...sg.egress, ...(sg.defaultEgress ? [{ ...ALLOW_ALL_EGRESS, source: sg.name }] : [])] : sg.ingress;
    for (const rule of rules) {
      if (rule.ipv6 || !protocolMatches(rule.protocol, packet.protocol)) {
        continue;
      }
      const [lo, hi] = ruleRange(rule.protocol, rule.fromPort, rule.toPort);
      if (packet.fromPort < lo || packet.fromPort > hi) {
        continue;
      }
      if (rule.unknown) {
        if (!rule.cidrs || rule.cidrs.some((c) => c.contains(peer))) {
          unknowns.push(rule.unknown);
        }
        continue;
      }
      if (rule.awsPrefixList) {
        if (!isPrivate(peer)) {
          unknowns.push(`${sg.name} ${direction} rule ${rule.text}: the addresses of AWS-managed prefix list ${rule.awsPrefixList} are only known at deployment`);
        }
        continue; // An AWS-managed prefix list holds public addresses of the service only.
      }
      const match = rule.cidrs ? (rule.cidrs.some((c) => c.contains(peer)) ? 'match' : 'no') : rule.peerSg ? sgPeer(rule) : 'no';
      if (match === 'match') {
        return { verdict: 'allowed', resource: sg.name, detail: `${direction} rule ${rule.text} allows ${describePorts(packet.protocol, packet.fromPort, packet.toPort)} ${direction === 'egress' ? 'to' : 'from'} ${peer}` };
      }
      if (match === 'unknown') {
        unknowns.push(`${sg.name} ${direction} rule ${rule.text} refers to a security group over a transit gateway with security group referencing enabled, which is not modelled`);
      }
    }
  }
  const what = `${describePorts(packet.protocol, packet.fromPort, packet.toPort)} ${direction === 'egress' ? 'to' : 'from'} ${peer}`;
  const resource = names.join(', ') || '(security groups)';
  if (unknowns.length > 0) {
    return { verdict: 'unknown', resource, detail: `cannot tell whether ${resource} allow ${what}: ${unknowns.join('; ')}` };
  }
  return { verdict: 'blocked', resource, detail: `no ${direction} rule of ${resource} allows ${what}` };
}
