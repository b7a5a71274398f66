import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct } from 'constructs';
import { NAME_PATTERN, validateRouting } from './private/routing-validation';
import { TransitGatewaySegment } from './segment';
import { SpokeAttachmentLookup, SpokeAttachmentLookupOptions } from './spoke-lookup';
import { GovHybridVpnAttachment, GovHybridVpnOptions, VpnRouting } from './vpn';
import { allowCloudWatchLogsToUseKey, createEncryptionKey } from '../private/encrypted-log-group';
import { ORGANIZATION_ARN_PATTERN, ORGANIZATIONAL_UNIT_ARN_PATTERN } from '../private/ram';
import { PropsValidator } from '../private/validation';

/** Properties of a `GovHybridTransitHub`. */
export interface GovHybridTransitHubProps {
  /**
   * Where the transit gateway flow logs go, e.g. `ec2.FlowLogDestination.toS3(logArchiveBucket, 'tgw-flow-logs/')`
   * with the Security account's log archive bucket imported by name. The flow log is created in this (the transit
   * gateway owner's) account, as AWS requires; a bucket in another account must allow `delivery.logs.amazonaws.com`
   * to write for this account (`aws:SourceAccount`).
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-s3.html
   */
  readonly flowLogDestination: ec2.FlowLogDestination;
  /**
   * The transit gateway's `Name` tag; route tables are tagged `<name>-<segment>`.
   * @default 'gov-hybrid-tgw'
   */
  readonly transitGatewayName?: string;
  /**
   * The transit gateway's description.
   * @default - a description naming this library
   */
  readonly description?: string;
  /**
   * The Amazon side BGP ASN; a private ASN (64512-65534 or 4200000000-4294967294).
   * @default 64512
   */
  readonly amazonSideAsn?: number;
  /**
   * Equal-cost multipath over the tunnels of BGP VPNs.
   * @default true
   */
  readonly vpnEcmpSupport?: boolean;
  /**
   * Accept VPC attachments from the accounts the transit gateway is shared with without approval. Off by default
   * (AWS Security Hub control EC2.23); the spoke lookups then accept each declared spoke attachment.
   * An accepted attachment that no segment associates cannot send or receive anything, because default route table
   * association and propagation are always disabled.
   * @default false
   */
  readonly autoAcceptSharedAttachments?: boolean;
  /**
   * Account IDs to share the transit gateway with through AWS RAM (12 digits each).
   * @default - no accounts
   */
  readonly shareWithAccounts?: string[];
  /**
   * Organizational unit ARNs to share the transit gateway with, `arn:aws:organizations::<management account>:ou/o-…/ou-…`.
   * @default - no OUs
   */
  readonly shareWithOrganizationalUnitArns?: string[];
  /**
   * The organization ARN to share the transit gateway with, `arn:aws:organizations::<management account>:organization/o-…`.
   * @default - not shared with the whole organization
   */
  readonly shareWithOrganizationArn?: string;
  /**
   * The name of the AWS RAM resource share.
   * @default - `<transitGatewayName>-share`
   */
  readonly resourceShareName?: string;
  /**
   * The approved quota "Transit gateway route tables per transit gateway". More segments than this fail synthesis;
   * raise it only after Service Quotas approved the increase.
   * @default 20
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html
   */
  readonly routeTableQuota?: number;
  /**
   * The KMS key for the log groups the hub creates (VPN tunnel logs, the spoke lookups' function logs). Its key policy
   * must let CloudWatch Logs of this account and region use it.
   * @default - a key with rotation, created on first use, retained on delete
   */
  readonly logEncryptionKey?: kms.IKey;
}

/** Options for `GovHybridTransitHub.addSegment`. */
export interface SegmentOptions {
  /**
   * The route table's `Name` tag.
   * @default - `<transitGatewayName>-<segment name>`
   */
  readonly routeTableName?: string;
}

const DEFAULT_NAME = 'gov-hybrid-tgw';
const DEFAULT_QUOTA = 20;

/**
 * The Network account's Transit Gateway hub: the transit gateway, its route tables as named segments, Site-to-Site VPN
 * attachments, the AWS RAM share to the spoke accounts and the transit gateway flow log.
 *
 * Access boundaries hold by construction: default route table association and propagation are disabled, so an
 * attachment reaches nothing until a segment associates it, and a segment knows only the routes declared on it
 * (`propagateFrom`, `addStaticRoute`, `addBlackholeRoute`).
 *
 * ```ts
 * declare const hub: GovHybridTransitHub;
 * declare const userVpn: GovHybridVpnAttachment;
 * declare const prodSpoke: ITransitGatewayAttachment;
 * const users = hub.addSegment('users');
 * users.associate(userVpn);
 * users.propagateFrom(prodSpoke);
 * ```
 *
 * Synthesis fails with one error listing every problem: overlapping VPC attachment CIDRs, an on-premises address that
 * a VPC must answer lying inside that VPC (ARCHITECTURE.md correction 3), a static route to or a propagation from an
 * attachment no segment associates, a static route to addresses not behind its attachment, an attachment associated
 * twice, more segments than `routeTableQuota`,
 * malformed CIDRs, ASNs, account IDs and OU/organization ARNs.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html
 */
export class GovHybridTransitHub extends Construct {
  /** The transit gateway. */
  public readonly transitGateway: ec2.CfnTransitGateway;
  /** The transit gateway ID, `tgw-…`. */
  public readonly transitGatewayId: string;
  /** The transit gateway ARN. */
  public readonly transitGatewayArn: string;
  /** The Amazon side BGP ASN. */
  public readonly amazonSideAsn: number;
  /** Whether shared attachments are accepted automatically. */
  public readonly autoAcceptSharedAttachments: boolean;
  /** The transit gateway's `Name` tag. */
  public readonly transitGatewayName: string;
  /** The AWS RAM resource share, when principals were given. */
  public readonly resourceShare?: ram.CfnResourceShare;
  /** The transit gateway flow log. */
  public readonly flowLog: ec2.FlowLog;
  /** The approved route table quota the segments are checked against. */
  public readonly routeTableQuota: number;

  private readonly segmentList: TransitGatewaySegment[] = [];
  private readonly vpnList: GovHybridVpnAttachment[] = [];
  private readonly problems: Array<(v: PropsValidator) => void> = [];
  private logKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: GovHybridTransitHubProps) {
    super(scope, id);
    const v = new PropsValidator('GovHybridTransitHub');
    this.amazonSideAsn = props.amazonSideAsn ?? 64512;
    this.routeTableQuota = props.routeTableQuota ?? DEFAULT_QUOTA;
    v.asn('amazonSideAsn', this.amazonSideAsn, true);
    v.integerInRange('routeTableQuota', this.routeTableQuota, 1, 10000, 'a route table quota');
    const stackAccount = Stack.of(this).account;
    (props.shareWithAccounts ?? []).forEach((account, i) => {
      if (v.accountId(`shareWithAccounts[${i}]`, account) && !v.isToken(account) && !v.isToken(stackAccount) && account === stackAccount) {
        v.report(`shareWithAccounts[${i}]`, account, 'is the account that owns the transit gateway; share it only with the spoke accounts.');
      }
    });
    (props.shareWithOrganizationalUnitArns ?? []).forEach((arn, i) => {
      if (!v.isToken(arn)) {
        v.check(ORGANIZATIONAL_UNIT_ARN_PATTERN.test(arn), `shareWithOrganizationalUnitArns[${i}]`, arn,
          'is not an organizational unit ARN; write it as arn:aws:organizations::<management account>:ou/o-<org id>/ou-<ou id>.');
      }
    });
    if (props.shareWithOrganizationArn !== undefined && !v.isToken(props.shareWithOrganizationArn)) {
      v.check(ORGANIZATION_ARN_PATTERN.test(props.shareWithOrganizationArn), 'shareWithOrganizationArn', props.shareWithOrganizationArn,
        'is not an organization ARN; write it as arn:aws:organizations::<management account>:organization/o-<org id>.');
    }
    v.throwIfInvalid(this);

    this.transitGatewayName = props.transitGatewayName ?? DEFAULT_NAME;
    this.autoAcceptSharedAttachments = props.autoAcceptSharedAttachments ?? false;
    this.logKey = props.logEncryptionKey;

    this.transitGateway = new ec2.CfnTransitGateway(this, 'Resource', {
      amazonSideAsn: this.amazonSideAsn,
      autoAcceptSharedAttachments: enable(this.autoAcceptSharedAttachments),
      // Isolation by construction: nothing is associated or propagated unless a segment declares it.
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      dnsSupport: 'enable',
      vpnEcmpSupport: enable(props.vpnEcmpSupport ?? true),
      multicastSupport: 'disable',
      securityGroupReferencingSupport: 'disable',
      description: props.description ?? 'Hybrid network hub (cdk-gov-hybrid-network GovHybridTransitHub)',
      tags: [{ key: 'Name', value: this.transitGatewayName }],
    });
    this.transitGatewayId = this.transitGateway.attrId;
    this.transitGatewayArn = this.transitGateway.attrTransitGatewayArn;

    const principals = [
      ...(props.shareWithAccounts ?? []),
      ...(props.shareWithOrganizationalUnitArns ?? []),
      ...(props.shareWithOrganizationArn ? [props.shareWithOrganizationArn] : []),
    ];
    if (principals.length > 0) {
      this.resourceShare = new ram.CfnResourceShare(this, 'Share', {
        name: props.resourceShareName ?? `${this.transitGatewayName}-share`,
        resourceArns: [this.transitGatewayArn],
        principals,
        allowExternalPrincipals: false,
      });
    }

    this.flowLog = new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromTransitGatewayId(this.transitGatewayId),
      destination: props.flowLogDestination,
      // Transit gateway flow logs aggregate per minute; no traffic type applies.
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
      flowLogName: `${this.transitGatewayName}-flow-log`,
    });

    this.node.addValidation({ validate: () => this.validateRouting() });
  }

  /** The segments, in creation order. */
  public get segments(): TransitGatewaySegment[] {
    return [...this.segmentList];
  }

  /** The VPN attachments created with `addVpn`, in creation order. */
  public get vpnAttachments(): GovHybridVpnAttachment[] {
    return [...this.vpnList];
  }

  /**
   * The KMS key of the log groups the hub creates (`logEncryptionKey`, or a key created on first use).
   */
  public get logEncryptionKey(): kms.IKey {
    if (!this.logKey) {
      this.logKey = createEncryptionKey(this, 'LogKey', { description: `Encrypts the log groups of transit gateway ${this.transitGatewayName}`, allowCloudWatchLogs: true });
    }
    // A key of this app gets the CloudWatch Logs statement (once); an imported key's owner must grant it.
    allowCloudWatchLogsToUseKey(this.logKey);
    return this.logKey;
  }

  /**
   * Adds a segment: a transit gateway route table, isolated until attachments are associated with it and routes are
   * declared on it.
   *
   * @param name the segment name, unique within the hub: letters, digits, `-` and `_`, e.g. `users`
   */
  public addSegment(name: string, options: SegmentOptions = {}): TransitGatewaySegment {
    const index = this.segmentList.length;
    if (!NAME_PATTERN.test(name)) {
      this.problems.push((v) => v.report(`segments[${index}]`, name,
        'is not a usable segment name; use 1-64 letters, digits, `-` or `_`, starting with a letter or digit.'));
    }
    if (this.segmentList.some((s) => s.segmentName === name)) {
      this.problems.push((v) => v.report(`segments[${index}]`, name, 'is already a segment of this hub; give each segment its own name.'));
    }
    const base = `Segment${name.replace(/[^A-Za-z0-9]/g, '')}`;
    let id = base;
    for (let n = 2; this.node.tryFindChild(id); n++) {
      id = `${base}${n}`;
    }
    const segment = new TransitGatewaySegment(this, id, {
      transitGatewayId: this.transitGatewayId,
      segmentName: name,
      routeTableName: options.routeTableName ?? `${this.transitGatewayName}-${name}`,
    });
    this.segmentList.push(segment);
    return segment;
  }

  /**
   * The segment with the given name.
   * @returns the segment, or undefined when the hub has none by that name
   */
  public findSegment(name: string): TransitGatewaySegment | undefined {
    return this.segmentList.find((s) => s.segmentName === name);
  }

  /**
   * Adds a Site-to-Site VPN attachment (customer gateway and VPN connection with `TransitGatewayId`), static routing by
   * default, tunnel logs encrypted with the hub's log key. Associate it with a segment and route to it with the
   * segments' methods.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpn-attachments.html
   */
  public addVpn(id: string, options: GovHybridVpnOptions): GovHybridVpnAttachment {
    if ((options.routing ?? VpnRouting.STATIC) === VpnRouting.BGP && (options.customerGatewayAsn ?? 65000) === this.amazonSideAsn) {
      const index = this.vpnList.length;
      this.problems.push((v) => v.report(`vpns[${index}].customerGatewayAsn`, options.customerGatewayAsn ?? 65000,
        "equals the transit gateway's Amazon side ASN; a BGP VPN needs different ASNs on each side, change `customerGatewayAsn` or `amazonSideAsn`."));
    }
    const vpn = new GovHybridVpnAttachment(this, id, {
      ...options,
      transitGatewayId: this.transitGatewayId,
      logEncryptionKey: this.logEncryptionKey,
    });
    this.vpnList.push(vpn);
    return vpn;
  }

  /**
   * Finds a spoke's VPC attachment at deployment (see `SpokeAttachmentLookup`), in `scope`, which is normally a stack
   * of this account deployed after the spoke stacks. Acceptance follows the hub: when shared attachments are not
   * auto-accepted, the lookup accepts this declared attachment.
   */
  public lookupSpokeAttachment(scope: Construct, id: string, options: SpokeAttachmentLookupOptions): SpokeAttachmentLookup {
    return new SpokeAttachmentLookup(scope, id, {
      ...options,
      acceptAttachment: options.acceptAttachment ?? !this.autoAcceptSharedAttachments,
      transitGatewayId: this.transitGatewayId,
      logEncryptionKey: this.logEncryptionKey,
    });
  }

  private validateRouting(): string[] {
    const v = new PropsValidator('GovHybridTransitHub');
    this.problems.forEach((report) => report(v));
    validateRouting(v, this, this.segmentList);
    try {
      v.throwIfInvalid(this);
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  }
}

function enable(value: boolean): string {
  return value ? 'enable' : 'disable';
}
