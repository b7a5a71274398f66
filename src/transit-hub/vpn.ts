import { CustomResource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ITransitGatewayAttachment, TransitGatewayAttachmentType } from './attachment';
import { AttachmentResolver } from './private/resolver';
import { NAME_PATTERN } from './private/routing-validation';
import { Ipv4Cidr } from '../private/cidr';
import { createEncryptedLogGroup, createEncryptionKey, logGroupArnWithoutWildcard } from '../private/encrypted-log-group';
import { acknowledgeNag } from '../private/nag';
import { PropsValidator } from '../private/validation';

/** How the transit gateway learns the on-premises networks behind a VPN. */
export enum VpnRouting {
  /**
   * Static routing (`StaticRoutesOnly`): the device advertises nothing; the hub adds static routes for the CIDRs
   * declared behind the VPN. The seed's design asks for this.
   */
  STATIC = 'STATIC',
  /** BGP: the device advertises its networks and the segments learn them by propagation. */
  BGP = 'BGP',
}

/** Options for a Site-to-Site VPN attachment of the hub (`GovHybridTransitHub.addVpn`). */
export interface GovHybridVpnOptions {
  /** A short name, unique within the hub, e.g. `user-vpn`; used in tags and error messages. */
  readonly name: string;
  /**
   * The public IPv4 address of the on-premises VPN device (the customer gateway), e.g. `203.0.113.10`.
   */
  readonly customerGatewayAddress: string;
  /**
   * The BGP ASN of the on-premises device, 1-4294967294. Required by AWS even for static routing. AWS reserves 7224
   * in every Region, 9059 in eu-west-1, 10124 in ap-northeast-1 and 17943 in ap-southeast-1: those are refused.
   * @default 65000
   * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html
   */
  readonly customerGatewayAsn?: number;
  /**
   * The on-premises IPv4 networks behind the device, in CIDR notation, e.g. `['172.16.0.0/16']`. Static routes that
   * point at this VPN must lie inside one of them; `propagateFrom` turns them into static routes for a static VPN.
   */
  readonly onPremisesCidrs: string[];
  /**
   * Static routing or BGP.
   * @default VpnRouting.STATIC
   */
  readonly routing?: VpnRouting;
  /**
   * The inside CIDRs of the two tunnels, each a `/30` from `169.254.0.0/16` outside the ranges AWS reserves.
   * @default - AWS chooses them
   * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html
   */
  readonly tunnelInsideCidrs?: string[];
  /**
   * Accelerated VPN through AWS Global Accelerator (transit gateway VPNs only; extra cost).
   * @default false
   */
  readonly enableAcceleration?: boolean;
  /**
   * The CloudWatch Logs log group for tunnel (IKE/IPsec, and BGP for BGP VPNs) logs.
   * @default - a log group encrypted with the hub's log key, retained on delete
   */
  readonly tunnelLogGroup?: logs.ILogGroup;
  /**
   * Retention of the log group this construct creates.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly tunnelLogRetention?: logs.RetentionDays;
}

/** Properties of a `GovHybridVpnAttachment`. */
export interface GovHybridVpnAttachmentProps extends GovHybridVpnOptions {
  /** The transit gateway to attach to (`tgw-…`). */
  readonly transitGatewayId: string;
  /**
   * The KMS key for the tunnel log group this construct creates and for the lookup function's log group; the key
   * policy must let CloudWatch Logs of this account and region use it.
   * @default - a new key with rotation, retained on delete
   */
  readonly logEncryptionKey?: kms.IKey;
}

/** AWS's reserved tunnel inside CIDRs, which a VPN cannot use. */
const RESERVED_INSIDE_CIDRS = ['169.254.0.0/30', '169.254.1.0/30', '169.254.2.0/30', '169.254.3.0/30', '169.254.4.0/30',
  '169.254.5.0/30', '169.254.169.252/30'].map((c) => Ipv4Cidr.parse(c));

/** Ranges that are not reachable over the internet and so cannot be a customer gateway's public address. */
const NON_PUBLIC = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.168.0.0/16', '224.0.0.0/4', '240.0.0.0/4'].map((c) => Ipv4Cidr.parse(c));


/**
 * A Site-to-Site VPN attached to the transit gateway: a customer gateway (the on-premises device's public IPv4 address
 * and BGP ASN, type `ipsec.1`) and a VPN connection with `TransitGatewayId`.
 *
 * ARCHITECTURE.md correction 1: a virtual private gateway cannot attach to a transit gateway, so the seed's `att-vgw`
 * is this VPN attachment on the transit gateway, created in the Network account (a VPN attachment must be created in
 * the account that owns the transit gateway).
 *
 * ARCHITECTURE.md correction 2: CloudFormation does not return a VPN connection's transit gateway attachment ID, so it
 * is looked up at deployment by a custom resource calling EC2 `DescribeTransitGatewayAttachments` filtered by the VPN
 * connection ID (`resource-id`), the transit gateway ID and `resource-type` `vpn` (as AWS's Landing Zone Accelerator
 * does), waiting until the attachment is `available`. The lookup runs in the stack's transit hub resolver function;
 * `DescribeTransitGatewayAttachments` supports no resource-level permissions, so its statement is that action on `*`.
 *
 * Both tunnels use IKEv2 only, AES-256 (GCM or CBC), SHA2-256/384/512 and Diffie-Hellman groups 14, 19, 20, 21, and
 * send their logs to CloudWatch Logs. Static routing (`StaticRoutesOnly`) is the default.
 *
 * Changing the routing, the tunnel inside CIDRs, acceleration or the tunnel log group later makes CloudFormation
 * replace the VPN connection (these properties are "Update requires: Replacement"): the new connection has new
 * outside IP addresses and pre-shared keys, so the customer gateway device must be reconfigured, and the attachment
 * ID changes (the lookup follows it). Plan these choices before the first deployment.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpnconnection.html
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpn-attachments.html
 * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html
 * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-logs.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGatewayAttachments.html
 */
export class GovHybridVpnAttachment extends Construct implements ITransitGatewayAttachment {
  /** The transit gateway attachment ID, `tgw-attach-…`, resolved at deployment by the lookup. */
  public readonly attachmentId: string;
  public readonly attachmentName: string;
  /** The on-premises CIDRs behind the VPN. */
  public readonly cidrs: string[];
  /** True for a BGP VPN; false for static routing. */
  public readonly propagatesRoutes: boolean;
  public readonly attachmentType: TransitGatewayAttachmentType = TransitGatewayAttachmentType.VPN;
  /** The customer gateway. */
  public readonly customerGateway: ec2.CfnCustomerGateway;
  /** The VPN connection. */
  public readonly vpnConnection: ec2.CfnVPNConnection;
  /** The VPN connection ID, `vpn-…`. */
  public readonly vpnConnectionId: string;
  /** The log group receiving the tunnel logs. */
  public readonly tunnelLogGroup: logs.ILogGroup;
  /** The deploy-time lookup of the attachment ID (correction 2). */
  public readonly attachmentLookup: CustomResource;

  constructor(scope: Construct, id: string, props: GovHybridVpnAttachmentProps) {
    super(scope, id);
    validateVpnOptions(this, props);

    const routing = props.routing ?? VpnRouting.STATIC;
    const asn = props.customerGatewayAsn ?? 65000;
    this.attachmentName = props.name;
    this.cidrs = [...props.onPremisesCidrs];
    this.propagatesRoutes = routing === VpnRouting.BGP;

    this.customerGateway = new ec2.CfnCustomerGateway(this, 'CustomerGateway', {
      type: 'ipsec.1',
      ipAddress: props.customerGatewayAddress,
      // BgpAsn accepts 1-2147483647; larger 4-byte ASNs go in BgpAsnExtended.
      ...(asn > 2147483647 ? { bgpAsnExtended: asn } : { bgpAsn: asn }),
      tags: [{ key: 'Name', value: props.name }],
    });

    const key = props.logEncryptionKey
      ?? (props.tunnelLogGroup ? undefined : createEncryptionKey(this, 'LogKey', { description: `Encrypts the tunnel logs of VPN ${props.name}`, allowCloudWatchLogs: true }));
    if (props.tunnelLogGroup) {
      this.tunnelLogGroup = props.tunnelLogGroup;
    } else {
      this.tunnelLogGroup = createEncryptedLogGroup(this, 'TunnelLogs', {
        encryptionKey: key!,
        retention: props.tunnelLogRetention ?? logs.RetentionDays.ONE_YEAR,
      });
    }

    const logGroupArn = logGroupArnWithoutWildcard(this.tunnelLogGroup);
    const logOptions: ec2.CfnVPNConnection.CloudwatchLogOptionsSpecificationProperty = {
      logEnabled: true,
      logGroupArn,
      logOutputFormat: 'json',
      ...(routing === VpnRouting.BGP ? { bgpLogEnabled: true, bgpLogGroupArn: logGroupArn, bgpLogOutputFormat: 'json' } : {}),
    };
    const tunnel = (insideCidr?: string): ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty => ({
      ikeVersions: [{ value: 'ikev2' }],
      phase1EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
      phase2EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
      phase1IntegrityAlgorithms: [{ value: 'SHA2-256' }, { value: 'SHA2-384' }, { value: 'SHA2-512' }],
      phase2IntegrityAlgorithms: [{ value: 'SHA2-256' }, { value: 'SHA2-384' }, { value: 'SHA2-512' }],
      phase1DhGroupNumbers: [14, 19, 20, 21].map((value) => ({ value })),
      phase2DhGroupNumbers: [14, 19, 20, 21].map((value) => ({ value })),
      logOptions: { cloudwatchLogOptions: logOptions },
      ...(insideCidr ? { tunnelInsideCidr: insideCidr } : {}),
    });

    this.vpnConnection = new ec2.CfnVPNConnection(this, 'Resource', {
      type: 'ipsec.1',
      customerGatewayId: this.customerGateway.attrCustomerGatewayId,
      transitGatewayId: props.transitGatewayId,
      staticRoutesOnly: routing === VpnRouting.STATIC,
      enableAcceleration: props.enableAcceleration ?? false,
      vpnTunnelOptionsSpecifications: [tunnel(props.tunnelInsideCidrs?.[0]), tunnel(props.tunnelInsideCidrs?.[1])],
      tags: [{ key: 'Name', value: props.name }],
    });
    this.vpnConnectionId = this.vpnConnection.attrVpnConnectionId;

    const resolver = AttachmentResolver.of(this, key);
    resolver.grant(new iam.PolicyStatement({
      actions: ['ec2:DescribeTransitGatewayAttachments'],
      // EC2 Describe actions support no resource-level permissions.
      resources: ['*'],
    }));
    acknowledgeNag(resolver.policy, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'The VPN attachment lookup calls ec2:DescribeTransitGatewayAttachments, an EC2 Describe action that supports no resource-level permissions, so its Resource must be *.',
    });
    this.attachmentLookup = resolver.resolve(this, 'AttachmentLookup', 'Custom::TransitGatewayVpnAttachment', {
      Operation: 'VpnAttachment',
      Name: props.name,
      VpnConnectionId: this.vpnConnectionId,
      TransitGatewayId: props.transitGatewayId,
    });
    this.attachmentId = this.attachmentLookup.getAttString('Id');
  }
}

/** Customer gateway ASNs AWS reserves: in every Region (`*`) or in one Region. */
const RESERVED_CUSTOMER_GATEWAY_ASNS: { readonly [asn: number]: string } = {
  7224: '*',
  9059: 'eu-west-1',
  10124: 'ap-northeast-1',
  17943: 'ap-southeast-1',
};

function validateVpnOptions(scope: Construct, props: GovHybridVpnAttachmentProps): void {
  const v = new PropsValidator('GovHybridVpnAttachment');
  if (!v.isToken(props.name)) {
    v.check(NAME_PATTERN.test(props.name), 'name', props.name,
      'is not a usable attachment name; use 1-64 letters, digits, `-` or `_`, starting with a letter or digit.');
  }
  if (!v.isToken(props.customerGatewayAddress)) {
    if (props.customerGatewayAddress === undefined || props.customerGatewayAddress.trim() === '') {
      v.report('customerGatewayAddress', props.customerGatewayAddress ?? '',
        'is empty; give the public IPv4 address of the on-premises VPN device (the customer gateway), e.g. 203.0.113.10.');
    } else {
      const address = v.ipv4('customerGatewayAddress', props.customerGatewayAddress);
      if (address && NON_PUBLIC.some((range) => range.contains(address))) {
        v.report('customerGatewayAddress', props.customerGatewayAddress,
          'is not a public IPv4 address; a Site-to-Site VPN over the internet terminates on the public address of the on-premises device.');
      }
    }
  }
  if (props.customerGatewayAsn !== undefined && v.asn('customerGatewayAsn', props.customerGatewayAsn, false) && !v.isToken(props.customerGatewayAsn)) {
    const region = Stack.of(scope).region;
    const reservedIn = RESERVED_CUSTOMER_GATEWAY_ASNS[props.customerGatewayAsn];
    if (reservedIn === '*' || (reservedIn !== undefined && !Token.isUnresolved(region) && reservedIn === region)) {
      v.report('customerGatewayAsn', props.customerGatewayAsn,
        `is reserved by AWS ${reservedIn === '*' ? 'in every Region' : `in ${reservedIn}`}; use the device's own public ASN or a private ` +
        'ASN (64512-65534 or 4200000000-4294967294) (https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html).');
    }
  }
  if (v.nonEmpty('onPremisesCidrs', props.onPremisesCidrs,
    'give the on-premises CIDRs behind the VPN device, e.g. 172.16.0.0/16; static routes to this VPN must lie inside them.')) {
    const seen: Ipv4Cidr[] = [];
    props.onPremisesCidrs.forEach((text, i) => {
      const cidr = v.cidr(`onPremisesCidrs[${i}]`, text);
      if (cidr && seen.some((s) => s.equals(cidr))) {
        v.report(`onPremisesCidrs[${i}]`, text, 'is listed twice; give each on-premises CIDR once.');
      }
      if (cidr) {
        seen.push(cidr);
      }
    });
  }
  if (props.tunnelInsideCidrs !== undefined) {
    v.check(props.tunnelInsideCidrs.length === 2, 'tunnelInsideCidrs', props.tunnelInsideCidrs,
      `has ${props.tunnelInsideCidrs.length} CIDRs; a VPN connection has two tunnels, give exactly two /30 CIDRs.`);
    const linkLocal = Ipv4Cidr.parse('169.254.0.0/16');
    const seen: Ipv4Cidr[] = [];
    props.tunnelInsideCidrs.forEach((text, i) => {
      const prop = `tunnelInsideCidrs[${i}]`;
      const cidr = v.cidr(prop, text);
      if (!cidr) {
        return;
      }
      if (cidr.prefixLength !== 30 || !linkLocal.contains(cidr)) {
        v.report(prop, text, 'is not a /30 inside 169.254.0.0/16; tunnel inside CIDRs are /30 link-local blocks.');
      } else if (RESERVED_INSIDE_CIDRS.some((r) => r.equals(cidr))) {
        v.report(prop, text, 'is reserved by AWS; choose another /30 in 169.254.0.0/16 (169.254.0.0/30-169.254.5.0/30 and 169.254.169.252/30 are reserved).');
      }
      if (seen.some((s) => s.equals(cidr))) {
        v.report(prop, text, 'is used by both tunnels; give each tunnel its own /30.');
      }
      seen.push(cidr);
    });
  }
  v.throwIfInvalid(scope);
}
