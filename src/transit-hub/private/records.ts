import type { Ipv4Cidr } from '../../private/cidr';
import type { ITransitGatewayAttachment } from '../attachment';
import type { SegmentRouteKind } from '../segment';

/** A route declared on a segment, with the prop path used in error messages and its parsed destination. */
export interface DeclaredRoute {
  readonly prop: string;
  readonly destinationCidr: string;
  readonly kind: SegmentRouteKind;
  readonly attachment?: ITransitGatewayAttachment;
  readonly cidr?: Ipv4Cidr;
}
