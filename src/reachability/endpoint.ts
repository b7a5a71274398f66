/** What a `NetworkEndpoint` selects. */
export enum EndpointKind {
  /** A resource with network interfaces (instance, load balancer, ECS service, RDS, VPC endpoint, …). */
  RESOURCE = 'resource',
  /** A subnet: routing and network ACLs only, no security group. */
  SUBNET = 'subnet',
  /** Every subnet of a VPC: routing and network ACLs only, no security group. */
  VPC = 'vpc',
  /** A declared on-premises site. */
  ON_PREMISES = 'on-premises',
}

/**
 * The source or destination of a flow.
 *
 * Selectors name a resource of the cloud assembly by construct path (`Prod/Workload/Alb`, with or without the final
 * `/Resource`), by `StackName/LogicalId`, by logical ID alone when it is unique, or by a construct path prefix that
 * holds exactly one resource of the wanted kind.
 */
export class NetworkEndpoint {
  /**
   * A resource with network interfaces: traffic starts or ends in each of its subnets (or at its fixed private
   * address), through its security groups.
   */
  public static resource(selector: string): NetworkEndpoint {
    return new NetworkEndpoint(EndpointKind.RESOURCE, selector);
  }

  /** A subnet as a whole: checks routing and network ACLs, not security groups. */
  public static subnet(selector: string): NetworkEndpoint {
    return new NetworkEndpoint(EndpointKind.SUBNET, selector);
  }

  /**
   * Every subnet of a VPC: checks routing and network ACLs, not security groups. Use it to prove route-level
   * segmentation (no Prod ↔ Dev, no users → Network VPC) independently of security groups.
   */
  public static vpc(selector: string): NetworkEndpoint {
    return new NetworkEndpoint(EndpointKind.VPC, selector);
  }

  /** A declared on-premises site (`ReachabilityModelOptions.onPremisesSites`), by name. */
  public static onPremises(siteName: string): NetworkEndpoint {
    return new NetworkEndpoint(EndpointKind.ON_PREMISES, siteName);
  }

  /** What the selector selects. */
  public readonly kind: EndpointKind;
  /** The selector (construct path, `Stack/LogicalId`, logical ID) or the site name. */
  public readonly selector: string;

  private constructor(kind: EndpointKind, selector: string) {
    this.kind = kind;
    this.selector = selector;
  }

  /** `resource Prod/Workload/Alb`, `on-premises users`. */
  public toString(): string {
    return `${this.kind} ${this.selector}`;
  }
}
