/** The IP protocol of a flow. */
export enum FlowProtocol {
  /** TCP; the port is the destination port (1-65535). */
  TCP = 'tcp',
  /** UDP; the port is the destination port (1-65535). */
  UDP = 'udp',
  /** ICMP; the "port" is the ICMP type (0-255), e.g. 8 for an echo request (answered by type 0). */
  ICMP = 'icmp',
}

/** The answer to "can S reach D?". */
export enum Verdict {
  /** Every path (every source and destination placement, every AZ the transit gateway may use) works both ways. */
  ALLOWED = 'allowed',
  /** Some paths work and others are blocked (e.g. one AZ, part of an address range, part of the ephemeral ports). */
  PARTIAL = 'partial',
  /** No path works. */
  BLOCKED = 'blocked',
  /** A value that decides the answer is not known offline; the reason names it. */
  UNKNOWN = 'unknown',
}

/**
 * What a query or a denied flow evaluates: the whole path, or one defence layer on its own. A layer on its own shows
 * defence in depth: a segmentation that the transit gateway should hold, but that only the VPC route tables still
 * hold, is a finding even though no packet gets through.
 */
export enum ReachabilityLayer {
  /** Every hop, forward and return: security groups, network ACLs, VPC and transit gateway route tables. */
  END_TO_END = 'end-to-end',
  /**
   * The transit gateway alone, forward only: the route table associated with the source's attachment (its VPC's, or
   * its site's VPN) and the attachment its route leads to. VPC route tables, network ACLs and security groups are
   * not evaluated.
   */
  TRANSIT_GATEWAY = 'transit-gateway',
  /**
   * The destination's security groups alone (ingress rules, forward only); routing and network ACLs are not
   * evaluated. Only for destinations with security groups (`NetworkEndpoint.resource`).
   */
  SECURITY_GROUPS = 'security-groups',
}

/** Which way a hop carries traffic. */
export enum PathDirection {
  /** From the source to the destination. */
  FORWARD = 'forward',
  /** The reply, from the destination back to the source. */
  RETURN = 'return',
}

/** What decided a hop. */
export enum HopKind {
  /** The source's security groups, outbound rules. */
  SECURITY_GROUP_EGRESS = 'security-group-egress',
  /** A subnet's network ACL, outbound rules. */
  NETWORK_ACL_OUTBOUND = 'network-acl-outbound',
  /** A VPC route table (longest-prefix match, including the `local` route). */
  ROUTE_TABLE = 'route-table',
  /** A transit gateway VPC attachment: entering or leaving the transit gateway in an AZ. */
  TRANSIT_GATEWAY_ATTACHMENT = 'transit-gateway-attachment',
  /** The transit gateway route table associated with the attachment the traffic arrived on. */
  TRANSIT_GATEWAY_ROUTE_TABLE = 'transit-gateway-route-table',
  /** A Site-to-Site VPN attachment: entering or leaving AWS. */
  VPN = 'vpn',
  /** A subnet's network ACL, inbound rules. */
  NETWORK_ACL_INBOUND = 'network-acl-inbound',
  /** The destination's security groups, inbound rules. */
  SECURITY_GROUP_INGRESS = 'security-group-ingress',
  /** The traffic reaches the destination. */
  DESTINATION = 'destination',
}

/** One hop of a path, with what decided it. */
export interface Hop {
  /** Forward or return. */
  readonly direction: PathDirection;
  /** What kind of decision this is. */
  readonly kind: HopKind;
  /** ALLOWED, BLOCKED, UNKNOWN, or PARTIAL (a network ACL that allows only part of a port range). */
  readonly verdict: Verdict;
  /** The construct path (or `Stack/LogicalId`) of the route table, rule owner or attachment that decided. */
  readonly resource: string;
  /** The route or rule that decided, in words, e.g. `propagated 10.0.0.0/18 → Prod/Spoke/Attachment matches 10.0.0.0/24`. */
  readonly detail: string;
}

/** One path between a source placement and a destination placement. */
export interface PathResult {
  /** The round trip: forward and return. */
  readonly verdict: Verdict;
  /** The forward direction alone: whether packets are delivered at all. */
  readonly forwardVerdict: Verdict;
  /** The source address ranges (CIDR notation) this path holds for. */
  readonly sourceAddresses: string[];
  /** The destination address ranges (CIDR notation) this path holds for. */
  readonly destinationAddresses: string[];
  /** The hops, forward then return. */
  readonly hops: Hop[];
  /** Why the path is blocked or unknown; empty when allowed. */
  readonly reason: string;
}

/** The answer to one query. */
export interface QueryResult {
  /** The source, as given. */
  readonly source: string;
  /** The destination, as given. */
  readonly destination: string;
  /** The protocol. */
  readonly protocol: FlowProtocol;
  /** The destination port (TCP/UDP) or ICMP type. */
  readonly port: number;
  /** The round trip over all paths. */
  readonly verdict: Verdict;
  /**
   * The forward direction over all paths: not BLOCKED while `verdict` is BLOCKED means packets are delivered but
   * replies are dropped ("one-way"); the boundary then rests on a missing return route alone.
   */
  readonly forwardVerdict: Verdict;
  /** Why the flow is blocked, partial or unknown; a summary when allowed. */
  readonly reason: string;
  /** Every distinct path. */
  readonly paths: PathResult[];
  /** What was evaluated: the whole path (`query`) or one layer on its own (`queryLayer`). */
  readonly layer: ReachabilityLayer;
}

/** The kind of a model issue. */
export enum ModelIssueKind {
  /** A value could not be resolved offline (a deploy-time attribute, an ID not in the assembly, an unknown lookup). */
  UNRESOLVED = 'unresolved',
  /** A network-relevant resource whose type the model does not evaluate. */
  NOT_MODELLED = 'not-modelled',
}

/** Something the model could not resolve or does not evaluate; queries that depend on it answer UNKNOWN. */
export interface ModelIssue {
  /** Unresolved value or type not modelled. */
  readonly kind: ModelIssueKind;
  /** The construct path (or `Stack/LogicalId`) of the resource. */
  readonly resource: string;
  /** The CloudFormation resource type. */
  readonly resourceType: string;
  /**
   * The property concerned.
   * @default - the resource as a whole
   */
  readonly property?: string;
  /** What is unknown or not modelled, and why. */
  readonly reason: string;
}

/**
 * An on-premises network behind a Site-to-Site VPN on a transit gateway. Templates do not describe on-premises
 * networks, so they are declared here. Returning traffic to a site's address must leave AWS through the VPN
 * attachment the site is declared behind.
 */
export interface OnPremisesSite {
  /** The site's name, used by `NetworkEndpoint.onPremises(name)`, e.g. `users` or `dc-backup-server`. */
  readonly name: string;
  /** The site's addresses: CIDRs (`172.16.0.0/16`) or hosts (`10.0.200.10`). */
  readonly cidrs: string[];
  /**
   * The VPN connection the site sits behind, by construct path (`Network/Hub/DcVpn`), `Stack/LogicalId` or logical
   * ID. Give this or `customerGatewayAddress`.
   * @default - found by `customerGatewayAddress`
   */
  readonly vpnConnection?: string;
  /**
   * The public IPv4 address of the customer gateway of the VPN the site sits behind, e.g. `203.0.113.20`.
   * Give this or `vpnConnection`.
   * @default - found by `vpnConnection`
   */
  readonly customerGatewayAddress?: string;
  /**
   * What the site advertises over BGP, when its VPN uses dynamic routing (`StaticRoutesOnly` false): these CIDRs
   * are what the VPN attachment propagates into transit gateway route tables. Ignored for a static VPN, which
   * propagates nothing.
   * @default - the site's `cidrs`
   */
  readonly advertisedCidrs?: string[];
}

/** Options of the reachability model. */
export interface ReachabilityModelOptions {
  /**
   * The on-premises sites behind the VPN connections.
   * @default - none: flows from or to on-premises cannot be queried, and a BGP VPN's propagated routes are unknown
   */
  readonly onPremisesSites?: OnPremisesSite[];
  /**
   * Literal IDs that stand for resources of the assembly, e.g. a transit gateway ID passed to spoke accounts
   * through a shared config: `{ 'tgw-0123456789abcdef0': 'Network/Hub/TransitGateway' }`. Values are selectors:
   * construct path, `Stack/LogicalId` or logical ID.
   * @default - literal IDs that are not in the assembly stay unknown
   */
  readonly externalIds?: { [id: string]: string };
  /**
   * The lowest ephemeral port of clients, for return traffic through network ACLs.
   * @default 1024
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports
   */
  readonly ephemeralPortFrom?: number;
  /**
   * The highest ephemeral port of clients.
   * @default 65535
   */
  readonly ephemeralPortTo?: number;
}

/** How much the model holds, and how long it took to build. */
export interface ModelSummary {
  /** Stacks read. */
  readonly stacks: number;
  /** Accounts those stacks are in. */
  readonly accounts: string[];
  /** VPCs. */
  readonly vpcs: number;
  /** Subnets. */
  readonly subnets: number;
  /** VPC route tables (explicit ones and each VPC's main table). */
  readonly routeTables: number;
  /** Transit gateways. */
  readonly transitGateways: number;
  /** Transit gateway route tables. */
  readonly transitGatewayRouteTables: number;
  /** Transit gateway attachments (VPC and VPN). */
  readonly attachments: number;
  /** Security groups (explicit ones and each VPC's default group). */
  readonly securityGroups: number;
  /** Network ACLs (explicit ones and each VPC's default ACL). */
  readonly networkAcls: number;
  /** Resources with network interfaces the model evaluates (instances, load balancers, endpoints, …). */
  readonly endpoints: number;
  /** Unresolved values and types not modelled. */
  readonly issues: number;
  /** Milliseconds to read the assembly and build the model. */
  readonly buildMillis: number;
}
