import { Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { EndpointKind, NetworkEndpoint } from './endpoint';
import { Ipv4Cidr, isIpv4 } from '../private/cidr';
import { PropsValidator } from '../private/validation';
import { readAssembly, StackInfo } from './private/assembly';
import { aggregate, atoms } from './private/atoms';
import { anyVerdict, HopRecord, Place, V, Walker } from './private/evaluate';
import { Res, Resolver } from './private/intrinsics';
import { defaultLookupRegistry } from './private/lookups';
import { addSite, Attachment, buildNetwork, displayName, finishNetwork, ModelResolverHost, NetworkModel, SecurityGroup, Subnet } from './private/network';
import { throwIfInvalid } from './private/problems';
import { idSymbol, shortPath, Unknown } from './private/values';
import {
  FlowProtocol, Hop, HopKind, ModelIssue, ModelIssueKind, ModelSummary, PathDirection, PathResult, QueryResult,
  ReachabilityLayer, ReachabilityModelOptions, Verdict,
} from './types';

/** One place an endpoint starts or ends, with its address range, or why it is unknown. */
interface Placement {
  readonly place?: Place;
  readonly range?: Ipv4Cidr;
  readonly unknown?: string;
}

/**
 * An offline model of the network of a whole CDK app (every stack, every account) built from its synthesized cloud
 * assembly, and the query "can S reach D on protocol P, port N?" evaluated hop by hop, forward and back.
 *
 * What it models: VPCs and their CIDRs, subnets, VPC route tables and routes (local, transit gateway, gateway
 * endpoints), transit gateways with their route tables, associations, propagations, static and blackhole routes,
 * VPC and VPN attachments (with the on-premises sites you declare behind each VPN), security groups (stateful) and
 * network ACLs (stateless). Cross-account IDs looked up at deployment by `AwsCustomResource` are resolved against
 * the assembly. A value it cannot resolve, or a resource type it does not model, is reported as unknown by name: a
 * query never assumes reachability away.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html
 */
export class ReachabilityModel {
  /**
   * Builds the model from a synthesized cloud assembly directory (e.g. `cdk.out`), including nested assemblies.
   * @throws when the directory is not a cloud assembly, or when `options` are invalid (one error lists every problem)
   */
  public static fromAssemblyDirectory(directory: string, options: ReachabilityModelOptions = {}): ReachabilityModel {
    const started = Date.now();
    return new ReachabilityModel(readAssembly(directory), options, started);
  }

  /** Builds the model from a cloud assembly, e.g. the result of `app.synth()`. */
  public static fromCloudAssembly(assembly: cxapi.CloudAssembly, options: ReachabilityModelOptions = {}): ReachabilityModel {
    return ReachabilityModel.fromAssemblyDirectory(assembly.directory, options);
  }

  /** Synthesizes a stage (usually the `App`) and builds the model from its cloud assembly. */
  public static fromStage(stage: Stage, options: ReachabilityModelOptions = {}): ReachabilityModel {
    return ReachabilityModel.fromAssemblyDirectory(stage.synth().directory, options);
  }

  /** Values the model could not resolve and resources it does not evaluate. */
  public readonly issues: ModelIssue[];
  /** What the model holds and how long it took to build. */
  public readonly summary: ModelSummary;

  private readonly network: NetworkModel;
  private readonly walker: Walker;
  private readonly placementCache = new Map<string, Placement[]>();

  private constructor(stacks: StackInfo[], options: ReachabilityModelOptions, started: number) {
    const v = new PropsValidator('ReachabilityModel');
    const ephemeralFrom = options.ephemeralPortFrom ?? 1024;
    const ephemeralTo = options.ephemeralPortTo ?? 65535;
    v.port('ephemeralPortFrom', ephemeralFrom);
    v.port('ephemeralPortTo', ephemeralTo);
    if (ephemeralFrom > ephemeralTo) {
      v.report('ephemeralPortFrom', ephemeralFrom, `is above \`ephemeralPortTo\` ${ephemeralTo}; give the lowest port first.`);
    }
    const sites = this.parseSites(v, options);
    throwIfInvalid(v, 'ReachabilityModel options');

    const literals = new Map<string, string>();
    const host = new ModelResolverHost(defaultLookupRegistry(), literals);
    const resolver = new Resolver(stacks, host);
    host.resolver = resolver;
    for (const [id, selector] of Object.entries(options.externalIds ?? {})) {
      const found = findResource(resolver.allResources(), selector, () => true);
      if (typeof found === 'string') {
        v.report(`externalIds.${id}`, selector, `${found}.`);
      } else {
        literals.set(id, idSymbol(found.key));
      }
    }
    throwIfInvalid(v, 'ReachabilityModel options');

    this.network = buildNetwork(resolver);
    sites.forEach((site, i) => {
      const attachment = this.findVpn(v, i, site.vpnConnection, site.customerGatewayAddress);
      if (attachment) {
        addSite(this.network, site, attachment);
      }
    });
    throwIfInvalid(v, 'ReachabilityModel options');
    finishNetwork(this.network);
    this.walker = new Walker(this.network, { from: ephemeralFrom, to: ephemeralTo });

    this.issues = this.network.issues.map((issue) => ({
      kind: issue.kind === 'unresolved' ? ModelIssueKind.UNRESOLVED : ModelIssueKind.NOT_MODELLED,
      resource: displayName(issue.res),
      resourceType: issue.res.type,
      property: issue.property,
      reason: issue.reason,
    }));
    const n = this.network;
    this.summary = {
      stacks: stacks.length,
      accounts: [...new Set(stacks.map((s) => s.account ?? 'unknown'))].sort(),
      vpcs: n.vpcs.size,
      subnets: n.subnets.size,
      routeTables: n.routeTables.size,
      transitGateways: n.tgws.size,
      transitGatewayRouteTables: n.tgwRouteTables.size,
      attachments: n.attachments.size,
      securityGroups: n.securityGroups.size,
      networkAcls: n.nacls.size,
      endpoints: n.endpoints.length,
      issues: this.issues.length,
      buildMillis: Date.now() - started,
    };
  }

  /**
   * Can `source` reach `destination` on `protocol` and `port`? Evaluates every placement of the source against every
   * placement of the destination (each subnet of a multi-AZ resource, each CIDR of a site), hop by hop, forward and
   * return, and combines them: ALLOWED only when every path works both ways.
   *
   * @param port the destination port (TCP/UDP, 1-65535) or the ICMP type (0-255)
   * @throws when an endpoint selects nothing, or more than one resource, or the port is out of range
   */
  public query(source: NetworkEndpoint, destination: NetworkEndpoint, protocol: FlowProtocol, port: number): QueryResult {
    return this.run(source, destination, protocol, port, ReachabilityLayer.END_TO_END);
  }

  /**
   * Would one defence layer on its own let `source` reach `destination`? `TRANSIT_GATEWAY`: does the transit gateway
   * carry the packet from the source's attachment towards the destination, whatever the VPC route tables, network
   * ACLs and security groups say. `SECURITY_GROUPS`: do the destination's security groups admit the source, whatever
   * the routes say. Forward only; `verdict` and `forwardVerdict` are the same. `END_TO_END` is `query`.
   *
   * @param port the destination port (TCP/UDP, 1-65535) or the ICMP type (0-255)
   * @throws when an endpoint selects nothing, or more than one resource, or the port is out of range, or the
   * security-group layer is asked of a destination without security groups
   */
  public queryLayer(source: NetworkEndpoint, destination: NetworkEndpoint, protocol: FlowProtocol, port: number,
    layer: ReachabilityLayer): QueryResult {
    return this.run(source, destination, protocol, port, layer);
  }

  private run(source: NetworkEndpoint, destination: NetworkEndpoint, protocol: FlowProtocol, port: number,
    layer: ReachabilityLayer): QueryResult {
    const v = new PropsValidator('ReachabilityModel');
    if (protocol === FlowProtocol.ICMP) {
      v.integerInRange('port', port, 0, 255, 'an ICMP type');
    } else {
      v.port('port', port);
    }
    const problems = [this._problemOf(source, 'source'), this._problemOf(destination, 'destination')].filter((p) => p);
    problems.forEach((p) => v.reportText(p));
    if (layer === ReachabilityLayer.SECURITY_GROUPS && destination.kind !== EndpointKind.RESOURCE) {
      v.report('destination', destination.toString(), 'has no security groups of its own; the security-group layer applies to ' +
        'NetworkEndpoint.resource destinations.');
    }
    throwIfInvalid(v, 'ReachabilityModel query');

    const paths: Array<{ result: PathResult; forward: V }> = [];
    for (const from of this.placements(source)) {
      for (const to of this.placements(destination)) {
        if (from.unknown || to.unknown) {
          const reason = (from.unknown ?? to.unknown)!;
          paths.push({ forward: 'unknown', result: unknownPath(from.range, to.range, reason) });
          continue;
        }
        if (from.range!.equals(to.range!) && samePlace(from.place!, to.place!)) {
          continue;
        }
        for (const src of atoms(from.range!, this.network.boundaries)) {
          for (const dst of atoms(to.range!, this.network.boundaries)) {
            const packet = { src, dst, protocol: protocol as 'tcp' | 'udp' | 'icmp', fromPort: port, toPort: port };
            const outcomes = layer === ReachabilityLayer.END_TO_END
              ? this.walker.evaluate(from.place!, to.place!, packet)
              : this.walker.evaluateLayer(layer, from.place!, to.place!, packet).map((forward) => ({ forward, back: undefined }));
            for (const { forward, back } of outcomes) {
              const verdict = back ? andV(forward.verdict, back.verdict) : forward.verdict;
              paths.push({
                forward: forward.verdict,
                result: {
                  verdict: toVerdict(verdict),
                  forwardVerdict: toVerdict(forward.verdict),
                  sourceAddresses: [src.toString()],
                  destinationAddresses: [dst.toString()],
                  hops: [...forward.hops, ...(back?.hops ?? [])].map(toHop),
                  reason: forward.verdict !== 'allowed' && forward.reason ? forward.reason : back?.reason ?? '',
                },
              });
            }
          }
        }
      }
    }
    const merged = mergePaths(paths.map((p) => p.result));
    const verdict = anyVerdict(paths.map((p) => fromVerdict(p.result.verdict)));
    const forwardVerdict = anyVerdict(paths.map((p) => p.forward));
    return {
      source: source.toString(),
      destination: destination.toString(),
      protocol,
      port,
      verdict: toVerdict(verdict),
      forwardVerdict: toVerdict(forwardVerdict),
      reason: summarise(verdict, merged, layer),
      paths: merged,
      layer,
    };
  }

  /** The resources the model evaluates as endpoints, as `construct path (kind)`, to help write selectors. */
  public endpointNames(): string[] {
    return this.network.endpoints.map((e) => `${e.name} (${e.kind})`).sort();
  }

  /** The declared on-premises sites, as `name: CIDRs behind VPN`. */
  public siteNames(): string[] {
    return this.network.sites.map((s) => `${s.name}: ${s.cidrs.join(', ')} behind ${s.attachment.name}`);
  }

  /**
   * Why an endpoint cannot be used, or an empty string.
   * @internal
   */
  public _problemOf(endpoint: NetworkEndpoint, prop: string): string {
    try {
      this.placements(endpoint);
      return '';
    } catch (e) {
      return `\`${prop}\` ${endpoint.toString()} ${(e as Error).message}.`;
    }
  }

  private placements(endpoint: NetworkEndpoint): Placement[] {
    const key = `${endpoint.kind}|${endpoint.selector}`;
    const cached = this.placementCache.get(key);
    if (cached) {
      return cached;
    }
    const result = this.computePlacements(endpoint);
    this.placementCache.set(key, result);
    return result;
  }

  private computePlacements(endpoint: NetworkEndpoint): Placement[] {
    const label = endpoint.toString();
    const n = this.network;
    switch (endpoint.kind) {
      case EndpointKind.ON_PREMISES: {
        const site = n.sites.find((s) => s.name === endpoint.selector);
        if (!site) {
          throw new Error(`names no declared on-premises site; declare it in onPremisesSites (declared: ${n.sites.map((s) => s.name).join(', ') || 'none'})`);
        }
        return site.cidrs.map((range) => ({ range, place: { kind: 'site', site, label } }));
      }
      case EndpointKind.SUBNET: {
        const res = this.select(endpoint.selector, (r) => r.type === 'AWS::EC2::Subnet', 'subnet');
        const subnet = n.subnets.get(idSymbol(res.key))!;
        return [subnetPlacement(subnet, undefined, label)];
      }
      case EndpointKind.VPC: {
        const res = this.select(endpoint.selector, (r) => r.type === 'AWS::EC2::VPC', 'VPC');
        const vpc = n.vpcs.get(idSymbol(res.key))!;
        if (vpc.subnets.length === 0) {
          throw new Error('selects a VPC without subnets');
        }
        return vpc.subnets.map((s) => subnetPlacement(s, undefined, label));
      }
      default: {
        const keys = new Set(n.endpoints.map((e) => e.res.key));
        const res = this.select(endpoint.selector, (r) => keys.has(r.key), 'resource with network interfaces');
        const e = n.endpoints.find((x) => x.res.key === res.key)!;
        return e.placements.map((p) => p.subnet instanceof Unknown ? { unknown: p.subnet.reason }
          : subnetPlacement(p.subnet, e.sgs, label, p.address));
      }
    }
  }

  private select(selector: string, accept: (r: Res) => boolean, what: string): Res {
    const found = findResource(this.network.resolver.allResources(), selector, accept, (r) => {
      const issue = this.network.issues.find((i) => i.res.key === r.key && i.kind === 'not-modelled');
      return issue ? `selects ${displayName(r)} (${r.type}), which the model does not evaluate: ${issue.reason}` : undefined;
    }, what);
    if (typeof found === 'string') {
      throw new Error(found);
    }
    return found;
  }

  private parseSites(v: PropsValidator, options: ReachabilityModelOptions) {
    const names = new Set<string>();
    return (options.onPremisesSites ?? []).map((site, i) => {
      const prop = `onPremisesSites[${i}]`;
      if (!site.name || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(site.name)) {
        v.report(`${prop}.name`, site.name, 'is not a site name; use letters, digits, dots, hyphens and underscores, e.g. dc-backup-server.');
      } else if (names.has(site.name)) {
        v.report(`${prop}.name`, site.name, 'is declared twice; give every site its own name.');
      }
      names.add(site.name);
      v.nonEmpty(`${prop}.cidrs`, site.cidrs, 'give the site\'s addresses, e.g. ["10.0.200.10/32"].');
      const cidrs = (site.cidrs ?? []).map((c, j) => v.ipv4OrCidr(`${prop}.cidrs[${j}]`, c)).filter((c): c is Ipv4Cidr => c !== undefined);
      const advertised = site.advertisedCidrs === undefined ? cidrs
        : site.advertisedCidrs.map((c, j) => v.cidr(`${prop}.advertisedCidrs[${j}]`, c)).filter((c): c is Ipv4Cidr => c !== undefined);
      if ((site.vpnConnection === undefined) === (site.customerGatewayAddress === undefined)) {
        v.reportText(`\`${prop}\` ${site.name} names ${site.vpnConnection === undefined ? 'neither `vpnConnection` nor' : 'both `vpnConnection` and'} \`customerGatewayAddress\`; give exactly one, so that the site sits behind one VPN.`);
      }
      if (site.customerGatewayAddress !== undefined && !isIpv4(site.customerGatewayAddress)) {
        v.report(`${prop}.customerGatewayAddress`, site.customerGatewayAddress, 'is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).');
      }
      return { name: site.name, cidrs, advertised, vpnConnection: site.vpnConnection, customerGatewayAddress: site.customerGatewayAddress };
    });
  }

  private findVpn(v: PropsValidator, i: number, vpnConnection?: string, customerGatewayAddress?: string): Attachment | undefined {
    const vpns = [...this.network.attachments.values()].filter((a) => a.kind === 'vpn');
    if (vpnConnection !== undefined) {
      const found = findResource(this.network.resolver.allResources(), vpnConnection, (r) => r.type === 'AWS::EC2::VPNConnection', undefined, 'VPN connection');
      if (typeof found === 'string') {
        v.report(`onPremisesSites[${i}].vpnConnection`, vpnConnection, `${found}.`);
        return undefined;
      }
      const attachment = vpns.find((a) => a.res.key === found.key);
      if (!attachment) {
        v.report(`onPremisesSites[${i}].vpnConnection`, vpnConnection, 'selects a VPN connection that is not on a transit gateway; attach it with TransitGatewayId.');
      }
      return attachment;
    }
    const matching = vpns.filter((a) => a.customerGatewayAddress === customerGatewayAddress);
    if (matching.length !== 1) {
      v.report(`onPremisesSites[${i}].customerGatewayAddress`, customerGatewayAddress,
        matching.length === 0 ? `is the address of no customer gateway of a VPN on a transit gateway in this assembly (VPNs: ${vpns.map((a) => `${a.name} ${a.customerGatewayAddress ?? '?'}`).join(', ') || 'none'}).`
          : `is the customer gateway of ${matching.length} VPN connections (${matching.map((a) => a.name).join(', ')}); name one with \`vpnConnection\`.`);
      return undefined;
    }
    return matching[0];
  }
}

function subnetPlacement(subnet: Subnet, sgs: Array<SecurityGroup | Unknown> | undefined, label: string, address?: Ipv4Cidr): Placement {
  if (subnet.cidr instanceof Unknown) {
    return { unknown: subnet.cidr.reason };
  }
  return { range: address ?? subnet.cidr, place: { kind: 'subnet', subnet, sgs, label } };
}

function samePlace(a: Place, b: Place): boolean {
  return a.kind === 'subnet' && b.kind === 'subnet' ? a.subnet === b.subnet : a.kind === 'site' && b.kind === 'site' && a.site === b.site;
}

/**
 * Finds one resource by selector: construct path (with or without `/Resource`, or the `/Subnet` of an L2 subnet),
 * `StackName/LogicalId` or `StackId/LogicalId`, a unique logical ID, or a path prefix holding exactly one match.
 * Returns the resource or the text of the problem.
 */
function findResource(all: Res[], selector: string, accept: (r: Res) => boolean, rejectReason?: (r: Res) => string | undefined, what = 'resource'): Res | string {
  const s = selector.replace(/^\//, '').replace(/\/$/, '');
  const exact = all.filter((r) => r.path === s || r.path === `${s}/Resource` || r.path === `${s}/Subnet`
    || `${r.stack.name}/${r.logicalId}` === s || `${r.stack.id}/${r.logicalId}` === s);
  const byLogicalId = exact.length > 0 ? exact : all.filter((r) => r.logicalId === s);
  const candidates = byLogicalId.length > 0 ? byLogicalId : all.filter((r) => r.path.startsWith(`${s}/`));
  const accepted = candidates.filter(accept);
  if (accepted.length === 1) {
    return accepted[0];
  }
  if (accepted.length > 1) {
    return `selects ${accepted.length} ${what}s (${accepted.slice(0, 6).map(displayName).join(', ')}${accepted.length > 6 ? ', …' : ''}); use a longer construct path`;
  }
  const rejected = candidates.map((r) => rejectReason?.(r)).find((x) => x);
  if (rejected) {
    return rejected;
  }
  return candidates.length > 0
    ? `selects ${displayName(candidates[0])} (${candidates[0].type}), which is not a ${what}`
    : `selects nothing in the cloud assembly; use a construct path such as ${(all.find(accept) ? shortPath(all.find(accept)!.path) : undefined) ?? 'Stack/Construct'}`;
}

function andV(a: V, b: V): V {
  if (a === 'blocked' || b === 'blocked') return 'blocked';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  if (a === 'partial' || b === 'partial') return 'partial';
  return 'allowed';
}

function toVerdict(v: V): Verdict {
  return ({ allowed: Verdict.ALLOWED, partial: Verdict.PARTIAL, blocked: Verdict.BLOCKED, unknown: Verdict.UNKNOWN } as const)[v];
}

function fromVerdict(v: Verdict): V {
  return v as string as V;
}

function toHop(h: HopRecord): Hop {
  return {
    direction: h.direction === 'forward' ? PathDirection.FORWARD : PathDirection.RETURN,
    kind: h.kind as string as HopKind,
    verdict: toVerdict(h.verdict),
    resource: h.resource,
    detail: h.detail,
  };
}

function unknownPath(from: Ipv4Cidr | undefined, to: Ipv4Cidr | undefined, reason: string): PathResult {
  return {
    verdict: Verdict.UNKNOWN,
    forwardVerdict: Verdict.UNKNOWN,
    sourceAddresses: from ? [from.toString()] : [],
    destinationAddresses: to ? [to.toString()] : [],
    hops: [],
    reason,
  };
}

/** Merges paths that differ only in their addresses. */
function mergePaths(paths: PathResult[]): PathResult[] {
  const merged = new Map<string, { result: PathResult; sources: Set<string>; destinations: Set<string> }>();
  for (const p of paths) {
    const key = JSON.stringify([p.verdict, p.forwardVerdict, p.reason.replace(/[0-9.]+\/[0-9]+/g, ''), p.hops.map((h) => [h.kind, h.verdict, h.resource])]);
    const entry = merged.get(key) ?? { result: p, sources: new Set<string>(), destinations: new Set<string>() };
    p.sourceAddresses.forEach((a) => entry.sources.add(a));
    p.destinationAddresses.forEach((a) => entry.destinations.add(a));
    merged.set(key, entry);
  }
  const join = (set: Set<string>) => aggregate([...set].map((c) => Ipv4Cidr.parse(c))).map(String);
  return [...merged.values()].map((e) => ({ ...e.result, sourceAddresses: join(e.sources), destinationAddresses: join(e.destinations) }));
}

/** The hop that decided a layer on its own: the transit gateway route table, or the security group ingress. */
function layerHop(path: PathResult | undefined, layer: ReachabilityLayer): Hop | undefined {
  const kind = layer === ReachabilityLayer.SECURITY_GROUPS ? HopKind.SECURITY_GROUP_INGRESS : HopKind.TRANSIT_GATEWAY_ROUTE_TABLE;
  return path?.hops.find((h) => h.kind === kind);
}

function summarise(verdict: V, paths: PathResult[], layer: ReachabilityLayer): string {
  const first = (v: Verdict) => paths.find((p) => p.verdict === v);
  const all = paths.length === 1 ? 'its path' : `all ${paths.length} paths`;
  switch (verdict) {
    case 'allowed': return layer === ReachabilityLayer.END_TO_END ? `allowed both ways on ${all}`
      : `the ${layer} layer on its own lets it through on ${all}: ${layerHop(paths[0], layer)?.detail ?? ''}`;
    case 'blocked': {
      const oneWay = paths.find((p) => p.forwardVerdict !== Verdict.BLOCKED);
      return oneWay ? `${oneWay.reason} (packets are delivered one way)` : first(Verdict.BLOCKED)?.reason ?? 'no path';
    }
    case 'unknown': return first(Verdict.UNKNOWN)?.reason ?? 'unknown';
    default: {
      const allowed = paths.filter((p) => p.verdict === Verdict.ALLOWED || p.verdict === Verdict.PARTIAL).length;
      const blocked = first(Verdict.BLOCKED) ?? first(Verdict.PARTIAL);
      return `${allowed} of ${paths.length} paths allowed; ${blocked?.reason ?? ''}`;
    }
  }
}
