import { Annotations, Aws, CfnOutput, Fn, Names, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as route53profiles from 'aws-cdk-lib/aws-route53profiles';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { canonicalDomain, consumerShareName, DEFAULT_HUB_NAME, HUB_NAME_PATTERN, resourceName, zonePermissionName, zoneShareName } from './names';
import { QueryLogDestination } from './query-log-destination';
import { checkVpcDnsAttributes } from './support';
import { acknowledgeAwsCustomResourceProvider } from '../private/aws-custom-resource';
import { Ipv4Cidr } from '../private/cidr';
import { createEncryptedLogGroup, createEncryptionKey } from '../private/encrypted-log-group';
import { acknowledgeNag } from '../private/nag';
import { validateRamPrincipal } from '../private/ram';
import { checkReturnAddressesOutsideVpc } from '../private/routing';
import { checkSubnetSelection } from '../private/subnet-selection';
import { PropsValidator } from '../private/validation';
import { knownVpcCidrs } from '../private/vpc-cidr';

/** The AWS managed RAM permission that lets a consumer associate a shared Profile with its VPCs, nothing else. */
const PROFILE_READ_ONLY_PERMISSION = 'AWSRAMPermissionRoute53ProfileAllowAssociation';

/** The DNS port. */
const DNS_PORT = 53;

/** How the RAM principal check names the shared Profile and its owner (this stack's account). */
const PROFILE_OWNER = (stack: Stack) => ({ ownerAccount: stack.account, resource: 'the Profile' });

/** One Route 53 Resolver forwarding rule: queries for `domainName` (and its subdomains) go to `targetIps`. */
export interface DnsForwardingRule {
  /**
   * The domain whose queries are forwarded, e.g. `onprem.example.local`. Case and a trailing dot are ignored when
   * rules are compared; two rules for the same domain are an error.
   */
  readonly domainName: string;
  /**
   * IPv4 addresses of the DNS servers the outbound endpoint forwards to (dotted quad, no CIDR). They must not be
   * addresses of the inbound endpoint: the rule is associated with the Network VPC, so that would loop. The
   * outbound endpoint's security group opens TCP and UDP 53 to them, but routing is the VPC's: an on-premises target
   * must also be routed from the resolver-out subnets to the transit gateway (with `OverlappingCidrOpsAccess`, list
   * it in `dataCentreReturnCidrs`), and from the transit gateway to its VPN.
   * @default - the `dataCentreDnsServers` of the hub
   */
  readonly targetIps?: string[];
  /**
   * The TCP/UDP port of the target DNS servers, 1-65535.
   * @default 53
   */
  readonly port?: number;
  /**
   * The rule's name (letters, digits, `-`, `_`, spaces; at most 64 characters; other characters become `-`).
   * @default - `<hubName>-<domainName>`
   */
  readonly name?: string;
}

/** A private hosted zone that a spoke account owns and adds to the hub's Route 53 Profile. */
export interface PrivateDnsSpokeZone {
  /** The zone's domain name, e.g. `prod.internal`. */
  readonly zoneName: string;
  /**
   * Who may add this zone to the hub's Profile and associate the Profile with their VPCs: 12-digit account IDs,
   * organizational unit ARNs (`arn:aws:organizations::<mgmt>:ou/o-.../ou-...`) or the organization ARN. Usually the
   * one spoke account that owns the zone (Prod 333333333333 for `prod.internal`).
   */
  readonly principals: string[];
}

/** Properties of a PrivateDnsHub. */
export interface PrivateDnsHubProps {
  /**
   * The Network VPC that hosts the Resolver endpoints. DNS support and DNS hostnames must be enabled. Its CIDR
   * must not contain the DC DNS servers (ARCHITECTURE.md correction 3).
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the inbound endpoint, one network interface per subnet: at least two subnets in at least two
   * availability zones (e.g. `{ subnetGroupName: 'resolver-in' }`).
   */
  readonly inboundSubnets: ec2.SubnetSelection;

  /** The subnets of the outbound endpoint: at least two subnets in at least two availability zones. */
  readonly outboundSubnets: ec2.SubnetSelection;

  /**
   * Fixed IPv4 addresses of the inbound endpoint, one per selected subnet, in the order the VPC returns the
   * subnets (by availability zone). Each must lie inside its subnet and not be one of the five addresses AWS
   * reserves there (the first four and the last). The DC's conditional forwarders point at these addresses, so
   * fixing them keeps the forwarders valid if the endpoint is ever replaced.
   * @default - Resolver picks the addresses; they are looked up at deployment for the stack outputs, and synth warns
   */
  readonly inboundIpAddresses?: string[];

  /**
   * Fixed IPv4 addresses of the outbound endpoint, one per selected subnet (same rules as `inboundIpAddresses`).
   * These are the source addresses the DC DNS servers see.
   * @default - Resolver picks the addresses; they are looked up at deployment for the stack outputs
   */
  readonly outboundIpAddresses?: string[];

  /**
   * The data centre's DNS servers (IPv4 addresses, e.g. `['10.0.250.10', '10.0.250.11']`): the only sources the
   * inbound endpoint accepts (TCP and UDP 53) and the default targets of forwarding rules.
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html
   */
  readonly dataCentreDnsServers: string[];

  /**
   * Extra sources (IPv4 addresses or CIDRs) allowed to query the inbound endpoint on TCP and UDP 53, e.g. the DNS
   * resolvers of the user sites when they forward to AWS directly instead of through the DC. Each entry opens the
   * inbound endpoint to that range; the ranges also need a route to the inbound endpoint's subnets.
   * @default - none: only `dataCentreDnsServers`
   */
  readonly additionalInboundSourceCidrs?: string[];

  /**
   * Forwarding rules on the outbound endpoint, e.g. `[{ domainName: 'onprem.example.local' }]`. They are added to
   * the hub's Route 53 Profile, so every VPC associated with the Profile (the Network VPC and every spoke) uses them.
   * @default - none
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-rules-managing.html
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53profiles_AssociateResourceToProfile.html
   */
  readonly forwardingRules?: DnsForwardingRule[];

  /**
   * The spoke zones: for each, the account(s) allowed to add it to the hub's Profile. Each zone gets its own RAM
   * share of the Profile with a customer managed permission that allows associating the Profile with VPCs and
   * adding or removing a private hosted zone of exactly that domain name, nothing else.
   * @default - none
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/sharing-profiles.html
   * @see https://docs.aws.amazon.com/ram/latest/userguide/create-customer-managed-permissions.html
   */
  readonly spokeZones?: PrivateDnsSpokeZone[];

  /**
   * Principals (account IDs, OU ARNs, organization ARN) that may associate the hub's Profile with their VPCs but
   * not change it (AWS managed permission `AWSRAMPermissionRoute53ProfileAllowAssociation`).
   * @default - none besides the `spokeZones` principals
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/sharing-profiles.html
   */
  readonly profileConsumers?: string[];

  /**
   * Also share the forwarding rules themselves through RAM with every principal of `spokeZones` and
   * `profileConsumers`. VPCs associated with the hub's Profile get the rules from the Profile and do not need this.
   * Turn it on only for a spoke VPC that cannot use the hub's Profile because it already has another Route 53
   * Profile (a VPC can have only one; `PrivateDnsSpoke.associateHubProfile: false`): that account then associates
   * the shared rules with its VPC itself (`AWS::Route53Resolver::ResolverRuleAssociation`).
   * @default false
   */
  readonly shareRulesDirectly?: boolean;

  /**
   * Other domain names the DC forwards to the inbound endpoint besides the spoke zones, e.g. the private DNS names
   * of the Network VPC's interface endpoints (`ssm.ap-northeast-1.amazonaws.com`). Only used for the stack outputs
   * that tell the DC what to configure.
   * @default - none
   */
  readonly additionalForwardedZones?: string[];

  /**
   * Where Resolver writes the DNS query logs of every VPC associated with the hub's Profile.
   * @default - a new CloudWatch Logs log group, encrypted with a new KMS key (rotation on), both retained on delete
   */
  readonly queryLogDestination?: QueryLogDestination;

  /**
   * Retention of the log group created when `queryLogDestination` is not given.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly queryLogRetention?: logs.RetentionDays;

  /**
   * Prefix of the names of the Profile, the endpoints, the rules and the RAM shares (letters, digits, hyphens; at
   * most 32 characters). PrivateDnsSpoke finds the Profile by the RAM share name (and the hub's account), so both
   * sides must use the same.
   * @default 'gov-private-dns'
   */
  readonly hubName?: string;
}

/**
 * The Network account's side of the hybrid private DNS: Route 53 Resolver inbound and outbound endpoints in the
 * Network VPC, forwarding rules to the data centre, Resolver query logging, and a Route 53 Profile that carries
 * the rules, the query log configuration and the spokes' private hosted zones to every VPC associated with it.
 *
 * A private hosted zone cannot be shared through AWS RAM (ARCHITECTURE.md correction 4). Instead the hub owns one
 * Route 53 Profile, associates it with the Network VPC, and shares it through RAM with each spoke account under a
 * customer managed permission that lets that account add its own zone (and only a zone of its own domain name) to
 * the Profile and associate the Profile with its VPCs. A spoke (PrivateDnsSpoke) then adds `prod.internal` to the
 * Profile: the Network VPC, and so the inbound endpoint that the DC queries, resolves it, and the spoke VPC gets
 * the forwarding rules. Every association is a CloudFormation resource, so deleting a stack removes it.
 *
 * One Profile for every spoke, by design: every VPC associated with the Profile resolves every zone added to it, so
 * the Dev VPC resolves `app.prod.internal` and the Prod VPC resolves `app.dev.internal`. This is what the seed asks
 * for ("RAM 共有で、すべての VPC で名前解決可能": every VPC resolves the names) and it is what lets the Network VPC, which
 * can have only one Profile, answer the DC for every zone. Resolving a name grants no access: the transit gateway
 * route tables keep Prod and Dev apart, and the records hold private addresses only. Where zone names themselves must
 * not be visible across environments, use one hub (one Profile, its own `hubName`) per environment; the Network VPC
 * can then carry only one of them, and the other environments' zones must reach the DC another way (e.g. VPC
 * association authorizations), which this construct does not build.
 *
 * Deployment order: this construct (Network account) first, then the spokes. Deleting: spokes first (a Profile
 * cannot be deleted while VPCs are associated with it).
 *
 * Requirements outside this construct: RAM sharing with AWS Organizations enabled in the management account
 * (external principals are off, so shares within the organization need no invitation); the DC DNS servers must lie
 * outside the Network VPC CIDR and reach the inbound subnets through the Transit Gateway.
 *
 * Throws at synth (one error listing every problem) for: invalid domain names, target IPs that are not IPv4
 * addresses, ports outside 1-65535, fewer than two subnets or two AZs for an endpoint, fixed IPs outside their
 * subnet or reserved, a rule that targets the inbound endpoint, two rules for the same domain, malformed principals.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profiles.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/sharing-profiles.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-conditions-route53.html
 * @see https://docs.aws.amazon.com/ram/latest/userguide/create-customer-managed-permissions.html
 */
export class PrivateDnsHub extends Construct implements ec2.IConnectable {
  /** The name of the RAM share through which the hub shares its Profile with the contributors of `zoneName`. */
  public static zoneShareName(hubName: string, zoneName: string): string {
    return zoneShareName(hubName, zoneName);
  }

  /**
   * The name of the read-only RAM share of the Profile (`profileConsumers`); a consumer account finds the Profile with
   * `new HubProfileLookup(this, 'Hub', { resourceShareName: PrivateDnsHub.consumerShareName('gov-private-dns'), ownerAccount: '<Network account>' })`.
   */
  public static consumerShareName(hubName: string): string {
    return consumerShareName(hubName);
  }

  /** The inbound endpoint (queries from the DC into AWS). */
  public readonly inboundEndpoint: route53resolver.CfnResolverEndpoint;
  /** The outbound endpoint (queries from AWS to the DC). */
  public readonly outboundEndpoint: route53resolver.CfnResolverEndpoint;
  /** The inbound endpoint's security group: TCP and UDP 53 from the DC DNS servers (and opted-in sources) only. */
  public readonly inboundSecurityGroup: ec2.ISecurityGroup;
  /** The outbound endpoint's security group: TCP and UDP to the forwarding targets' ports only, no ingress. */
  public readonly outboundSecurityGroup: ec2.ISecurityGroup;
  /** The inbound endpoint's connections (its security group); `connections.allowFrom(...)` opens it further. */
  public readonly connections: ec2.Connections;
  /** The outbound endpoint's connections. */
  public readonly outboundConnections: ec2.Connections;
  /** The inbound endpoint's IPv4 addresses: the fixed ones, or deploy-time lookups. */
  public readonly inboundEndpointIps: string[];
  /** The outbound endpoint's IPv4 addresses: the fixed ones, or deploy-time lookups. */
  public readonly outboundEndpointIps: string[];
  /** The forwarding rules, in the order of `forwardingRules`. */
  public readonly forwardingRules: route53resolver.CfnResolverRule[];
  /** The Route 53 Profile that carries the rules, the query logging configuration and the spoke zones. */
  public readonly profile: route53profiles.CfnProfile;
  /** The Profile's ID (`rp-...`). */
  public readonly profileId: string;
  /** The Profile's ARN. */
  public readonly profileArn: string;
  /** The Resolver query logging configuration (associated through the Profile). */
  public readonly queryLoggingConfig: route53resolver.CfnResolverQueryLoggingConfig;
  /** The log group created when no `queryLogDestination` was given. */
  public readonly queryLogGroup?: logs.ILogGroup;
  /**
   * The association of the Profile with the Network VPC (the hub's own VPC), e.g. to make other resources wait for
   * it or to add tags.
   */
  public readonly networkVpcProfileAssociation: route53profiles.CfnProfileAssociation;
  /** The RAM shares of the Profile, one per spoke zone, in the order of `spokeZones`. */
  public readonly zoneShares: ram.CfnResourceShare[];
  /**
   * The RAM customer managed permissions of the zone shares, in the order of `spokeZones`: each lets its principals
   * associate the Profile with their VPCs and add or remove a private hosted zone of exactly that zone's name.
   */
  public readonly zonePermissions: ram.CfnPermission[];
  /** The read-only RAM share of the Profile for `profileConsumers`, if any. */
  public readonly consumerShare?: ram.CfnResourceShare;
  /** The RAM share of the forwarding rules, if `shareRulesDirectly` and there are rules and principals. */
  public readonly ruleShare?: ram.CfnResourceShare;
  /** The name prefix of the hub's resources and RAM shares. */
  public readonly hubName: string;

  constructor(scope: Construct, id: string, props: PrivateDnsHubProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.hubName = props.hubName ?? DEFAULT_HUB_NAME;
    const hubName = this.hubName;

    // ---- validation: every problem in one error ----
    const v = new PropsValidator('PrivateDnsHub');
    if (!v.isToken(hubName)) {
      v.check(HUB_NAME_PATTERN.test(hubName), 'hubName', hubName,
        'is not a valid hub name; use 1-32 letters, digits and hyphens, starting and ending with a letter or digit.');
    }
    checkVpcDnsAttributes(v, 'vpc', props.vpc);
    const vpcCidrs = knownVpcCidrs(props.vpc).all;

    const inbound = planEndpoint(v, props.vpc, 'inboundSubnets', props.inboundSubnets, 'inboundIpAddresses', props.inboundIpAddresses);
    const outbound = planEndpoint(v, props.vpc, 'outboundSubnets', props.outboundSubnets, 'outboundIpAddresses', props.outboundIpAddresses);

    v.nonEmpty('dataCentreDnsServers', props.dataCentreDnsServers, 'give the IPv4 addresses of the data centre\'s DNS servers.');
    const dcServers = props.dataCentreDnsServers.map((ip, i) => v.ipv4(`dataCentreDnsServers[${i}]`, ip));
    vpcCidrs.forEach((vpcCidr) => checkReturnAddressesOutsideVpc(v, 'dataCentreDnsServers', dcServers, 'the Network VPC', vpcCidr));
    const extraSources = (props.additionalInboundSourceCidrs ?? []).map((cidr, i) => {
      const parsed = v.ipv4OrCidr(`additionalInboundSourceCidrs[${i}]`, cidr);
      if (parsed && parsed.prefixLength === 0) {
        v.report(`additionalInboundSourceCidrs[${i}]`, cidr,
          'opens the inbound endpoint to every IPv4 address; list only the on-premises DNS resolvers that forward to AWS.');
        return undefined; // reported once; it would also "overlap" every VPC
      }
      return parsed;
    });
    vpcCidrs.forEach((vpcCidr) => checkReturnAddressesOutsideVpc(v, 'additionalInboundSourceCidrs', extraSources, 'the Network VPC', vpcCidr));

    const rules = props.forwardingRules ?? [];
    const seenRules = new Map<string, number>();
    rules.forEach((rule, i) => {
      const p = `forwardingRules[${i}]`;
      if (v.domainName(`${p}.domainName`, rule.domainName) && !v.isToken(rule.domainName)) {
        const key = canonicalDomain(rule.domainName);
        const first = seenRules.get(key);
        if (first !== undefined) {
          v.report(`${p}.domainName`, rule.domainName,
            `duplicates \`forwardingRules[${first}].domainName\` (${rules[first].domainName}); a VPC can use one forwarding rule per domain name, so merge the target IPs into one rule.`);
        } else {
          seenRules.set(key, i);
        }
      }
      if (rule.port !== undefined) {
        v.port(`${p}.port`, rule.port);
      }
      if (rule.targetIps !== undefined) {
        v.nonEmpty(`${p}.targetIps`, rule.targetIps, 'give at least one target DNS server, or omit `targetIps` to use `dataCentreDnsServers`.');
        rule.targetIps.forEach((ip, j) => {
          const target = v.ipv4(`${p}.targetIps[${j}]`, ip);
          if (target) {
            checkNotInbound(v, `${p}.targetIps[${j}]`, ip, inbound);
          }
        });
      }
    });
    // The DC servers are the default targets, so they must not be inbound endpoint addresses either.
    if (rules.some((r) => r.targetIps === undefined)) {
      props.dataCentreDnsServers.forEach((ip, i) => {
        if (dcServers[i]) {
          checkNotInbound(v, `dataCentreDnsServers[${i}]`, ip, inbound);
        }
      });
    }

    const zones = props.spokeZones ?? [];
    const seenZones = new Map<string, number>();
    zones.forEach((zone, i) => {
      const p = `spokeZones[${i}]`;
      if (v.domainName(`${p}.zoneName`, zone.zoneName) && !v.isToken(zone.zoneName)) {
        const key = canonicalDomain(zone.zoneName);
        const first = seenZones.get(key);
        if (first !== undefined) {
          v.report(`${p}.zoneName`, zone.zoneName,
            `duplicates \`spokeZones[${first}].zoneName\` (${zones[first].zoneName}); list each zone once with all the principals that own it.`);
        } else {
          seenZones.set(key, i);
        }
        const rule = seenRules.get(key);
        if (rule !== undefined) {
          v.report(`${p}.zoneName`, zone.zoneName,
            `is also the domain of \`forwardingRules[${rule}]\`; a forwarding rule takes precedence over a private hosted zone of the same name, so the zone would never answer. Remove the rule or rename the zone.`);
        }
      }
      v.nonEmpty(`${p}.principals`, zone.principals, 'give the account ID (or OU ARN) that owns the zone.');
      zone.principals.forEach((principal, j) => validateRamPrincipal(v, `${p}.principals[${j}]`, principal, PROFILE_OWNER(stack)));
    });
    (props.profileConsumers ?? []).forEach((principal, i) => validateRamPrincipal(v, `profileConsumers[${i}]`, principal, PROFILE_OWNER(stack)));
    (props.additionalForwardedZones ?? []).forEach((zone, i) => v.domainName(`additionalForwardedZones[${i}]`, zone));
    v.throwIfInvalid(this);

    // ---- security groups ----
    const inboundSg = new ec2.SecurityGroup(this, 'InboundSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: `${hubName} Resolver inbound endpoint: DNS from the data-centre DNS servers only`,
    });
    const sources = [
      ...props.dataCentreDnsServers.map((ip) => ({ cidr: `${ip}/32`, what: `data-centre DNS server ${ip}` })),
      ...(props.additionalInboundSourceCidrs ?? []).map((c) => {
        const cidr = v.isToken(c) || c.includes('/') ? c : `${c}/32`;
        return { cidr, what: `opted-in DNS source ${c}` };
      }),
    ];
    for (const source of sources) {
      inboundSg.addIngressRule(ec2.Peer.ipv4(source.cidr), ec2.Port.udp(DNS_PORT), `DNS (UDP) from ${source.what}`);
      inboundSg.addIngressRule(ec2.Peer.ipv4(source.cidr), ec2.Port.tcp(DNS_PORT), `DNS (TCP) from ${source.what}`);
    }
    const outboundSg = new ec2.SecurityGroup(this, 'OutboundSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: `${hubName} Resolver outbound endpoint: DNS to the forwarding targets only`,
    });
    const egress = new Map<string, { ip: string; port: number }>();
    for (const rule of rules) {
      const port = rule.port ?? DNS_PORT;
      for (const ip of rule.targetIps ?? props.dataCentreDnsServers) {
        egress.set(`${ip}:${port}`, { ip, port });
      }
    }
    for (const { ip, port } of egress.values()) {
      outboundSg.addEgressRule(ec2.Peer.ipv4(`${ip}/32`), ec2.Port.udp(port), `DNS (UDP) to forwarding target ${ip}:${port}`);
      outboundSg.addEgressRule(ec2.Peer.ipv4(`${ip}/32`), ec2.Port.tcp(port), `DNS (TCP) to forwarding target ${ip}:${port}`);
    }
    this.inboundSecurityGroup = inboundSg;
    this.outboundSecurityGroup = outboundSg;
    this.connections = new ec2.Connections({ securityGroups: [inboundSg] });
    this.outboundConnections = new ec2.Connections({ securityGroups: [outboundSg] });

    // ---- endpoints ----
    this.inboundEndpoint = new route53resolver.CfnResolverEndpoint(this, 'InboundEndpoint', {
      direction: 'INBOUND',
      name: resourceName(hubName, 'inbound'),
      resolverEndpointType: 'IPV4',
      protocols: ['Do53'],
      securityGroupIds: [inboundSg.securityGroupId],
      ipAddresses: inbound.subnets.map((subnet, i) => ({ subnetId: subnet.subnetId, ip: props.inboundIpAddresses?.[i] })),
      tags: [{ key: 'Name', value: resourceName(hubName, 'inbound') }],
    });
    this.outboundEndpoint = new route53resolver.CfnResolverEndpoint(this, 'OutboundEndpoint', {
      direction: 'OUTBOUND',
      name: resourceName(hubName, 'outbound'),
      resolverEndpointType: 'IPV4',
      protocols: ['Do53'],
      securityGroupIds: [outboundSg.securityGroupId],
      ipAddresses: outbound.subnets.map((subnet, i) => ({ subnetId: subnet.subnetId, ip: props.outboundIpAddresses?.[i] })),
      tags: [{ key: 'Name', value: resourceName(hubName, 'outbound') }],
    });
    if (!props.inboundIpAddresses) {
      Annotations.of(this).addWarningV2('cdk-gov-hybrid-network:private-dns-inbound-ips-not-fixed',
        'The inbound Resolver endpoint has no fixed IPs (`inboundIpAddresses`): the DC\'s conditional forwarders point at its addresses, ' +
        'which change if the endpoint is ever replaced. Give one fixed IP per inbound subnet.');
    }
    this.inboundEndpointIps = props.inboundIpAddresses ?? this.lookUpEndpointIps('InboundEndpointIpLookup', this.inboundEndpoint, inbound.subnets.length);
    this.outboundEndpointIps = props.outboundIpAddresses ?? this.lookUpEndpointIps('OutboundEndpointIpLookup', this.outboundEndpoint, outbound.subnets.length);

    // ---- forwarding rules ----
    this.forwardingRules = rules.map((rule, i) => {
      const key = v.isToken(rule.domainName) ? `${i}` : canonicalDomain(rule.domainName);
      const name = resourceName(rule.name ?? `${hubName}-${key}`);
      return new route53resolver.CfnResolverRule(this, `Rule-${key}`, {
        ruleType: 'FORWARD',
        domainName: rule.domainName,
        name,
        resolverEndpointId: this.outboundEndpoint.attrResolverEndpointId,
        targetIps: (rule.targetIps ?? props.dataCentreDnsServers).map((ip) => ({ ip, port: Tokenization.stringifyNumber(rule.port ?? DNS_PORT) })),
        tags: [{ key: 'Name', value: name }],
      });
    });

    // ---- query logging ----
    let destination = props.queryLogDestination;
    if (!destination) {
      this.queryLogGroup = this.createQueryLogGroup(props.queryLogRetention ?? logs.RetentionDays.ONE_YEAR);
      destination = QueryLogDestination.logGroup(this.queryLogGroup);
    }
    this.queryLoggingConfig = new route53resolver.CfnResolverQueryLoggingConfig(this, 'QueryLoggingConfig', {
      name: resourceName(hubName, 'query-logs'),
      destinationArn: destination.destinationArn,
    });

    // ---- the Profile: rules + query logging + (added by the spokes) zones, associated with the Network VPC ----
    this.profile = new route53profiles.CfnProfile(this, 'Profile', {
      name: resourceName(hubName),
      tags: [{ key: 'Name', value: resourceName(hubName) }],
    });
    this.profileId = this.profile.attrId;
    this.profileArn = this.profile.attrArn;
    this.forwardingRules.forEach((rule, i) => {
      const key = v.isToken(rules[i].domainName) ? `${i}` : canonicalDomain(rules[i].domainName);
      new route53profiles.CfnProfileResourceAssociation(this, `Rule-${key}-InProfile`, {
        name: resourceName('rule', key),
        profileId: this.profileId,
        resourceArn: rule.attrArn,
      });
    });
    new route53profiles.CfnProfileResourceAssociation(this, 'QueryLoggingInProfile', {
      name: resourceName('query-logs'),
      profileId: this.profileId,
      resourceArn: this.queryLoggingConfig.attrArn,
    });
    this.networkVpcProfileAssociation = new route53profiles.CfnProfileAssociation(this, 'ProfileToNetworkVpc', {
      name: resourceName(hubName, 'network-vpc'),
      profileId: this.profileId,
      resourceId: props.vpc.vpcId,
    });

    // ---- RAM shares ----
    const permissions: ram.CfnPermission[] = [];
    this.zoneShares = zones.map((zone, i) => {
      const key = v.isToken(zone.zoneName) ? `${i}` : canonicalDomain(zone.zoneName);
      const share = new Construct(this, `ZoneShare-${key}`);
      const permission = new ram.CfnPermission(share, 'Permission', {
        name: v.isToken(zone.zoneName) || v.isToken(hubName)
          ? Names.uniqueResourceName(share, { maxLength: 36, separator: '-' })
          : zonePermissionName(hubName, zone.zoneName),
        resourceType: 'route53profiles:Profile',
        policyTemplate: zoneContributorPolicy(zone.zoneName),
      });
      permissions.push(permission);
      return new ram.CfnResourceShare(share, 'Resource', {
        name: zoneShareName(hubName, zone.zoneName),
        resourceArns: [this.profileArn],
        principals: zone.principals,
        allowExternalPrincipals: false,
        permissionArns: [permission.attrArn],
      });
    });
    this.zonePermissions = permissions;
    const consumers = props.profileConsumers ?? [];
    if (consumers.length > 0) {
      this.consumerShare = new ram.CfnResourceShare(this, 'ProfileConsumerShare', {
        name: consumerShareName(hubName),
        resourceArns: [this.profileArn],
        principals: consumers,
        allowExternalPrincipals: false,
        permissionArns: [`arn:${Aws.PARTITION}:ram::aws:permission/${PROFILE_READ_ONLY_PERMISSION}`],
      });
    }
    const allPrincipals = [...new Set([...zones.flatMap((z) => z.principals), ...consumers])];
    if ((props.shareRulesDirectly ?? false) && this.forwardingRules.length > 0 && allPrincipals.length > 0) {
      this.ruleShare = new ram.CfnResourceShare(this, 'RuleShare', {
        name: `${hubName}-forwarding-rules`,
        resourceArns: this.forwardingRules.map((r) => r.attrArn),
        principals: allPrincipals,
        allowExternalPrincipals: false,
      });
    }

    // ---- what the DC must configure ----
    new CfnOutput(this, 'InboundEndpointIpsOutput', {
      description: `${hubName}: IPs of the Route 53 Resolver inbound endpoint (targets of the DC's conditional forwarders, TCP/UDP 53)`,
      value: Fn.join(', ', this.inboundEndpointIps),
    });
    new CfnOutput(this, 'OutboundEndpointIpsOutput', {
      description: `${hubName}: source IPs of the queries AWS forwards to the DC DNS servers (allow them on TCP/UDP 53 there)`,
      value: Fn.join(', ', this.outboundEndpointIps),
    });
    new CfnOutput(this, 'ProfileIdOutput', {
      description: `${hubName}: ID of the Route 53 Profile shared with the spokes`,
      value: this.profileId,
    });
    const forwarded = [...zones.map((z) => z.zoneName), ...(props.additionalForwardedZones ?? [])];
    forwarded.forEach((zoneName, i) => {
      const key = v.isToken(zoneName) ? `${i}` : canonicalDomain(zoneName);
      new CfnOutput(this, `ConditionalForwarder-${key}`, {
        description: `${hubName}: on the DC DNS servers, forward ${v.isToken(zoneName) ? 'this zone' : key} to the inbound endpoint IPs`,
        value: Fn.join('', [zoneName, ' -> ', Fn.join(', ', this.inboundEndpointIps)]),
      });
    });
  }

  /** Looks up the IPs Resolver chose for an endpoint (CloudFormation does not return them). */
  private lookUpEndpointIps(id: string, endpoint: route53resolver.CfnResolverEndpoint, count: number): string[] {
    const paths = Array.from({ length: count }, (_, i) => `IpAddresses.${i}.Ip`);
    const call: cr.AwsSdkCall = {
      service: 'Route53Resolver',
      action: 'listResolverEndpointIpAddresses',
      parameters: { ResolverEndpointId: endpoint.attrResolverEndpointId },
      physicalResourceId: cr.PhysicalResourceId.of(endpoint.attrResolverEndpointId),
      outputPaths: paths,
    };
    const lookup = new cr.AwsCustomResource(this, id, {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['route53resolver:ListResolverEndpointIpAddresses'],
        resources: [endpoint.attrArn],
      })]),
    });
    acknowledgeNag(lookup, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'aws-cdk-lib attaches the AwsCustomResource policy inline to its provider role; it allows only ListResolverEndpointIpAddresses on this endpoint.',
    });
    acknowledgeAwsCustomResourceProvider(Stack.of(this));
    return paths.map((path) => lookup.getResponseField(path));
  }

  /** The default query log destination: a KMS-encrypted log group with a resource policy for the log delivery service. */
  private createQueryLogGroup(retention: logs.RetentionDays): logs.ILogGroup {
    const stack = Stack.of(this);
    const key = createEncryptionKey(this, 'QueryLogKey', { description: `${this.hubName}: encrypts the Route 53 Resolver query log group` });
    const logGroup = createEncryptedLogGroup(this, 'QueryLogGroup', { encryptionKey: key, retention });
    // Resolver query logs are vended logs written by delivery.logs.amazonaws.com; an explicit resource policy
    // scoped to this log group and account avoids the service appending to the account's shared policy.
    new logs.ResourcePolicy(this, 'QueryLogDeliveryPolicy', {
      policyStatements: [new iam.PolicyStatement({
        sid: 'AWSLogDeliveryWrite',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
        },
      })],
    });
    return logGroup;
  }
}

/** The subnets of one endpoint and their parsed CIDRs. */
interface EndpointPlan {
  readonly subnets: ec2.ISubnet[];
  readonly cidrs: ReadonlyArray<Ipv4Cidr | undefined>;
  readonly fixedIps: ReadonlyArray<string>;
  readonly selectionProp: string;
}

/** Selects and checks an endpoint's subnets (the library's shared subnet check) and its optional fixed IPs. */
function planEndpoint(v: PropsValidator, vpc: ec2.IVpc, selectionProp: string, selection: ec2.SubnetSelection,
  ipsProp: string, fixedIps: string[] | undefined): EndpointPlan {
  const subnets = checkSubnetSelection(v, vpc, selection, {
    prop: selectionProp,
    minSubnets: 2,
    minSubnetsReason: 'a Resolver endpoint needs at least two IP addresses in two availability zones, so select one subnet in each of two or more AZs',
    minAzs: 2,
    minAzsReason: 'a Resolver endpoint needs IP addresses in at least two availability zones for availability, so select subnets in two or more AZs',
    example: "{ subnetGroupName: 'resolver-in' }",
  }) ?? [];
  const cidrs = subnets.map((s) => {
    let text: string | undefined;
    try {
      text = s.ipv4CidrBlock;
    } catch {
      text = undefined; // an imported subnet without a CIDR: fixed IPs are then checked at deployment by AWS
    }
    return text && !Token.isUnresolved(text) ? Ipv4Cidr.parse(text) : undefined;
  });
  if (fixedIps) {
    if (subnets.length > 0 && fixedIps.length !== subnets.length) {
      v.report(ipsProp, fixedIps,
        `has ${fixedIps.length} address${fixedIps.length === 1 ? '' : 'es'} for ${subnets.length} selected subnets (${cidrs.map((c) => c?.toString() ?? '?').join(', ')}); give exactly one fixed IP per subnet, in that order.`);
    }
    fixedIps.forEach((ip, i) => {
      const parsed = v.ipv4(`${ipsProp}[${i}]`, ip);
      const cidr = cidrs[i];
      if (!parsed || !cidr) {
        return;
      }
      if (!cidr.containsAddress(ip)) {
        v.report(`${ipsProp}[${i}]`, ip, `lies outside its subnet ${cidr.toString()} (${subnets[i].availabilityZone}, subnet ${i + 1} of \`${selectionProp}\`); choose an address inside it.`);
      } else if ([0, 1, 2, 3, -1].some((offset) => cidr.addressAt(offset) === ip)) {
        v.report(`${ipsProp}[${i}]`, ip,
          `is reserved by AWS in ${cidr.toString()} (the first four addresses and the last one of every subnet are reserved); choose an address from ${cidr.addressAt(4)} to ${cidr.addressAt(-2)}.`);
      }
    });
  }
  return { subnets, cidrs, fixedIps: fixedIps ?? [], selectionProp };
}

/** Records a problem when a forwarding target is an address of the inbound endpoint (a forwarding loop). */
function checkNotInbound(v: PropsValidator, prop: string, ip: string, inbound: EndpointPlan): void {
  const subnet = inbound.cidrs.find((c) => c?.containsAddress(ip));
  if (subnet || inbound.fixedIps.includes(ip)) {
    const where = subnet ? `the inbound endpoint's subnet ${subnet.toString()} (\`${inbound.selectionProp}\`)` : 'a fixed IP of the inbound endpoint (`inboundIpAddresses`)';
    v.report(prop, ip,
      `is in ${where}. The hub's rules are associated with the inbound endpoint's own VPC, so forwarding to the inbound endpoint would loop queries between the two endpoints; forward to the on-premises DNS servers instead.`);
  }
}

/**
 * The RAM customer managed permission of one spoke zone: associate the shared Profile with VPCs, read it, and
 * add or remove a private hosted zone of exactly `zoneName` (no rules, firewall rule groups or other zones).
 * The `...IfExists` conditions leave the VPC association actions, which carry neither key, unrestricted.
 */
function zoneContributorPolicy(zoneName: string): Record<string, unknown> {
  return {
    Effect: 'Allow',
    Action: [
      'route53profiles:AssociateProfile',
      'route53profiles:DisassociateProfile',
      'route53profiles:GetProfile',
      'route53profiles:GetProfileResourceAssociation',
      'route53profiles:ListProfileResourceAssociations',
      'route53profiles:AssociateResourceToProfile',
      'route53profiles:DisassociateResourceFromProfile',
    ],
    Condition: {
      StringEqualsIfExists: {
        'route53profiles:ResourceTypes': 'HostedZone',
        'route53profiles:HostedZoneDomains': Token.isUnresolved(zoneName) ? zoneName : canonicalDomain(zoneName),
      },
    },
  };
}
