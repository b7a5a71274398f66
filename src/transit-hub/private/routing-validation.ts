import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Ipv4Cidr } from '../../private/cidr';
import { checkReturnAddressesOutsideVpc } from '../../private/routing';
import { PropsValidator } from '../../private/validation';
import { ITransitGatewayAttachment, TransitGatewayAttachmentType } from '../attachment';
import { SegmentRouteKind, TransitGatewaySegment } from '../segment';

const QUOTA_DOC = 'https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html';
/** Names of segments and attachments: they become route table and attachment Name tags and construct IDs. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

interface KnownAttachment {
  readonly attachment: ITransitGatewayAttachment;
  readonly cidrs: Ipv4Cidr[];
  readonly associatedWith: TransitGatewaySegment[];
}

/**
 * The whole-tree checks of a hub, run at synthesis after every segment method was called. Problems are recorded on
 * `v` with the prop paths users wrote (`segments[dc].staticRoutes[0]`, `attachments[prod].cidrs[0]`).
 */
export function validateRouting(v: PropsValidator, hub: Construct & { readonly routeTableQuota: number },
  segments: readonly TransitGatewaySegment[]): void {
  if (segments.length > hub.routeTableQuota) {
    v.report('segments', segments.length,
      `route tables exceed the quota of ${hub.routeTableQuota} transit gateway route tables per transit gateway (${QUOTA_DOC}). ` +
      'Request an increase of "Transit gateway route tables per transit gateway" in Service Quotas and set `routeTableQuota` ' +
      'to the approved value, or use fewer segments.');
  }
  segments.forEach((segment) => segment._reportProblems(v));

  const known = collectAttachments(v, hub, segments);
  checkAssociations(v, known);
  checkVpcOverlaps(v, known);
  segments.forEach((segment) => checkSegment(v, segment, known));
}

function collectAttachments(v: PropsValidator, hub: Construct,
  segments: readonly TransitGatewaySegment[]): Map<ITransitGatewayAttachment, KnownAttachment> {
  const known = new Map<ITransitGatewayAttachment, KnownAttachment>();
  const add = (attachment: ITransitGatewayAttachment, associatedWith?: TransitGatewaySegment) => {
    let entry = known.get(attachment);
    if (!entry) {
      entry = { attachment, cidrs: parseCidrs(v, attachment), associatedWith: [] };
      known.set(attachment, entry);
    }
    if (associatedWith) {
      (entry.associatedWith as TransitGatewaySegment[]).push(associatedWith);
    }
  };
  for (const segment of segments) {
    segment.associatedAttachments.forEach((a) => add(a, segment));
    segment.propagatedAttachments.forEach((a) => add(a));
    segment._declaredRoutes().forEach((r) => r.attachment && add(r.attachment));
  }

  const hubStack = Stack.of(hub);
  const byName = new Map<string, ITransitGatewayAttachment>();
  for (const { attachment } of known.values()) {
    const name = attachment.attachmentName;
    const prop = `attachments[${name}]`;
    if (!Token.isUnresolved(name)) {
      v.check(NAME_PATTERN.test(name), `${prop}.name`, name,
        'is not a usable attachment name; use 1-64 letters, digits, `-` or `_`, starting with a letter or digit.');
      const other = byName.get(name);
      if (other) {
        v.report(`${prop}.name`, name, `names two attachments (${other.node.path} and ${attachment.node.path}); give each attachment its own name.`);
      }
      byName.set(name, attachment);
    }
    const stack = Stack.of(attachment);
    if (differs(stack.account, hubStack.account) || differs(stack.region, hubStack.region)) {
      v.report(prop, `${stack.account}/${stack.region}`,
        `is in another account or region than the transit gateway (${hubStack.account}/${hubStack.region}); only the transit ` +
        'gateway owner can associate, propagate and route attachments. In the Network account, use hub.lookupSpokeAttachment ' +
        'for a spoke created by GovHybridSpokeAttachment in its own account.');
    }
  }
  return known;
}

function parseCidrs(v: PropsValidator, attachment: ITransitGatewayAttachment): Ipv4Cidr[] {
  const prop = `attachments[${attachment.attachmentName}].cidrs`;
  if (!Token.isUnresolved(attachment.cidrs) && attachment.cidrs.length === 0) {
    v.report(prop, [], 'is empty; declare the CIDRs behind the attachment (a VPC CIDR, or the on-premises networks behind a VPN).');
    return [];
  }
  return attachment.cidrs.map((c, i) => v.cidr(`${prop}[${i}]`, c)).filter((c): c is Ipv4Cidr => c !== undefined);
}

function checkAssociations(v: PropsValidator, known: Map<ITransitGatewayAttachment, KnownAttachment>): void {
  for (const entry of known.values()) {
    const segments = [...new Set(entry.associatedWith)];
    if (segments.length > 1) {
      v.report(`attachments[${entry.attachment.attachmentName}]`, segments.map((s) => s.segmentName),
        'is associated with more than one segment; an attachment is associated with exactly one route table. Associate it ' +
        'once, and use propagateFrom or addStaticRoute to make it reachable from the other segments.');
    }
  }
}

function checkVpcOverlaps(v: PropsValidator, known: Map<ITransitGatewayAttachment, KnownAttachment>): void {
  const vpcs = [...known.values()].filter((e) => e.attachment.attachmentType === TransitGatewayAttachmentType.VPC);
  for (let i = 0; i < vpcs.length; i++) {
    for (let j = i + 1; j < vpcs.length; j++) {
      for (const a of vpcs[i].cidrs) {
        for (const b of vpcs[j].cidrs) {
          if (a.overlaps(b)) {
            v.report(`attachments[${vpcs[j].attachment.attachmentName}].cidrs`, b.toString(),
              `overlaps ${a.toString()} of attachment ${vpcs[i].attachment.attachmentName}; VPCs attached to one transit gateway ` +
              'need distinct CIDRs, or routes to them are ambiguous. Give each spoke its own range from the address plan.');
          }
        }
      }
    }
  }
}

function checkSegment(v: PropsValidator, segment: TransitGatewaySegment, known: Map<ITransitGatewayAttachment, KnownAttachment>): void {
  const segProp = `segments[${segment.segmentName}]`;
  const seenAssociations = new Set<ITransitGatewayAttachment>();
  segment.associatedAttachments.forEach((a) => {
    if (seenAssociations.has(a)) {
      v.report(`${segProp}.associate`, a.attachmentName, 'is associated with this segment twice; associate it once.');
    }
    seenAssociations.add(a);
  });
  const seenPropagations = new Set<ITransitGatewayAttachment>();
  segment.propagatedAttachments.forEach((a) => {
    if (seenPropagations.has(a)) {
      v.report(`${segProp}.propagateFrom`, a.attachmentName, 'is propagated into this segment twice; propagate it once.');
    } else if (known.get(a)!.associatedWith.length === 0) {
      // A one-way path: this segment routes to the attachment, but its replies would have no route table.
      v.report(`${segProp}.propagateFrom`, a.attachmentName,
        `is propagated into this segment, but no segment of this hub associates attachment ${a.attachmentName}, so its replies ` +
        `would have no route table; associate it with the segment whose routes it must use (e.g. <segment>.associate(${a.attachmentName})).`);
    }
    seenPropagations.add(a);
  });

  const associatedVpcs = segment.associatedAttachments
    .map((a) => known.get(a)!)
    .filter((e) => e.attachment.attachmentType === TransitGatewayAttachmentType.VPC);
  const destinations = new Map<string, string>();
  for (const route of segment._declaredRoutes()) {
    const cidr = route.cidr;
    if (!cidr) {
      continue;
    }
    const previous = destinations.get(cidr.toString());
    if (previous) {
      v.report(route.prop, cidr.toString(), `is also the destination of \`${previous}\`; a route table has one route per destination, remove one of them.`);
    }
    destinations.set(cidr.toString(), route.prop);

    if (route.kind === SegmentRouteKind.BLACKHOLE) {
      for (const propagated of [...new Set(segment.propagatedAttachments)].filter((a) => a.propagatesRoutes)) {
        const entry = known.get(propagated)!;
        if (entry.cidrs.some((c) => c.equals(cidr))) {
          v.report(route.prop, cidr.toString(), `blackholes exactly the CIDR that attachment ${propagated.attachmentName} propagates ` +
            'into this segment, so the propagation has no effect; remove the blackhole route or the propagation.');
        }
      }
      continue;
    }

    const target = route.attachment!;
    const entry = known.get(target)!;
    if (entry.associatedWith.length === 0) {
      v.report(route.prop, `${cidr.toString()} -> ${target.attachmentName}`,
        `points at attachment ${target.attachmentName}, which no segment of this hub associates, so its replies would have no route ` +
        `table; associate it with the segment whose routes it must use (e.g. <segment>.associate(${target.attachmentName})).`);
    }
    if (entry.cidrs.length > 0 && !entry.cidrs.some((c) => c.contains(cidr))) {
      v.report(route.prop, cidr.toString(), `is not behind attachment ${target.attachmentName} (its CIDRs: ` +
        `${entry.cidrs.map((c) => c.toString()).join(', ')}); route only addresses the attachment delivers, or add the CIDR to its declared CIDRs.`);
    }
    // Correction 3: a VPC associated with this segment can only send traffic for this destination to the transit
    // gateway when the destination is outside the VPC's own CIDR (a route inside it would lose to the local route).
    for (const vpc of associatedVpcs) {
      if (vpc.attachment === target) {
        continue;
      }
      const inside = vpc.cidrs.filter((c) => !cidr.contains(c));
      inside.forEach((vpcCidr) => checkReturnAddressesOutsideVpc(v, route.prop, [cidr],
        `the VPC behind attachment ${vpc.attachment.attachmentName}`, vpcCidr));
    }
  }
}

function differs(a: string, b: string): boolean {
  return !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
}
