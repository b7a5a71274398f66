import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ITransitGatewayAttachment } from './attachment';
import { cidrIdPart, findOrCreate, freeId, idPart } from './private/ids';
import { DeclaredRoute } from './private/records';
import { PropsValidator } from '../private/validation';

/** Properties of a `TransitGatewaySegment`; use `GovHybridTransitHub.addSegment` rather than building one. */
export interface TransitGatewaySegmentProps {
  /** The transit gateway that owns the route table. */
  readonly transitGatewayId: string;
  /** The segment name, e.g. `users`; letters, digits, `-` and `_`. */
  readonly segmentName: string;
  /**
   * The route table's `Name` tag.
   * @default - the segment name
   */
  readonly routeTableName?: string;
}

/** How a destination of a segment's route table is reached. */
export enum SegmentRouteKind {
  /** A static route added with `addStaticRoute`. */
  STATIC = 'STATIC',
  /** A static route that `propagateFrom` added for a CIDR behind a statically routed VPN. */
  STATIC_FROM_PROPAGATION = 'STATIC_FROM_PROPAGATION',
  /** A blackhole route added with `addBlackholeRoute`: traffic to the destination is dropped. */
  BLACKHOLE = 'BLACKHOLE',
}

/** One static or blackhole route declared on a segment (propagated routes are learned by AWS and not listed). */
export interface SegmentRoute {
  /** The destination in CIDR notation. */
  readonly destinationCidr: string;
  /** Where the route comes from. */
  readonly kind: SegmentRouteKind;
  /**
   * The attachment traffic is sent to.
   * @default - none: a blackhole route
   */
  readonly attachment?: ITransitGatewayAttachment;
}

/**
 * One segment of the hub: a transit gateway route table with the attachments associated with it (whose traffic it
 * routes), the attachments propagated into it (whose CIDRs it learns), and its static and blackhole routes.
 *
 * Segments are isolated by default: a route table knows only what is declared on it. Create segments with
 * `GovHybridTransitHub.addSegment`.
 *
 * Routing resources for an attachment that lives in another stack of the same account and region (for example spoke
 * attachments looked up in the Network account's post-spoke "routing" stack) are created in that attachment's stack,
 * so the stack that depends on the hub owns them and CDK exports the route table ID from the hub's stack.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
 */
export class TransitGatewaySegment extends Construct {
  /** The segment name, e.g. `users`. */
  public readonly segmentName: string;
  /** The transit gateway route table. */
  public readonly routeTable: ec2.CfnTransitGatewayRouteTable;
  /** The route table ID, `tgw-rtb-…`. */
  public readonly routeTableId: string;

  private readonly associations: ITransitGatewayAttachment[] = [];
  private readonly propagations: ITransitGatewayAttachment[] = [];
  private readonly declaredRoutes: DeclaredRoute[] = [];
  private readonly problems: Array<(v: PropsValidator) => void> = [];

  constructor(scope: Construct, id: string, props: TransitGatewaySegmentProps) {
    super(scope, id);
    this.segmentName = props.segmentName;
    this.routeTable = new ec2.CfnTransitGatewayRouteTable(this, 'Resource', {
      transitGatewayId: props.transitGatewayId,
      tags: [{ key: 'Name', value: props.routeTableName ?? props.segmentName }],
    });
    this.routeTableId = this.routeTable.ref;
  }

  /** The attachments associated with this segment, in declaration order. */
  public get associatedAttachments(): ITransitGatewayAttachment[] {
    return [...this.associations];
  }

  /** The attachments propagated into this segment (dynamically or as static routes), in declaration order. */
  public get propagatedAttachments(): ITransitGatewayAttachment[] {
    return [...this.propagations];
  }

  /** The static and blackhole routes declared on this segment, including those `propagateFrom` adds for static VPNs. */
  public get routes(): SegmentRoute[] {
    return this.declaredRoutes.map((r) => ({ destinationCidr: r.destinationCidr, kind: r.kind, attachment: r.attachment }));
  }

  /**
   * Associates an attachment with this segment: traffic arriving from the attachment is routed by this segment's route
   * table. An attachment can be associated with exactly one route table; associating it twice fails at synthesis.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html#associate-tgw-route-table
   */
  public associate(attachment: ITransitGatewayAttachment): void {
    const index = this.associations.length;
    this.associations.push(attachment);
    const scope = this.scopeFor(attachment);
    new ec2.CfnTransitGatewayRouteTableAssociation(scope, freeId(scope, `Associate${idPart(attachment.attachmentName, index)}`), {
      transitGatewayRouteTableId: this.routeTableId,
      transitGatewayAttachmentId: attachment.attachmentId,
    });
  }

  /**
   * Makes the CIDRs behind an attachment reachable from this segment.
   *
   * - An attachment that advertises routes (a VPC, a BGP VPN) gets a route table propagation: the segment learns its
   *   CIDRs from AWS and follows changes.
   * - A statically routed VPN advertises nothing, so a propagation would add no route. Instead this method adds one
   *   static route per CIDR declared behind the VPN (`onPremisesCidrs`). This keeps the segment code reading like the
   *   design table ("user VPN propagated") and stays correct if the VPN later moves to BGP; the routes are listed in
   *   `routes` with kind `STATIC_FROM_PROPAGATION`.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html#enable-tgw-route-propagation
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpn-attachments.html
   */
  public propagateFrom(attachment: ITransitGatewayAttachment): void {
    const index = this.propagations.length;
    this.propagations.push(attachment);
    if (attachment.propagatesRoutes) {
      const scope = this.scopeFor(attachment);
      new ec2.CfnTransitGatewayRouteTablePropagation(scope, freeId(scope, `Propagate${idPart(attachment.attachmentName, index)}`), {
        transitGatewayRouteTableId: this.routeTableId,
        transitGatewayAttachmentId: attachment.attachmentId,
      });
      return;
    }
    attachment.cidrs.forEach((cidr, i) => {
      this.declareRoute(`segments[${this.segmentName}].propagateFrom(${attachment.attachmentName}).cidrs[${i}]`, cidr,
        SegmentRouteKind.STATIC_FROM_PROPAGATION, attachment);
    });
  }

  /**
   * Adds a static route: traffic from this segment to `destinationCidr` goes to `attachment`. The destination must lie
   * inside a CIDR declared behind the attachment, and the attachment must be associated with a segment of the same hub
   * (otherwise it has no route table for its replies); both are checked at synthesis.
   *
   * @param destinationCidr the destination in CIDR notation, e.g. `10.0.20.0/26` (a host is `/32`)
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html#tgw-create-static-route
   */
  public addStaticRoute(destinationCidr: string, attachment: ITransitGatewayAttachment): void {
    const index = this.declaredRoutes.filter((r) => r.kind === SegmentRouteKind.STATIC).length;
    this.declareRoute(`segments[${this.segmentName}].staticRoutes[${index}]`, destinationCidr, SegmentRouteKind.STATIC, attachment);
  }

  /**
   * Adds a blackhole route: traffic from this segment to `destinationCidr` is dropped, even if a less specific route
   * (static or propagated) would deliver it. Seed 001's scale design uses these between environments, e.g. no
   * production segment may reach the development CIDRs.
   *
   * @param destinationCidr the destination in CIDR notation, e.g. `10.0.0.0/20`
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html#tgw-create-static-route
   */
  public addBlackholeRoute(destinationCidr: string): void {
    const index = this.declaredRoutes.filter((r) => r.kind === SegmentRouteKind.BLACKHOLE).length;
    this.declareRoute(`segments[${this.segmentName}].blackholeRoutes[${index}]`, destinationCidr, SegmentRouteKind.BLACKHOLE, undefined);
  }

  /** @internal Routes declared so far, with their prop paths, for the hub's validation. */
  public _declaredRoutes(): readonly DeclaredRoute[] {
    return this.declaredRoutes;
  }

  /** @internal Records the problems found when methods were called. */
  public _reportProblems(v: PropsValidator): void {
    this.problems.forEach((report) => report(v));
  }

  private declareRoute(prop: string, destinationCidr: string, kind: SegmentRouteKind, attachment: ITransitGatewayAttachment | undefined): void {
    const check = new PropsValidator('TransitGatewaySegment');
    const cidr = check.cidr(prop, destinationCidr);
    if (!check.ok) {
      // Invalid input is reported with every other problem at synthesis; no resource is created for it.
      this.problems.push((v) => check.messages.forEach((m) => v.reportText(m)));
      return;
    }
    this.declaredRoutes.push({ prop, destinationCidr, kind, attachment, cidr });
    const prefix = kind === SegmentRouteKind.BLACKHOLE ? 'Blackhole' : 'Route';
    const scope = this.scopeFor(attachment);
    new ec2.CfnTransitGatewayRoute(scope, freeId(scope, `${prefix}${cidrIdPart(destinationCidr, this.declaredRoutes.length)}`), {
      transitGatewayRouteTableId: this.routeTableId,
      destinationCidrBlock: destinationCidr,
      ...(attachment ? { transitGatewayAttachmentId: attachment.attachmentId } : { blackhole: true }),
    });
  }

  /**
   * Where the routing resources for `attachment` go: under this segment when the attachment is in the same stack,
   * otherwise in the attachment's stack (the one that depends on the hub), under one construct per segment.
   */
  private scopeFor(attachment: ITransitGatewayAttachment | undefined): Construct {
    if (!attachment) {
      return this;
    }
    const stack = Stack.of(attachment);
    if (stack === Stack.of(this)) {
      return this;
    }
    const hubId = this.node.scope?.node.id ?? 'Hub';
    const container = findOrCreate(stack, `${hubId}Routing`);
    return findOrCreate(container, this.node.id);
  }
}
