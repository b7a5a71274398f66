import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  GovHybridTransitHub, GovHybridVpnAttachment, LogArchiveDestinations, TransitGatewaySegment, VpnRouting,
} from '../../../src';
import { DEPARTMENTS, ENVIRONMENTS, ScalePlan } from '../config';

/** Props of the Network account's hub stack. */
export interface HubStackProps extends StackProps {
  readonly plan: ScalePlan;
  readonly destinations: LogArchiveDestinations;
}

/**
 * Network account, first stack: the transit gateway shared by OU, one segment (route table) per
 * department-environment plus `core` (shared services, security, network VPCs) and `onprem` (the two BGP VPNs),
 * and the blackhole routes between environments. Spokes join the segments in the routing stacks, after they attach.
 *
 * Its size does not depend on the number of spokes: 22 route tables, 60 blackhole routes, the VPNs and their
 * propagations (about 130 resources).
 */
export class HubStack extends Stack {
  public readonly hub: GovHybridTransitHub;
  /** Segments by name: `mfg-prod`, …, `core`, `onprem`. */
  public readonly segments: Map<string, TransitGatewaySegment> = new Map();
  public readonly vpns: GovHybridVpnAttachment[];

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, props);
    const { plan } = props;
    this.hub = new GovHybridTransitHub(this, 'Hub', {
      transitGatewayName: `${plan.namePrefix}-tgw`,
      amazonSideAsn: plan.transitGatewayAsn,
      // RAM sharing by OU (seed: one OU per department; security and shared services in the core OU).
      shareWithOrganizationalUnitArns: Object.values(plan.organizationalUnitArns),
      flowLogDestination: props.destinations.transitGatewayFlowLogDestination(this, 'hub'),
      // 22 route tables: above the default quota of 20. Request the increase before deploying.
      routeTableQuota: plan.routeTableQuota,
    });

    for (const department of DEPARTMENTS) {
      for (const environment of ENVIRONMENTS) {
        const segment = this.hub.addSegment(`${department}-${environment}`);
        this.segments.set(segment.segmentName, segment);
        // No environment reaches another: drop the other environments' summaries even if a broader route appears.
        for (const other of ENVIRONMENTS.filter((e) => e !== environment)) {
          segment.addBlackholeRoute(plan.environmentCidrs[other]);
        }
      }
    }
    const core = this.hub.addSegment('core');
    const onprem = this.hub.addSegment('onprem');
    this.segments.set('core', core);
    this.segments.set('onprem', onprem);

    this.vpns = plan.vpns.map((vpn, i) => this.hub.addVpn(`Vpn${i + 1}`, {
      name: vpn.name,
      customerGatewayAddress: vpn.customerGatewayIp,
      customerGatewayAsn: vpn.customerGatewayAsn,
      onPremisesCidrs: plan.onPremisesCidrs,
      routing: VpnRouting.BGP,
    }));
    for (const vpn of this.vpns) {
      onprem.associate(vpn);
      // Every segment learns the on-premises networks over BGP (both VPNs: ECMP, failover).
      for (const segment of this.segments.values()) {
        if (segment !== onprem) {
          segment.propagateFrom(vpn);
        }
      }
    }
  }

  /** The segment with this name; throws when there is none. */
  public segment(name: string): TransitGatewaySegment {
    const segment = this.segments.get(name);
    if (!segment) {
      throw new Error(`no segment ${name}`);
    }
    return segment;
  }
}
