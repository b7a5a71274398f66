import { Construct, IConstruct } from 'constructs';

/**
 * What is on the other side of a transit gateway attachment. The hub uses it to choose checks: the CIDRs of VPC
 * attachments must not overlap each other, and a VPC attachment is the one whose `local` route limits which
 * on-premises addresses it can answer (ARCHITECTURE.md correction 3).
 */
export enum TransitGatewayAttachmentType {
  /** A VPC attachment; its CIDRs are the VPC's CIDR blocks. */
  VPC = 'VPC',
  /** A Site-to-Site VPN attachment; its CIDRs are the on-premises networks behind the customer gateway. */
  VPN = 'VPN',
  /** Any other attachment (Direct Connect gateway, peering, Connect). */
  OTHER = 'OTHER',
}

/**
 * A transit gateway attachment that segments of a `GovHybridTransitHub` can associate, propagate and route to.
 *
 * Implemented by the VPN attachments the hub creates (`hub.addVpn`), by spoke attachments looked up across accounts
 * (`hub.lookupSpokeAttachment`) and by existing attachments imported with `TransitGatewayAttachment.fromVpcAttachmentId`
 * (for example the Network VPC attachment of the ops-access construct).
 */
export interface ITransitGatewayAttachment extends IConstruct {
  /** The attachment ID, `tgw-attach-…`; usually a token resolved at deployment. */
  readonly attachmentId: string;
  /**
   * A short name, unique within the hub, used in construct IDs and in error messages, e.g. `prod` or `dc-vpn`.
   */
  readonly attachmentName: string;
  /**
   * The IPv4 CIDRs reachable through the attachment: a VPC's CIDR blocks, or the on-premises networks behind a VPN.
   * The hub checks static routes against them and turns them into static routes when a statically routed attachment
   * is "propagated" into a segment.
   */
  readonly cidrs: string[];
  /**
   * True when the attachment advertises its routes to route tables it propagates into (VPC attachments and BGP VPNs);
   * false for a statically routed VPN, which advertises nothing, so `propagateFrom` adds static routes for `cidrs`.
   */
  readonly propagatesRoutes: boolean;
  /** What is on the other side of the attachment. */
  readonly attachmentType: TransitGatewayAttachmentType;
}

/** An existing VPC attachment to import, e.g. the Network VPC attachment created by another construct. */
export interface VpcAttachmentReference {
  /** The attachment ID, `tgw-attach-…` (a token from the construct that created it is fine). */
  readonly attachmentId: string;
  /** A short name, unique within the hub, e.g. `network-vpc`. Letters, digits, `-` and `_`. */
  readonly name: string;
  /** The VPC's IPv4 CIDR blocks in CIDR notation, e.g. `['192.168.0.0/16']`. */
  readonly cidrs: string[];
}

/** Any existing attachment to import, with its routing behaviour spelled out. */
export interface TransitGatewayAttachmentAttributes extends VpcAttachmentReference {
  /** True when the attachment advertises its routes (VPC, BGP VPN, Direct Connect gateway); false for a static VPN. */
  readonly propagatesRoutes: boolean;
  /** What is on the other side of the attachment. */
  readonly attachmentType: TransitGatewayAttachmentType;
}

/** Factories for attachments created outside this library's hub. */
export abstract class TransitGatewayAttachment {
  /**
   * Imports an existing VPC attachment by ID, e.g. the Network VPC attachment that the ops-access construct creates in
   * the Network account. The returned construct lives in `scope`'s stack; routing resources that need it (associations,
   * propagations, static routes) are created in that stack when it differs from the hub's.
   */
  public static fromVpcAttachmentId(scope: Construct, id: string, reference: VpcAttachmentReference): ITransitGatewayAttachment {
    return new ImportedAttachment(scope, id, {
      ...reference,
      propagatesRoutes: true,
      attachmentType: TransitGatewayAttachmentType.VPC,
    });
  }

  /**
   * Imports any existing attachment (for example a Direct Connect gateway attachment) with its routing behaviour.
   */
  public static fromAttachmentAttributes(scope: Construct, id: string, attributes: TransitGatewayAttachmentAttributes): ITransitGatewayAttachment {
    return new ImportedAttachment(scope, id, attributes);
  }

  private constructor() {}
}

class ImportedAttachment extends Construct implements ITransitGatewayAttachment {
  public readonly attachmentId: string;
  public readonly attachmentName: string;
  public readonly cidrs: string[];
  public readonly propagatesRoutes: boolean;
  public readonly attachmentType: TransitGatewayAttachmentType;

  constructor(scope: Construct, id: string, attributes: TransitGatewayAttachmentAttributes) {
    super(scope, id);
    this.attachmentId = attributes.attachmentId;
    this.attachmentName = attributes.name;
    this.cidrs = [...attributes.cidrs];
    this.propagatesRoutes = attributes.propagatesRoutes;
    this.attachmentType = attributes.attachmentType;
  }
}
